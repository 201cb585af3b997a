"""Language: Bahasa Indonesia by default, English when the user switches."""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, session

from lms.extensions import babel


def select_locale() -> str:
    # Console commands have no session: they speak the default language.
    chosen = session.get("lang") if has_request_context() else None
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def init_i18n(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
