"""Errors that services raise for the user, and the friendly error pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from lms.extensions import db

T = TypeVar("T")


class FieldError(Exception):
    """Input that a service refused, with the form field it belongs to and a message for people."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def attach_field_error(form: object, error: FieldError) -> None:
    """Show a service's refusal next to the field it concerns (or above the form)."""
    field = getattr(form, error.field, None)
    if field is not None and hasattr(field, "errors"):
        field.errors = [*list(field.errors), error.message]
    else:
        form.form_errors.append(error.message)  # type: ignore[attr-defined]


#: Title and explanation for each status, shown on the error page.
ERROR_TEXTS = {
    400: (_l("Permintaan tidak dapat diproses"), _l("Data yang dikirim tidak lengkap atau rusak.")),
    403: (_l("Akses ditolak"), _l("Akun Anda tidak memiliki izin untuk membuka halaman ini.")),
    404: (
        _l("Halaman tidak ditemukan"),
        _l("Alamat yang Anda buka tidak ada atau sudah dipindah."),
    ),
    405: (_l("Cara akses tidak diizinkan"), _l("Halaman ini tidak bisa dibuka dengan cara itu.")),
    413: (_l("Berkas terlalu besar"), _l("Ukuran data yang dikirim melebihi batas.")),
    429: (_l("Terlalu banyak percobaan"), _l("Tunggu sebentar, lalu coba lagi.")),
    500: (_l("Terjadi kesalahan"), _l("Maaf, ada gangguan di server. Silakan coba lagi nanti.")),
}

CSRF_TEXT = (
    _l("Formulir kedaluwarsa"),
    _l("Formulir ini sudah terlalu lama dibuka atau sesi Anda berganti. Muat ulang dan coba lagi."),
)


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def _render(status: int, title: object, message: object) -> tuple[object, int]:
    if _wants_json():
        code = HTTP_STATUS_CODES.get(status, "error").lower().replace(" ", "_")
        return jsonify(error={"code": code, "message": str(message)}), status
    return render_template("errors/error.html", status=status, title=title, message=message), status


def register_error_pages(app: Flask) -> None:
    """Friendly pages (or JSON under /api) for every HTTP error."""

    @app.errorhandler(CSRFError)
    def csrf_error(_error: CSRFError) -> tuple[object, int]:
        return _render(400, *CSRF_TEXT)

    # Unhandled exceptions reach this handler as InternalServerError (500), after Flask has
    # logged them; in tests they propagate instead, so a bug is never hidden behind a page.
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[object, int]:
        status = error.code or 500
        title, message = ERROR_TEXTS.get(status, (error.name, error.description))
        return _render(status, title, message)


@dataclass
class Outcome(Generic[T]):
    ok: bool
    value: T | None = None


def run_form_action(form: object, action: Callable[[], T]) -> Outcome[T]:
    """Run one service call as one transaction for a form.

    On success the transaction is committed; on a FieldError it is rolled back and the message
    is shown next to its field, with everything the user typed kept.
    """
    try:
        value = action()
    except FieldError as error:
        db.session.rollback()
        attach_field_error(form, error)
        return Outcome(ok=False)
    db.session.commit()
    return Outcome(ok=True, value=value)
