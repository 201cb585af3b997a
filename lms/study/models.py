"""What a kader has read: one row per kader per lesson version marked as read."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from lms.database import UTCDateTime
from lms.extensions import db


class LessonCompletion(db.Model):
    __tablename__ = "lesson_completions"
    __table_args__ = (sa.UniqueConstraint("user_id", "lesson_version_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The exact text that was read; a later version of the lesson does not change this row.
    lesson_version_id: Mapped[int] = mapped_column(sa.ForeignKey("lesson_versions.id"))
    #: Denormalised from the version, so "has this lesson been read" needs no join.
    lesson_id: Mapped[int] = mapped_column(sa.ForeignKey("lessons.id"), index=True)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime())
