"""Reading the curriculum as kader meet it: the current versions of what is not retired."""

from __future__ import annotations

import sqlalchemy as sa

from lms.content.models import Question, QuestionVersion, Unit
from lms.extensions import db


def current_questions(unit: Unit) -> list[tuple[str, QuestionVersion]]:
    """The unit's drawable questions (not retired), each key with its current version, by key."""
    rows = db.session.execute(
        sa.select(Question.key, QuestionVersion)
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .where(Question.unit_id == unit.id, Question.is_retired.is_(False))
        .order_by(Question.key)
    )
    return [(key, version) for key, version in rows]
