"""What a kader sees after a test: score, breakdown by objective, and the allowed review."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from lms.assessment.models import Attempt, AttemptQuestion
from lms.assessment.services import attempt_blueprint
from lms.content.models import Lesson, LessonVersion, Unit
from lms.extensions import db


@dataclass
class ObjectiveResult:
    objective_id: str
    text: str
    points: float = 0.0
    max_points: float = 0.0
    #: Lessons that teach this objective: (lesson key, title).
    lessons: list[tuple[str, str]] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.points / self.max_points) if self.max_points else 0


@dataclass
class Result:
    attempt: Attempt
    review_level: str
    objectives: list[ObjectiveResult]
    questions: list[AttemptQuestion]

    @property
    def shows_correctness(self) -> bool:
        return self.review_level in ("correctness", "full")

    @property
    def shows_answers(self) -> bool:
        return self.review_level == "full"


def attempt_result(attempt: Attempt) -> Result:
    """The graded attempt as its review policy allows it to be shown."""
    unit: Unit = attempt.unit
    texts = dict(unit.objectives)
    lessons = _lessons_by_objective(unit)
    by_objective: dict[str, ObjectiveResult] = {}
    for question in attempt.questions:
        objective = question.version.objective
        entry = by_objective.setdefault(
            objective,
            ObjectiveResult(
                objective, texts.get(objective, objective), lessons=lessons.get(objective, [])
            ),
        )
        entry.points += question.points or 0.0
        entry.max_points += 1.0
    level = attempt_blueprint(attempt).review_level(bool(attempt.is_passed))
    ordered = sorted(
        by_objective.values(),
        key=lambda o: list(texts).index(o.objective_id) if o.objective_id in texts else 99,
    )
    return Result(attempt, level, ordered, list(attempt.questions))


def _lessons_by_objective(unit: Unit) -> dict[str, list[tuple[str, str]]]:
    rows = db.session.execute(
        sa.select(Lesson.key, LessonVersion.title, LessonVersion.objectives)
        .join(LessonVersion, LessonVersion.id == Lesson.current_version_id)
        .where(Lesson.unit_id == unit.id, Lesson.is_retired.is_(False))
        .order_by(LessonVersion.position)
    )
    found: dict[str, list[tuple[str, str]]] = {}
    for key, title, objectives in rows:
        for objective in objectives:
            found.setdefault(objective, []).append((key, title))
    return found


def key_for_display(question_type: str, data: dict[str, Any]) -> Any:
    """The correct answer in the shape the review page shows (only used when allowed)."""
    if question_type in ("single", "multiple"):
        keys = data["answer"] if isinstance(data["answer"], list) else [data["answer"]]
        options = dict(data["options"])
        return [options[key] for key in keys]
    if question_type == "matching":
        return [f"{left} → {right}" for left, right in data["pairs"]]
    if question_type == "short":
        return data["answer"][:1]
    return [data["answer"]]
