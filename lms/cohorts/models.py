"""Training events (e.g. "Pembinaan Terpadu Poktan" in Kongbeng) and the kader enrolled in them."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.database import UTCDateTime
from lms.extensions import db


class TrainingEvent(db.Model):
    __tablename__ = "training_events"
    __table_args__ = (sa.CheckConstraint("ends_on >= starts_on", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(160))
    place: Mapped[str] = mapped_column(sa.String(160))
    kecamatan_code: Mapped[str] = mapped_column(sa.String(8))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    #: Codes of the units the event covers, in the order shown.
    unit_codes: Mapped[list[str]] = mapped_column(sa.JSON)
    #: Short code kader type on their phone to join (Crockford base32, no look-alike letters).
    join_code: Mapped[str] = mapped_column(sa.String(8), unique=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    owner: Mapped[User] = relationship()
    memberships: Mapped[list[EventMembership]] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )


class EventMembership(db.Model):
    __tablename__ = "event_memberships"
    __table_args__ = (sa.UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_events.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: "kode" (joined with the join code) or "csv" (enrolled by the pelatih).
    source: Mapped[str] = mapped_column(sa.String(8))

    event: Mapped[TrainingEvent] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()
