"""Configuration: safe defaults, everything overridable from the environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent

#: Environment variables read at start-up, with what they set.
ENVIRONMENT_KEYS = {
    "SECRET_KEY": "SECRET_KEY",
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "REDIS_URL": "RATELIMIT_STORAGE_URI",
    "BINAKADER_ENV": "BINAKADER_ENV",
    "BINAKADER_PROXY_COUNT": "PROXY_COUNT",
    "BINAKADER_RESET_CODE_HOURS": "RESET_CODE_HOURS",
    "BINAKADER_PUBLIC_URL": "PUBLIC_URL",
    "BINAKADER_SIGNING_PKCS12": "SIGNING_PKCS12",
    "BINAKADER_SIGNING_PASSWORD": "SIGNING_PASSWORD",
    "BINAKADER_PASSWORD_HASH": "PASSWORD_HASH_PROFILE",
}


class ConfigurationError(RuntimeError):
    """A setting is missing or wrong; raised at start-up with a message for the operator."""


def default_config(instance_path: Path) -> dict[str, Any]:
    """Settings that hold when neither the environment nor the caller says otherwise."""
    return {
        "BINAKADER_ENV": "development",
        "SECRET_KEY": None,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance_path / 'binakader.db'}",
        "RATELIMIT_STORAGE_URI": "memory://",
        "PROXY_COUNT": 0,
        "RESET_CODE_HOURS": 24,
        # Failed logins allowed per account and per address before a pause.
        "LOGIN_LIMIT_PER_ACCOUNT": "5 per 15 minutes",
        "LOGIN_LIMIT_PER_ADDRESS": "30 per 15 minutes",
        "PASSWORD_HASH_PROFILE": "owasp",
        "LANGUAGES": ("id", "en"),
        "BABEL_DEFAULT_LOCALE": "id",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Makassar",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": False,
        "SESSION_COOKIE_NAME": "binakader_session",
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * 24 * 14,
        "WTF_CSRF_TIME_LIMIT": None,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SEND_FILE_MAX_AGE_DEFAULT": 60 * 60 * 24 * 365,
        "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
        "PAGE_SIZE": 25,
        #: The address printed in certificate QR codes (the verification page lives under it).
        "PUBLIC_URL": "http://127.0.0.1:5000",
        "SIGNING_PKCS12": None,
        "SIGNING_PASSWORD": None,
        #: Verification lookups allowed per address (codes must not be enumerable).
        "VERIFY_LIMIT_PER_ADDRESS": "30 per minute",
        "CERTIFICATE_UPLOAD_MAX_BYTES": 5 * 1024 * 1024,
    }


def from_environment(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Settings named in ENVIRONMENT_KEYS that the environment sets."""
    environ = os.environ if environ is None else environ
    found: dict[str, Any] = {}
    for variable, key in ENVIRONMENT_KEYS.items():
        value = environ.get(variable)
        if value:
            found[key] = value
    for key in ("PROXY_COUNT", "RESET_CODE_HOURS"):
        if key in found:
            try:
                found[key] = int(found[key])
            except ValueError as exc:
                raise ConfigurationError(f"{key} must be a whole number") from exc
    return found


def normalise_database_url(url: str) -> str:
    """Send plain PostgreSQL URLs to the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_secret_key(instance_path: Path, production: bool) -> str:
    """The key kept in the instance folder, made once for local use.

    In production the key must come from the environment: a key made on one server's disk
    would differ between app servers behind a load balancer and log everyone out.
    """
    if production:
        raise ConfigurationError(
            "SECRET_KEY is not set. In production (BINAKADER_ENV=production) set SECRET_KEY in "
            "the environment to a long random value shared by every app server."
        )
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key)
    return key
