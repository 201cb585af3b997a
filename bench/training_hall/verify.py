"""Checking the outcome in the database: no acknowledged answer lost, and every attempt graded
as lms.assessment.grading grades the answers each kader meant to leave."""

from __future__ import annotations

import math
from typing import Any

import sqlalchemy as sa
from flask import Flask

from lms.assessment import grading
from lms.assessment import services as assessment
from lms.assessment.models import Attempt, AttemptQuestion, UnitPass
from lms.extensions import db

from .kader import Kader


def verify(app: Flask, kaders: list[Kader]) -> dict[str, Any]:
    """Lost answers: acknowledged saves whose value is not what the database holds after
    submit. Wrong grades: attempts whose stored or reported grade differs from a regrade of
    the expected answers with lms.assessment.grading."""
    lost: list[str] = []
    wrong: list[str] = []
    checked_answers = 0
    passed = 0
    with app.app_context():
        for kader in kaders:
            if kader.attempt_id is None:
                continue
            attempt = db.session.get(Attempt, kader.attempt_id)
            stored = {q.position: q for q in attempt.questions}
            checked_answers += lost_answers(kader, attempt, stored, lost)
            if kader.failed_positions:
                continue  # its expected grade is unknown; the failure is already an error
            is_passed, problems = grade_problems(kader, attempt, stored)
            passed += is_passed
            if problems:
                wrong.append(f"attempt {attempt.id}: " + "; ".join(problems))
        db.session.remove()
    return {
        "answers_checked": checked_answers,
        "lost_answers": len(lost),
        "lost_samples": lost[:5],
        "wrong_grades": len(wrong),
        "wrong_samples": wrong[:5],
        "attempts_passed": passed,
    }


def lost_answers(
    kader: Kader, attempt: Attempt, stored: dict[int, AttemptQuestion], lost: list[str]
) -> int:
    """Adds to `lost` the answers the database does not hold as expected; returns how many
    answers were checked (a position whose save failed is not)."""
    checked = 0
    for position, (value, seq) in kader.expected.items():
        if position in kader.failed_positions:
            continue
        checked += 1
        question = stored.get(position)
        if question is None or question.response != value or question.response_seq != seq:
            held = None if question is None else (question.response, question.response_seq)
            lost.append(f"attempt {attempt.id} q{position}: {held} != {(value, seq)}")
    return checked


def grade_problems(
    kader: Kader, attempt: Attempt, stored: dict[int, AttemptQuestion]
) -> tuple[bool, list[str]]:
    """Whether the attempt should have passed, and how its stored and reported grade differ
    from the regrade (inside an app context)."""
    pass_mark = assessment.attempt_blueprint(attempt).pass_mark
    points, percent, is_passed = expected_grade(kader, pass_mark)
    problems = []
    if attempt.status != "submitted":
        problems.append(f"status {attempt.status}")
    stored_points = -1.0 if attempt.points is None else attempt.points  # 0 is a real grade
    if not math.isclose(stored_points, points, abs_tol=1e-9):
        problems.append(f"points {attempt.points} != {points}")
    if attempt.percent != percent or attempt.is_passed is not is_passed:
        problems.append(f"percent/pass {attempt.percent}/{attempt.is_passed}")
    unit_passes = db.session.scalar(
        sa.select(sa.func.count(UnitPass.id)).where(UnitPass.user_id == kader.user_id)
    )
    if unit_passes != int(is_passed):
        problems.append(f"{unit_passes} unit passes recorded")
    for reported in kader.submit_results:
        if reported.get("percent") != percent or reported.get("is_passed") is not is_passed:
            problems.append(f"submit reported {reported.get('percent')}")
    for position, question in stored.items():
        score = grading.grade(*kader.questions[position], kader.expected[position][0])
        if question.points != score.points or question.is_correct != score.is_correct:
            problems.append(f"q{position} points {question.points} != {score.points}")
    return is_passed, problems


def expected_grade(kader: Kader, pass_mark: float) -> tuple[float, float, bool]:
    scores = [
        grading.grade(*kader.questions[position], value)
        for position, (value, _seq) in sorted(kader.expected.items())
    ]
    points, max_points = grading.total(scores)
    percent = grading.percent(points, max_points)
    return points, percent, grading.is_pass(percent, pass_mark)
