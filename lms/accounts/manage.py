"""Staff pages for accounts: find a user, hand out a reset code, create staff, deactivate."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from lms.accounts import services
from lms.accounts.directory import search_users, visible_roles
from lms.accounts.forms import ConfirmForm, StaffAccountForm
from lms.accounts.models import Role, User
from lms.accounts.permissions import admin_required, staff_required
from lms.authoring.units import assign_editor
from lms.content.models import Unit
from lms.database import utcnow
from lms.errors import run_form_action
from lms.extensions import db
from lms.study.progress import study_overview

bp = Blueprint("manage", __name__, url_prefix="/kelola")


def _manageable_user(user_id: int) -> User:
    user = db.get_or_404(User, user_id)
    if not services.can_manage(current_user, user):
        abort(403)
    return user


def _no_store(html: str) -> Response:
    """A page showing a one-time code must not stay in any cache."""
    response = current_app.make_response(html)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/pengguna")
@staff_required
def users() -> str:
    page = search_users(
        current_user,
        text=request.args.get("q", "")[:100],
        role=request.args.get("peran", ""),
        page=request.args.get("hal", 1, type=int),
        size=current_app.config["PAGE_SIZE"],
    )
    return render_template(
        "manage/users.html", page=page, roles=visible_roles(current_user), args=request.args
    )


@bp.route("/pengguna/<int:user_id>")
@staff_required
def user_detail(user_id: int) -> str:
    user = _manageable_user(user_id)
    return render_template("manage/user_detail.html", user=user, form=ConfirmForm())


@bp.route("/pengguna/<int:user_id>/kode-reset", methods=["POST"])
@staff_required
def issue_reset_code(user_id: int) -> Response:
    user = _manageable_user(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    code = services.issue_reset_code(current_user, user, now=utcnow())
    db.session.commit()
    hours = current_app.config["RESET_CODE_HOURS"]
    return _no_store(render_template("manage/reset_code.html", user=user, code=code, hours=hours))


@bp.route("/pengguna/<int:user_id>/status", methods=["POST"])
@admin_required
def set_status(user_id: int) -> Response:
    user = _manageable_user(user_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    active = request.form.get("active") == "1"
    outcome = run_form_action(
        form, lambda: services.set_account_active(current_user, user, active=active)
    )
    if outcome.ok:
        flash(_("Akun diaktifkan.") if active else _("Akun dinonaktifkan."), "success")
    else:
        flash(" ".join(str(message) for message in form.form_errors), "error")
    return redirect(url_for("manage.user_detail", user_id=user.id))


@bp.route("/pengguna/baru", methods=["GET", "POST"])
@admin_required
def create_staff() -> str | Response:
    form = StaffAccountForm()
    units = db.session.scalars(sa.select(Unit).order_by(Unit.position, Unit.code)).all()
    form.unit_codes.choices = [(unit.code, unit.title) for unit in units]
    if form.validate_on_submit():
        chosen = [unit for unit in units if unit.code in (form.unit_codes.data or [])]
        outcome = run_form_action(form, lambda: _create_staff(form, chosen))
        if outcome.ok:
            user, code = outcome.value
            hours = current_app.config["RESET_CODE_HOURS"]
            return _no_store(
                render_template(
                    "manage/reset_code.html", user=user, code=code, hours=hours, is_new=True
                )
            )
    return render_template("manage/create_staff.html", form=form)


def _create_staff(form: StaffAccountForm, units: list[Unit]) -> tuple[User, str]:
    """The account, and for a pelatih the units they will edit (one transaction)."""
    now = utcnow()
    user, code = services.create_staff_account(
        current_user, full_name=form.full_name.data, phone=form.phone.data,
        role=Role(form.role.data), now=now,
    )  # fmt: skip
    if user.has_role(Role.PELATIH):
        for unit in units:
            assign_editor(current_user, unit, user, now=now)
    return user, code


@bp.route("/pengguna/<int:user_id>/progres")
@staff_required
def user_progress(user_id: int) -> str:
    user = _manageable_user(user_id)
    return render_template("manage/user_progress.html", user=user, units=study_overview(user))
