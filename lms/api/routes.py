"""JSON API v1 (see openapi.py for the contract). Thin: parse, call one service, answer."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Response, jsonify, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from lms.accounts import services as accounts
from lms.accounts.forms import RegistrationForm
from lms.accounts.models import Role
from lms.accounts.phone import normalise_phone
from lms.accounts.session import client_address
from lms.api import views
from lms.api.auth import authenticate_request, create_token, require_user
from lms.api.errors import ApiError
from lms.api.openapi import openapi_document
from lms.assessment import services as tests
from lms.content.models import Unit
from lms.database import utcnow
from lms.errors import FieldError
from lms.extensions import csrf, db

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.before_request
def before() -> None:
    authenticate_request()


@bp.errorhandler(ApiError)
def api_error(error: ApiError) -> tuple[Response, int]:
    db.session.rollback()
    return error.response()


@bp.errorhandler(tests.AssessmentError)
def assessment_error(error: tests.AssessmentError) -> tuple[Response, int]:
    db.session.commit()  # keep what was legitimately finalised (an expired attempt)
    return ApiError(error.status, error.code, error.message).response()


def json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_json", _("Isi permintaan harus berupa objek JSON."))
    return body


def _unit(code: str) -> Unit:
    unit = db.session.scalar(sa.select(Unit).where(Unit.code == code, Unit.is_published.is_(True)))
    if unit is None:
        raise ApiError(404, "not_found", _("Unit tidak ditemukan."))
    return unit


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(openapi_document())


@bp.post("/kader")
def register_kader() -> tuple[Response, int]:
    form = RegistrationForm(formdata=views.registration_formdata(json_body()), meta={"csrf": False})
    if not form.validate():
        raise views.validation_error(form)
    data = accounts.Registration.from_form(form)
    try:
        user = accounts.register_kader(data, now=utcnow())
    except FieldError as error:
        raise views.field_error(error) from error
    db.session.commit()
    return jsonify(views.user_view(user)), 201


@bp.post("/tokens")
def create_token_route() -> tuple[Response, int]:
    body = json_body()
    phone = normalise_phone(str(body.get("phone", "")))
    password = body.get("password")
    if phone is None or not isinstance(password, str):
        raise ApiError(422, "validation_failed", _("Kirim 'phone' dan 'password' yang sah."))
    try:
        user = accounts.authenticate(phone, password, address=client_address(), now=utcnow())
    except FieldError as error:
        status = 429 if "Terlalu banyak" in error.message else 401
        raise ApiError(status, "login_failed", error.message) from error
    token, record = create_token(user, now=utcnow())
    db.session.commit()
    return jsonify(token=token, expires_at=record.expires_at.isoformat()), 201


@bp.get("/units")
def list_units() -> Response:
    return jsonify(units=views.units_view(require_user(), utcnow()))


@bp.post("/units/<code>/attempts")
def start_attempt(code: str) -> tuple[Response, int]:
    user = require_user()
    unit = _unit(code)
    now = utcnow()
    attempt = tests.start_attempt(user, unit, now=now)
    created = attempt.started_at == now
    db.session.commit()
    return jsonify(views.attempt_view(attempt, now)), 201 if created else 200


@bp.get("/attempts/<int:attempt_id>")
def get_attempt(attempt_id: int) -> Response:
    user = require_user()
    now = utcnow()
    attempt = tests.find_attempt(user, attempt_id)
    tests.finalise_if_expired(attempt, now=now)
    db.session.commit()
    return jsonify(views.attempt_view(attempt, now))


@bp.put("/attempts/<int:attempt_id>/answers/<int:position>")
def save_answer(attempt_id: int, position: int) -> Response:
    user = require_user()
    body = json_body()
    if "response" not in body or "seq" not in body:
        raise ApiError(422, "validation_failed", _("Kirim 'response' dan 'seq'."))
    now = utcnow()
    attempt = tests.find_attempt(user, attempt_id)
    saved = tests.save_answer(user, attempt, position, body["response"], seq=body["seq"], now=now)
    db.session.commit()
    return jsonify(
        position=saved.position, seq=saved.seq, applied=saved.applied, response=saved.response
    )


@bp.post("/attempts/<int:attempt_id>/submit")
def submit_attempt(attempt_id: int) -> Response:
    user = require_user()
    attempt = tests.find_attempt(user, attempt_id)
    tests.submit_attempt(user, attempt, now=utcnow())
    db.session.commit()
    return jsonify(views.result_view(attempt))


@bp.get("/attempts/<int:attempt_id>/result")
def get_attempt_result(attempt_id: int) -> Response:
    user = require_user()
    attempt = tests.find_attempt(user, attempt_id)
    tests.finalise_if_expired(attempt, now=utcnow())
    db.session.commit()
    if attempt.is_open:
        raise ApiError(409, "not_submitted", _("Uji ini belum dikirim."))
    return jsonify(views.result_view(attempt))


@bp.get("/units/<code>/questions")
def list_bank_questions(code: str) -> Response:
    user = require_user()
    if not user.has_role(Role.PELATIH, Role.ADMIN):
        raise ApiError(403, "forbidden", _("Hanya pelatih dan admin yang boleh melihat bank soal."))
    return jsonify(questions=views.bank_view(_unit(code)))


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException) -> tuple[Response, int]:
    status = error.code or 500
    return ApiError(
        status, error.name.lower().replace(" ", "_"), error.description or ""
    ).response()


# Certificate operations live in their own module on the same blueprint.
from lms.api import certificate_routes as _certificate_routes  # noqa: E402, F401
