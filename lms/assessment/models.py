"""Competency test attempts, the questions each one drew, and units passed."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.content.models import QuestionVersion, Unit
from lms.database import UTCDateTime
from lms.extensions import db


class AttemptStatus(StrEnum):
    OPEN = "open"
    #: Submitted by the kader.
    SUBMITTED = "submitted"
    #: Finalised by the server after the deadline, graded on the saved answers.
    EXPIRED = "expired"


class Attempt(db.Model):
    __tablename__ = "attempts"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "unit_id", "number"),
        sa.CheckConstraint("status IN ('open', 'submitted', 'expired')", name="status_known"),
        sa.CheckConstraint("deadline_at > started_at", name="deadline_after_start"),
        # One open attempt per kader and unit, enforced by the database.
        sa.Index(
            "uq_attempts_one_open_per_unit",
            "user_id",
            "unit_id",
            unique=True,
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    #: 1 for the kader's first attempt at this unit, 2 for the second, ...
    number: Mapped[int]
    #: Seed of the draw and of the option order; the draw can be reproduced from it.
    seed: Mapped[int] = mapped_column(sa.BigInteger)
    status: Mapped[str] = mapped_column(sa.String(10), default=AttemptStatus.OPEN.value)
    #: The blueprint as it was at the start (time limit, pass mark, review policy, ...).
    blueprint: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: Fixed at the start by the server's clock.
    deadline_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    points: Mapped[float | None]
    max_points: Mapped[float | None]
    percent: Mapped[float | None]
    is_passed: Mapped[bool | None]

    unit: Mapped[Unit] = relationship()
    questions: Mapped[list[AttemptQuestion]] = relationship(
        back_populates="attempt", order_by="AttemptQuestion.position"
    )

    @property
    def is_open(self) -> bool:
        return self.status == AttemptStatus.OPEN.value


class AttemptQuestion(db.Model):
    """One drawn question of an attempt: the exact version shown and the kader's answer."""

    __tablename__ = "attempt_questions"
    __table_args__ = (sa.UniqueConstraint("attempt_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(sa.ForeignKey("attempts.id", ondelete="CASCADE"))
    #: 1-based place in the attempt.
    position: Mapped[int]
    question_version_id: Mapped[int] = mapped_column(sa.ForeignKey("question_versions.id"))
    #: Option ids (or matching right-side indexes) in the order shown to this kader.
    option_order: Mapped[list[str]] = mapped_column(sa.JSON)
    #: The saved answer (normalised by the grader), None while unanswered.
    response: Mapped[Any | None] = mapped_column(sa.JSON)
    #: Order of saves from the client; a save with a lower number never overwrites a newer one.
    response_seq: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    points: Mapped[float | None]
    is_correct: Mapped[bool | None]

    attempt: Mapped[Attempt] = relationship(back_populates="questions")
    # Always needed with the row (rendering, grading): load it in the same query.
    version: Mapped[QuestionVersion] = relationship(lazy="joined", innerjoin=True)


class UnitPass(db.Model):
    """A unit passed by a kader, with the attempt that passed it.

    A pass counts until `valid_until` (set from the certificate it earned); after that the kader
    passes the unit again to renew, which adds a new row and keeps the history.
    """

    __tablename__ = "unit_passes"
    __table_args__ = (sa.Index("ix_unit_passes_user_unit", "user_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    attempt_id: Mapped[int] = mapped_column(sa.ForeignKey("attempts.id"), unique=True)
    passed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    percent: Mapped[float]
    #: Local date from which this pass no longer counts (None: it counts).
    valid_until: Mapped[date | None]

    unit: Mapped[Unit] = relationship()

    def is_current(self, today: date) -> bool:
        return self.valid_until is None or today < self.valid_until

    attempt: Mapped[Attempt] = relationship()
