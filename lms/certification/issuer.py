"""The app's issuer key, loaded once per process from the configured place."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from lms.certification.keys import load_issuer_key
from lms.certification.signing import IssuerKey

_KEY = "binakader.issuer_key"
DEFAULT_ISSUER = "DPPKB Kabupaten Kutai Timur"


def issuer_key(app: Flask | None = None) -> IssuerKey:
    """The signing key and certificate (created in the instance folder on first use)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    if _KEY not in app.extensions:
        app.extensions[_KEY] = load_issuer_key(
            Path(app.instance_path),
            pkcs12_path=app.config["SIGNING_PKCS12"],
            password=app.config["SIGNING_PASSWORD"],
            issuer_name=DEFAULT_ISSUER,
        )
    return app.extensions[_KEY]
