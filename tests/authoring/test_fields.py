"""The editors' fields round-trip published content unchanged (so an untouched edit publishes
nothing) and read numbers the way Indonesians write them."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.authoring.fields import lesson_fields, parse_lesson, parse_number, parse_unit, unit_fields
from lms.authoring.question_fields import parse_question, question_fields
from lms.content.models import Lesson, Question, Unit
from lms.extensions import db


def test_every_bundled_question_round_trips_through_the_editor(app, curriculum):
    with app.app_context():
        questions = db.session.scalars(sa.select(Question)).all()
        assert len(questions) > 100
        for question in questions:
            version = question.current_version
            objectives = [key for key, _text in question.unit.objectives]
            spec, problems = parse_question(
                question_fields(version),
                key=question.key,
                unit_code=question.unit.code,
                objectives=objectives,
            )
            assert not problems, (question.key, problems)
            assert spec.data == version.data, question.key
            assert spec.fingerprint() == version.content_hash, question.key


def test_units_and_lessons_round_trip_through_the_editor(app, curriculum):
    with app.app_context():
        for unit in db.session.scalars(sa.select(Unit)):
            spec, problems = parse_unit(unit_fields(unit), unit.code)
            assert not problems
            assert spec.fingerprint() == unit.content_hash
            objectives = [key for key, _text in unit.objectives]
            for lesson in db.session.scalars(sa.select(Lesson).where(Lesson.unit_id == unit.id)):
                lesson_spec, problems = parse_lesson(
                    lesson_fields(lesson.current_version),
                    key=lesson.key,
                    unit_code=unit.code,
                    objectives=objectives,
                )
                assert not problems
                assert lesson_spec.fingerprint() == lesson.current_version.content_hash


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2,5", 2.5),
        ("2.5", 2.5),
        ("-3", -3.0),
        (" 10 ", 10.0),
        ("1 000", 1000.0),
        ("dua", None),
        ("", None),
        ("1e9", None),
        ("2,5,1", None),
        ("1.000", None),
        ("12.500", None),
        ("0.125", 0.125),
        ("1000", 1000.0),
    ],
)
def test_numbers_as_written(text, value):
    assert parse_number(text) == value


def test_blueprint_lines(app):
    fields = {
        "title": "Unit", "summary": "Ringkas.", "order": "1", "estimated_minutes": "30",
        "objectives": "u-a: Tujuan A.\nu-b: Tujuan B.", "draw": "5 kka sedang\n3 * sulit\n2",
        "time_limit_minutes": "20", "pass_mark": "75", "attempts": "0", "wait_hours": "1,5",
        "questions_per_page": "4", "review_failed": "score", "review_passed": "full",
        "unlock": "all-lessons-read", "shuffle_options": True,
    }  # fmt: skip
    spec, problems = parse_unit(fields, "u")
    assert not problems
    blueprint = spec.blueprint
    assert [(r.count, r.topic, r.difficulty) for r in blueprint.draw] == [
        (5, "kka", "sedang"), (3, None, "sulit"), (2, None, None)]  # fmt: skip
    assert blueprint.attempts_allowed is None and blueprint.wait_hours == 1.5
    assert not blueprint.shuffle_questions and blueprint.shuffle_options
    broken, problems = parse_unit({**fields, "draw": "lima kka", "objectives": "x: salah"}, "u")
    assert broken is None
    assert set(problems.by_field) == {"draw", "objectives"}
