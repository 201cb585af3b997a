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
    scores = _population(unit, first_only)
    infos, versions, responses = _items_and_responses({score.attempt_id for score in scores})
    ordered = dict(sorted(infos.items()))
    return UnitAnalysis(
        unit,
        analyse_test(scores, responses),
        analyse_items(ordered.values(), responses, scores),
        ordered,
        versions,
        first_only,
    )


def _population(unit: Unit, first_only: bool) -> list[AttemptScore]:
    """Scores of the graded attempts that are analysed (only first attempts if `first_only`)."""
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
    return [AttemptScore(a.id, a.percent) for a in graded if a.id in included]


def _items_and_responses(
    attempt_ids: set[int],
) -> tuple[dict[str, ItemInfo], dict[str, QuestionVersion], list[ItemResponse]]:
    """The question versions the attempts were given (as items) and every answer to them."""
    rows = db.session.execute(
        sa.select(AttemptQuestion, QuestionVersion, Question.key)
        .join(QuestionVersion, QuestionVersion.id == AttemptQuestion.question_version_id)
        .join(Question, Question.id == QuestionVersion.question_id)
        .where(AttemptQuestion.attempt_id.in_(attempt_ids))
    ).all()
    infos: dict[str, ItemInfo] = {}
    versions: dict[str, QuestionVersion] = {}
    responses = []
    for answered, version, key in rows:
        item = item_id(key, version.version)
        if item not in infos:
            infos[item] = _item_info(item, key, version)
            versions[item] = version
        choice = answered.response if version.type in ("single", "multiple") else None
        chosen = tuple(choice) if isinstance(choice, list) else ((choice,) if choice else ())
        responses.append(ItemResponse(answered.attempt_id, item, answered.points or 0.0, chosen))
    return infos, versions, responses


def _item_info(item: str, key: str, version: QuestionVersion) -> ItemInfo:
    """The item's options and correct options (both empty for questions without options)."""
    options = tuple(option for option, _text in version.data.get("options", []))
    answer = version.data.get("answer")
    correct = tuple(answer) if isinstance(answer, list) and options else (
        (answer,) if options else ()
    )  # fmt: skip
    return ItemInfo(item, key, version.version, version.type, options, correct)
