"""The home page, the language switch and the health check."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from lms.accounts.routes import _safe_next
from lms.extensions import csrf, db
from lms.study.progress import resume_target, study_overview

bp = Blueprint("main", __name__)


@bp.route("/")
def home() -> str:
    if not current_user.is_authenticated:
        return render_template("main/welcome.html")
    if current_user.is_staff:
        return render_template("main/staff_home.html")
    overview = study_overview(current_user)
    return render_template(
        "main/kader_home.html", units=overview, resume=resume_target(current_user, overview)
    )


@bp.route("/bahasa", methods=["POST"])
def set_language() -> Response:
    language = request.form.get("lang", "")
    if language in current_app.config["LANGUAGES"]:
        session["lang"] = language
    return redirect(_safe_next(request.form.get("next")))


@bp.route("/healthz")
@csrf.exempt
def health() -> tuple[Response, int]:
    try:
        db.session.execute(sa.text("SELECT 1"))
        database = "ok"
    except SQLAlchemyError:
        database = "unreachable"
    finally:
        db.session.rollback()
    status = 200 if database == "ok" else 503
    return jsonify(status="ok" if status == 200 else "error", database=database), status
