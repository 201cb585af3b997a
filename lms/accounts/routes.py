"""Self-service account pages: register, sign in and out, change or reset a password."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from lms.accounts import services
from lms.accounts.forms import ChangePasswordForm, LoginForm, RegistrationForm, ResetWithCodeForm
from lms.accounts.session import client_address, end_session, start_session
from lms.database import utcnow
from lms.errors import run_form_action

bp = Blueprint("accounts", __name__)

#: Pages a user who must change their password may still open.
OPEN_DURING_FORCED_CHANGE = {"accounts.change_password", "accounts.logout", "main.set_language"}


@bp.before_app_request
def require_password_change() -> Response | None:
    if (
        current_user.is_authenticated
        and current_user.is_password_change_required
        and request.endpoint not in OPEN_DURING_FORCED_CHANGE
        and request.endpoint != "static"
    ):
        flash(_("Silakan ganti kata sandi sementara Anda sebelum melanjutkan."), "info")
        return redirect(url_for("accounts.change_password"))
    return None


def _safe_next(target: str | None) -> str:
    """Only same-site paths, so a link cannot send someone elsewhere after login."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and "\\" not in target:
            return target
    return url_for("main.home")


@bp.route("/daftar", methods=["GET", "POST"])
def register() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = RegistrationForm()
    if form.validate_on_submit():
        data = services.Registration.from_form(form)
        outcome = run_form_action(form, lambda: services.register_kader(data, now=utcnow()))
        if outcome.ok:
            start_session(outcome.value)
            flash(_("Pendaftaran berhasil. Selamat datang di BinaKader!"), "success")
            return redirect(url_for("main.home"))
    return render_template("accounts/register.html", form=form)


@bp.route("/masuk", methods=["GET", "POST"])
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        outcome = run_form_action(
            form,
            lambda: services.authenticate(
                form.phone.data, form.password.data, address=client_address(), now=utcnow()
            ),
        )
        if outcome.ok:
            start_session(outcome.value)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("accounts/login.html", form=form)


@bp.route("/keluar", methods=["POST"])
def logout() -> Response:
    end_session()
    flash(_("Anda sudah keluar."), "info")
    return redirect(url_for("main.home"))


@bp.route("/akun/kata-sandi", methods=["GET", "POST"])
@login_required
def change_password() -> str | Response:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        outcome = run_form_action(
            form,
            lambda: services.change_password(
                current_user, form.current_password.data, form.new_password.data
            ),
        )
        if outcome.ok:
            start_session(current_user._get_current_object())
            flash(_("Kata sandi berhasil diganti."), "success")
            return redirect(url_for("main.home"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/lupa-kata-sandi", methods=["GET", "POST"])
def reset_password() -> str | Response:
    form = ResetWithCodeForm()
    if form.validate_on_submit():
        outcome = run_form_action(
            form,
            lambda: services.reset_password_with_code(
                form.phone.data,
                form.code.data,
                form.new_password.data,
                address=client_address(),
                now=utcnow(),
            ),
        )
        if outcome.ok:
            end_session()
            flash(_("Kata sandi baru sudah disimpan. Silakan masuk."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)
