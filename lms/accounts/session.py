"""Signing in and out: the login cookie, its rotation, and who is loaded from it."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, Request, has_request_context, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_babel import lazy_gettext as _l
from flask_login import login_user, logout_user

from lms.accounts.models import User
from lms.extensions import db, login_manager

#: Session keys that survive signing in and out (the chosen language).
KEPT_ACROSS_LOGIN = ("lang",)


class BinaKaderSessionInterface(SecureCookieSessionInterface):
    """Signed-cookie sessions whose cookie is Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        if app.config["SESSION_COOKIE_SECURE"]:
            return True
        return has_request_context() and request.is_secure


def init_login(app: Flask) -> None:
    app.session_interface = BinaKaderSessionInterface()
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Silakan masuk untuk membuka halaman ini.")
    login_manager.login_message_category = "info"
    # Mobile addresses change often; "basic" keeps people signed in when they do.
    login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(cookie_id: str) -> User | None:
    """The user named by the cookie, if the account is active and the cookie is current."""
    user_id, _, version = cookie_id.partition(".")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.scalar(sa.select(User).where(User.id == int(user_id)))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


def start_session(user: User) -> None:
    """Sign in with a fresh session: nothing from before the login (e.g. a planted
    session or CSRF token) carries over."""
    kept = {key: session[key] for key in KEPT_ACROSS_LOGIN if key in session}
    session.clear()
    session.update(kept)
    login_user(user)


def end_session() -> None:
    kept = {key: session[key] for key in KEPT_ACROSS_LOGIN if key in session}
    logout_user()
    session.clear()
    session.update(kept)


def client_address(req: Request | None = None) -> str:
    """The client's address (ProxyFix has already applied trusted X-Forwarded-For)."""
    req = req or request
    return req.remote_addr or "unknown"
