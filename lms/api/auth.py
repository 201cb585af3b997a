"""Who is calling the API: a bearer token, or the session cookie with a CSRF header."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, g, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from lms.accounts.models import User
from lms.api.errors import ApiError
from lms.api.models import ApiToken
from lms.database import utcnow
from lms.extensions import csrf, db

TOKEN_DAYS = 30
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
#: Operations that act on nobody's account, so a session cookie gives them nothing to forge.
NO_CSRF_ENDPOINTS = {"api.register_kader", "api.create_token_route", "api.verify_certificate_pdf"}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, *, now: datetime) -> tuple[str, ApiToken]:
    token = "bk_" + secrets.token_urlsafe(32)
    record = ApiToken(
        user_id=user.id,
        token_hash=hash_token(token),
        session_version=user.session_version,
        created_at=now,
        expires_at=now + timedelta(days=TOKEN_DAYS),
    )
    db.session.add(record)
    return token, record


def _user_from_bearer(header: str) -> User:
    token = header.removeprefix("Bearer ").strip()
    record = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    if record is None or record.expires_at <= utcnow():
        raise ApiError(401, "invalid_token", _("Token tidak sah atau sudah kedaluwarsa."))
    user = record.user
    if not user.is_active or user.session_version != record.session_version:
        raise ApiError(401, "invalid_token", _("Token tidak sah atau sudah kedaluwarsa."))
    return user


def authenticate_request() -> None:
    """Set g.api_user from the bearer token or the session; session writes need the CSRF header."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        g.api_user = _user_from_bearer(header)
        return
    if current_user.is_authenticated:
        if (
            request.method in UNSAFE_METHODS
            and request.endpoint not in NO_CSRF_ENDPOINTS
            and current_app.config.get("WTF_CSRF_ENABLED", True)
        ):
            try:
                csrf.protect()
            except CSRFError as error:
                raise ApiError(
                    400, "csrf_failed", _("Header X-CSRFToken tidak ada atau tidak sah.")
                ) from error
        g.api_user = current_user._get_current_object()
        return
    g.api_user = None


def require_user() -> User:
    user = g.get("api_user")
    if user is None:
        raise ApiError(401, "unauthenticated", _("Masuk dulu atau kirim token Bearer."))
    return user
