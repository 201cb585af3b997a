"""Importing exchanged questions (GIFT, Moodle XML) into a unit's bank, and exporting it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from lms.accounts.models import User
from lms.audit.models import record
from lms.authoring.exchange import ExchangeQuestion, slugify, unique_key
from lms.content.models import Question, Unit
from lms.content.queries import current_questions
from lms.content.spec import QuestionSpec
from lms.content.sync import question_version
from lms.extensions import db


def bank_for_export(unit: Unit) -> list[ExchangeQuestion]:
    """The unit's current, drawable questions in the exchange shape."""
    return [
        ExchangeQuestion(
            key=key,
            type=version.type,
            topic=version.topic,
            stem=version.stem_markdown,
            feedback=version.feedback_markdown,
            data=version.data,
            difficulty=version.difficulty,
            objective=version.objective,
        )
        for key, version in current_questions(unit)
    ]


@dataclass
class PlannedQuestion:
    question: ExchangeQuestion
    key: str
    objective: str
    #: The file named no objective of this unit; the unit's first one is used.
    objective_defaulted: bool


def plan_import(unit: Unit, questions: list[ExchangeQuestion]) -> list[PlannedQuestion]:
    """Keys and objectives the imported questions will get; never touches existing questions."""
    objectives = [objective_id for objective_id, _text in unit.objectives]
    taken = set(db.session.scalars(sa.select(Question.key)))
    planned = []
    for question in questions:
        base = f"{unit.code}-{slugify(question.key)}" if question.key else f"{unit.code}-impor"
        key = unique_key(base, taken)
        taken.add(key)
        valid = question.objective in objectives
        planned.append(
            PlannedQuestion(
                question, key, question.objective if valid else objectives[0], not valid
            )
        )
    return planned


def import_questions(
    actor: User, unit: Unit, planned: list[PlannedQuestion], *, source: str, now: datetime
) -> list[Question]:
    """Add the planned questions as new published questions of the unit (one transaction)."""
    created = []
    for item in planned:
        question = Question(key=item.key, unit_id=unit.id, origin="browser")
        db.session.add(question)
        db.session.flush()
        exchanged = item.question
        spec = QuestionSpec(
            key=item.key,
            unit_code=unit.code,
            type=exchanged.type,
            difficulty=exchanged.difficulty,
            topic=exchanged.topic,
            objective=item.objective,
            stem=exchanged.stem,
            feedback=exchanged.feedback,
            data=exchanged.data,
            path=source,
            line=0,
        )
        # The same builder as content sync, so the fingerprint matches the files once exported.
        version = question_version(spec, 1, question.id, now)
        db.session.add(version)
        db.session.flush()
        question.current_version_id = version.id
        created.append(question)
    record(actor, "bank.imported", "unit", unit.id, now=now, source=source,
           questions=[q.key for q in created])  # fmt: skip
    return created
