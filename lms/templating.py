"""What every template can use: asset URLs with a content hash, formatting helpers."""

from __future__ import annotations

import hashlib
from datetime import date
from functools import cache
from pathlib import Path

from flask import Flask, request, url_for
from flask_babel import format_date, format_datetime, get_locale

from lms.accounts.phone import format_phone
from lms.certification.codes import format_code
from lms.reference.regions import kecamatan_name

LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}


@cache
def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:10]


def approximate_size(size_bytes: int) -> str:
    """A download size as people read it: "± 24 KB"."""
    return f"± {max(1, round(size_bytes / 1024))} KB"


def init_templating(app: Flask) -> None:
    static_folder = Path(app.static_folder or "")

    def asset_url(filename: str) -> str:
        """A static URL that changes when the file does, so it can be cached for a year."""
        return url_for("static", filename=filename, v=_file_hash(static_folder / filename))

    @app.context_processor
    def globals_for_templates() -> dict[str, object]:
        return {
            "asset_url": asset_url,
            "current_language": str(get_locale() or app.config["BABEL_DEFAULT_LOCALE"]),
            "language_names": LANGUAGE_NAMES,
            "current_path": request.full_path.rstrip("?") if request else "/",
        }

    app.jinja_env.filters["phone"] = format_phone
    app.jinja_env.filters["kb"] = approximate_size
    app.jinja_env.filters["format_date"] = format_date
    app.jinja_env.filters["format_datetime"] = format_datetime
    app.jinja_env.filters["code"] = format_code
    app.jinja_env.filters["isodate"] = date.fromisoformat
    app.jinja_env.filters["kecamatan"] = kecamatan_name
