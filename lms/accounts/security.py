"""Per-app password hashing and failure throttling, set up once in create_app()."""

from __future__ import annotations

from flask import Flask, current_app

from lms.accounts.passwords import PasswordHashing
from lms.accounts.throttle import FailureThrottle, Scope

_HASHING = "binakader.password_hashing"
_THROTTLE = "binakader.throttle"


def init_security(app: Flask) -> None:
    app.extensions[_HASHING] = PasswordHashing(app.config["PASSWORD_HASH_PROFILE"])
    app.extensions[_THROTTLE] = FailureThrottle(app.config["RATELIMIT_STORAGE_URI"])


def password_hashing() -> PasswordHashing:
    return current_app.extensions[_HASHING]


def throttle() -> FailureThrottle:
    return current_app.extensions[_THROTTLE]


def login_scopes() -> tuple[Scope, Scope]:
    """Failed logins counted per account and per address."""
    config = current_app.config
    return (
        FailureThrottle.scope("login-account", config["LOGIN_LIMIT_PER_ACCOUNT"]),
        FailureThrottle.scope("login-address", config["LOGIN_LIMIT_PER_ADDRESS"]),
    )


def reset_scopes() -> tuple[Scope, Scope]:
    """Wrong reset codes counted per account and per address (same limits as logins)."""
    config = current_app.config
    return (
        FailureThrottle.scope("reset-account", config["LOGIN_LIMIT_PER_ACCOUNT"]),
        FailureThrottle.scope("reset-address", config["LOGIN_LIMIT_PER_ADDRESS"]),
    )
