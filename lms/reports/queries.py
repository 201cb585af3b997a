"""Reading a unit's graded attempts into the pure item-analysis model."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from lms.assessment.models import Attempt, AttemptQuestion, AttemptStatus
from lms.content.models import Question, QuestionVersion, Unit
from lms.extensions import db
from lms.reports.item_analysis import (
    AttemptScore,
    ItemInfo,
    ItemResponse,
    ItemStats,
    TestStats,
    analyse_items,
    analyse_test,
    first_attempts,
)


@dataclass
class UnitAnalysis:
    unit: Unit
    test: TestStats
    items: dict[str, ItemStats]
    infos: dict[str, ItemInfo]
    #: item id -> the question version, for its stem and options
    versions: dict[str, QuestionVersion]
    first_only: bool


def item_id(key: str, version: int) -> str:
    return f"{key}@v{version}"


def unit_analysis(unit: Unit, *, first_only: bool = True) -> UnitAnalysis:
    """Statistics of the unit's graded attempts (each kader's first attempt by default)."""
    graded = db.session.execute(
        sa.select(Attempt.id, Attempt.user_id, Attempt.number, Attempt.percent).where(
            Attempt.unit_id == unit.id,
            Attempt.status != AttemptStatus.OPEN.value,
            Attempt.percent.is_not(None),
        )
    ).all()
    included = (
        first_attempts((a.id, a.user_id, a.number) for a in graded)
        if first_only
        else {a.id for a in graded}
    )
    scores = [AttemptScore(a.id, a.percent) for a in graded if a.id in included]
    rows = db.session.execute(
        sa.select(AttemptQuestion, QuestionVersion, Question.key)
        .join(QuestionVersion, QuestionVersion.id == AttemptQuestion.question_version_id)
        .join(Question, Question.id == QuestionVersion.question_id)
        .where(AttemptQuestion.attempt_id.in_(included))
    ).all()
    infos: dict[str, ItemInfo] = {}
    versions: dict[str, QuestionVersion] = {}
    responses = []
    for answered, version, key in rows:
        item = item_id(key, version.version)
        if item not in infos:
            options = tuple(option for option, _text in version.data.get("options", []))
            answer = version.data.get("answer")
            correct = tuple(answer) if isinstance(answer, list) and options else (
                (answer,) if options else ()
            )  # fmt: skip
            infos[item] = ItemInfo(item, key, version.version, version.type, options, correct)
            versions[item] = version
        choice = answered.response if version.type in ("single", "multiple") else None
        chosen = tuple(choice) if isinstance(choice, list) else ((choice,) if choice else ())
        responses.append(ItemResponse(answered.attempt_id, item, answered.points or 0.0, chosen))
    ordered = dict(sorted(infos.items()))
    return UnitAnalysis(
        unit,
        analyse_test(scores, responses),
        analyse_items(ordered.values(), responses, scores),
        ordered,
        versions,
        first_only,
    )
