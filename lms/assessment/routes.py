"""The test pages: intro and history, the answer form (works without JavaScript), submit, result."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from lms.accounts.forms import ConfirmForm
from lms.assessment import services
from lms.assessment.forms import read_answer
from lms.assessment.presentation import question_view, seconds_left
from lms.assessment.results import attempt_result, key_for_display
from lms.content.models import Unit
from lms.database import utcnow
from lms.extensions import db

bp = Blueprint("assessment", __name__, url_prefix="/uji")


def _unit_or_404(unit_code: str) -> Unit:
    unit = db.session.scalar(
        sa.select(Unit).where(Unit.code == unit_code, Unit.is_published.is_(True))
    )
    if unit is None:
        abort(404)
    return unit


def _own_attempt(attempt_id: int) -> services.Attempt:
    try:
        return services.find_attempt(current_user, attempt_id)
    except services.AssessmentError:
        abort(404)


@bp.route("/<unit_code>")
@login_required
def overview(unit_code: str) -> str:
    unit = _unit_or_404(unit_code)
    status = services.competency_status(current_user, unit, now=utcnow())
    db.session.commit()  # expired attempts may just have been finalised
    return render_template("assessment/overview.html", status=status, form=ConfirmForm())


@bp.route("/<unit_code>/mulai", methods=["POST"])
@login_required
def start(unit_code: str) -> Response:
    unit = _unit_or_404(unit_code)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        attempt = services.start_attempt(current_user, unit, now=utcnow())
    except services.AssessmentError as error:
        db.session.commit()
        flash(error.message, "error")
        return redirect(url_for("assessment.overview", unit_code=unit_code))
    db.session.commit()
    return redirect(url_for("assessment.attempt", attempt_id=attempt.id))


def _page_bounds(attempt: services.Attempt, page: int) -> tuple[int, int, int]:
    per_page = services.attempt_blueprint(attempt).questions_per_page
    pages = max(1, -(-len(attempt.questions) // per_page))
    page = min(max(page, 1), pages)
    return page, pages, per_page


@bp.route("/percobaan/<int:attempt_id>", methods=["GET", "POST"])
@login_required
def attempt(attempt_id: int) -> str | Response:
    attempt = _own_attempt(attempt_id)
    now = utcnow()
    page, pages, per_page = _page_bounds(attempt, request.args.get("hal", 1, type=int))
    on_page = attempt.questions[(page - 1) * per_page : page * per_page]
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        errors = _save_page(attempt, on_page, now)
        db.session.commit()
        if not errors and attempt.is_open:
            return redirect(_after_page(attempt, page, pages))
        for message in errors:
            flash(message, "error")
    elif services.finalise_if_expired(attempt, now=now):
        # Commit only when something was written: a commit expires every loaded object, and
        # the page would then load the attempt, the user and each question again.
        db.session.commit()
    if not attempt.is_open:
        return redirect(url_for("assessment.result", attempt_id=attempt.id))
    return render_template(
        "assessment/attempt.html",
        attempt=attempt,
        questions=[question_view(q) for q in on_page],
        page=page,
        pages=pages,
        seconds_left=seconds_left(attempt, now),
        answered=sum(q.response is not None for q in attempt.questions),
        form=ConfirmForm(),
    )


def _save_page(attempt: services.Attempt, questions: list, now) -> list[str]:
    errors = []
    for question in questions:
        response = read_answer(question, request.form)
        if response == question.response:
            continue
        try:
            services.save_answer(
                current_user, attempt, question.position, response, seq=None, now=now
            )
        except services.AssessmentError as error:
            errors.append(_("Soal %(n)d: %(message)s", n=question.position, message=error.message))
            if error.code in ("time_over", "submitted"):
                break
    return errors


def _after_page(attempt: services.Attempt, page: int, pages: int) -> str:
    action = request.form.get("aksi", "lanjut")
    if action == "kembali" and page > 1:
        return url_for("assessment.attempt", attempt_id=attempt.id, hal=page - 1)
    if action == "lanjut" and page < pages:
        return url_for("assessment.attempt", attempt_id=attempt.id, hal=page + 1)
    if action.startswith("hal-") and action[4:].isdigit():
        return url_for("assessment.attempt", attempt_id=attempt.id, hal=int(action[4:]))
    return url_for("assessment.confirm", attempt_id=attempt.id)


@bp.route("/percobaan/<int:attempt_id>/kirim", methods=["GET", "POST"])
@login_required
def confirm(attempt_id: int) -> str | Response:
    attempt = _own_attempt(attempt_id)
    now = utcnow()
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        services.submit_attempt(current_user, attempt, now=now)
        db.session.commit()
        return redirect(url_for("assessment.result", attempt_id=attempt.id))
    if services.finalise_if_expired(attempt, now=now):
        db.session.commit()
    if not attempt.is_open:
        return redirect(url_for("assessment.result", attempt_id=attempt.id))
    per_page = services.attempt_blueprint(attempt).questions_per_page
    unanswered = [q.position for q in attempt.questions if q.response is None]
    return render_template(
        "assessment/confirm.html",
        attempt=attempt,
        unanswered=unanswered,
        per_page=per_page,
        seconds_left=seconds_left(attempt, now),
        form=ConfirmForm(),
    )


@bp.route("/percobaan/<int:attempt_id>/hasil")
@login_required
def result(attempt_id: int) -> str | Response:
    attempt = _own_attempt(attempt_id)
    services.finalise_if_expired(attempt, now=utcnow())
    db.session.commit()
    if attempt.is_open:
        return redirect(url_for("assessment.attempt", attempt_id=attempt.id))
    return render_template(
        "assessment/result.html",
        result=attempt_result(attempt),
        key_for_display=key_for_display,
        question_view=question_view,
    )
