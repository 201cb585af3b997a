"""The audit log: who did what, when and why. Append-only (database triggers refuse changes)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.database import UTCDateTime
from lms.extensions import db


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: None for actions of the system itself (e.g. an automatic issue).
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    #: What happened, e.g. "certificate.revoked".
    action: Mapped[str] = mapped_column(sa.String(60), index=True)
    subject_type: Mapped[str] = mapped_column(sa.String(40))
    subject_id: Mapped[int]
    reason: Mapped[str | None] = mapped_column(sa.Text)
    details: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)

    actor: Mapped[User | None] = relationship()


def record(
    actor: User | None,
    action: str,
    subject_type: str,
    subject_id: int,
    *,
    now: datetime,
    reason: str | None = None,
    **details: Any,
) -> AuditEvent:
    """Add an event to the current transaction (it commits or rolls back with the action)."""
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        reason=reason,
        details=details,
        created_at=now,
    )
    db.session.add(event)
    return event
