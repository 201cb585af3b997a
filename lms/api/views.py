"""JSON shapes of the API's answers (and the form adapter for registerKader)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from lms.accounts.models import User
from lms.accounts.phone import format_phone
from lms.api.errors import ApiError
from lms.assessment import services as tests
from lms.assessment.models import Attempt
from lms.assessment.presentation import attempt_view as _attempt_view
from lms.assessment.results import attempt_result
from lms.content.models import Unit
from lms.content.queries import current_questions
from lms.errors import FieldError
from lms.extensions import db
from lms.study.progress import study_overview

REGISTRATION_FIELDS = ("full_name", "phone", "kecamatan_code", "desa")


def registration_formdata(body: dict[str, Any]) -> MultiDict:
    """The JSON body as the registration form's fields; wrong types become empty fields."""
    fields = [(name, body[name]) for name in REGISTRATION_FIELDS if isinstance(body.get(name), str)]
    poktan = body.get("poktan")
    if isinstance(poktan, list):
        fields += [("poktan", p) for p in poktan if isinstance(p, str)]
    password = body.get("password") if isinstance(body.get("password"), str) else ""
    fields += [("new_password", password), ("new_password_confirm", password)]
    return MultiDict(fields)


API_FIELD_NAMES = {"new_password": "password", "new_password_confirm": "password"}


def validation_error(form: Any) -> ApiError:
    fields: dict[str, list[str]] = {}
    for name, messages in form.errors.items():
        fields.setdefault(API_FIELD_NAMES.get(name, name), []).extend(str(m) for m in messages)
    return ApiError(422, "validation_failed", _("Periksa kembali isian Anda."), fields=fields)


def field_error(error: FieldError) -> ApiError:
    name = API_FIELD_NAMES.get(error.field, error.field)
    return ApiError(422, "validation_failed", error.message, fields={name: [error.message]})


def user_view(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "full_name": user.full_name,
        "phone": format_phone(user.phone),
        "role": user.role,
        "kecamatan_code": user.kecamatan_code,
        "desa": user.desa,
        "poktan": user.poktan,
    }


def units_view(user: User, now: datetime) -> list[dict[str, Any]]:
    units = []
    for progress in study_overview(user):
        status = tests.competency_status(user, progress.unit, now=now)
        units.append(
            {
                "code": progress.unit.code,
                "title": progress.unit.title,
                "lessons": progress.total,
                "lessons_read": progress.read,
                "download_bytes": progress.size_bytes,
                "test": {
                    "questions": status.blueprint.question_count,
                    "time_limit_minutes": status.blueprint.time_limit_minutes,
                    "pass_mark": status.blueprint.pass_mark,
                    "attempts_left": status.attempts_left,
                    "open_attempt_id": status.open_attempt.id if status.open_attempt else None,
                    "passed": status.unit_pass is not None,
                    "can_start": status.blocked_code is None,
                    "blocked_reason": status.blocked_reason,
                },
            }
        )
    db.session.commit()
    return units


def attempt_view(attempt: Attempt, now: datetime) -> dict[str, Any]:
    return _attempt_view(attempt, now)


def result_view(attempt: Attempt) -> dict[str, Any]:
    """The graded attempt, showing per question only what the review policy allows."""
    result = attempt_result(attempt)
    questions = []
    for question in result.questions:
        item: dict[str, Any] = {"position": question.position, "response": question.response}
        if result.shows_correctness:
            item.update(points=question.points, is_correct=question.is_correct)
        if result.shows_answers:
            item.update(key=question.version.data, feedback_html=question.version.feedback_html)
        questions.append(item)
    return {
        "id": attempt.id,
        "unit": attempt.unit.code,
        "status": attempt.status,
        "finished_at": attempt.finished_at.isoformat() if attempt.finished_at else None,
        "points": attempt.points,
        "max_points": attempt.max_points,
        "percent": attempt.percent,
        "pass_mark": tests.attempt_blueprint(attempt).pass_mark,
        "is_passed": attempt.is_passed,
        "review_level": result.review_level,
        "objectives": [
            {
                "id": o.objective_id,
                "text": o.text,
                "points": o.points,
                "max_points": o.max_points,
                "lessons": [key for key, _title in o.lessons],
            }
            for o in result.objectives
        ],
        "questions": questions,
    }


def bank_view(unit: Unit) -> list[dict[str, Any]]:
    rows = current_questions(unit)
    return [
        {
            "key": key,
            "version": version.version,
            "type": version.type,
            "difficulty": version.difficulty,
            "topic": version.topic,
            "objective": version.objective,
            "stem_markdown": version.stem_markdown,
            "data": version.data,
            "feedback_markdown": version.feedback_markdown,
        }
        for key, version in rows
    ]
