"""State changes of studying."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from lms.accounts.models import User
from lms.content.models import LessonVersion
from lms.extensions import db
from lms.study.models import LessonCompletion


def mark_lesson_read(user: User, version: LessonVersion, *, now: datetime) -> bool:
    """Record that `user` read this version; returns False if it was already recorded."""
    exists = db.session.scalar(
        sa.select(LessonCompletion.id).where(
            LessonCompletion.user_id == user.id,
            LessonCompletion.lesson_version_id == version.id,
        )
    )
    if exists is not None:
        return False
    db.session.add(
        LessonCompletion(
            user_id=user.id,
            lesson_version_id=version.id,
            lesson_id=version.lesson_id,
            completed_at=now,
        )
    )
    return True
