"""Helpers for test-attempt tests: the right (or a wrong) answer to a drawn question."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from lms.assessment.models import Attempt, AttemptQuestion
from lms.extensions import db


def right_answer(question_type: str, data: dict[str, Any]) -> Any:
    if question_type == "short":
        return data["answer"][0]
    if question_type == "matching":
        return {str(i): str(i) for i in range(len(data["pairs"]))}
    return data["answer"]


def wrong_answer(question_type: str, data: dict[str, Any]) -> Any:
    if question_type == "single":
        return next(key for key, _ in data["options"] if key != data["answer"])
    if question_type == "multiple":
        return [next(key for key, _ in data["options"] if key not in data["answer"])]
    if question_type == "truefalse":
        return not data["answer"]
    if question_type == "short":
        return "jawaban yang keliru"
    if question_type == "numeric":
        return data["answer"] + 1000
    count = len(data["pairs"])
    return {str(i): str((i + 1) % count) for i in range(count)}


def attempt_questions(app, attempt_id: int) -> list[tuple[int, str, dict]]:
    with app.app_context():
        rows = db.session.scalars(
            sa.select(AttemptQuestion)
            .where(AttemptQuestion.attempt_id == attempt_id)
            .order_by(AttemptQuestion.position)
        ).all()
        return [(q.position, q.version.type, q.version.data) for q in rows]


def load_attempt(app, attempt_id: int) -> Attempt:
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        _ = [q.response for q in attempt.questions]
        db.session.expunge_all()
        return attempt
