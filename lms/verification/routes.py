"""Public verification: by code (what the QR opens), by uploaded PDF, and the issuer certificate."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from flask_wtf.file import FileField

from lms.accounts.security import throttle
from lms.accounts.session import client_address
from lms.accounts.throttle import FailureThrottle
from lms.certification import codes
from lms.certification.issuer import issuer_key
from lms.certification.keys import certificate_pem
from lms.database import utcnow
from lms.verification.services import lookup_code, verify_file

bp = Blueprint("verification", __name__, url_prefix="/verify")


class UploadForm(FlaskForm):
    berkas = FileField()


def count_lookup() -> None:
    """Every lookup counts against the caller's address, so codes cannot be enumerated."""
    scope = FailureThrottle.scope("verify-address", current_app.config["VERIFY_LIMIT_PER_ADDRESS"])
    checks = [(scope, client_address())]
    if throttle().seconds_blocked(checks):
        abort(429)
    throttle().record_failure(checks)


@bp.route("", methods=["GET"])
def form() -> str | Response:
    typed = request.args.get("kode", "").strip()[:60]
    error = None
    if typed:
        try:
            code = codes.canonical_code(typed)
        except codes.CodeError as problem:
            error = _(problem.message, **problem.params)
        else:
            return redirect(url_for("verification.by_code", code=codes.format_code(code)))
    return render_template("verification/form.html", typed=typed, error=error, form=UploadForm())


@bp.route("/<code>")
def by_code(code: str) -> str:
    count_lookup()
    result = lookup_code(code[:60], now=utcnow())
    status = 404 if result.status in ("not_found", "mistyped") else 200
    return render_template("verification/result.html", result=result, typed=code[:60]), status


@bp.route("/berkas", methods=["GET", "POST"])
def by_file() -> str | tuple[str, int]:
    form = UploadForm()
    if request.method == "GET":
        return redirect(url_for("verification.form"))
    if not form.validate_on_submit():
        abort(400)
    count_lookup()
    upload = request.files.get("berkas")
    data = upload.read(current_app.config["CERTIFICATE_UPLOAD_MAX_BYTES"] + 1) if upload else b""
    error = None
    if not data:
        error = _("Pilih berkas PDF sertifikat terlebih dahulu.")
    elif len(data) > current_app.config["CERTIFICATE_UPLOAD_MAX_BYTES"]:
        error = _("Berkas terlalu besar. Sertifikat BinaKader kurang dari 5 MB.")
    if error:
        return render_template("verification/form.html", typed="", file_error=error, form=form), 400
    return render_template("verification/file_result.html", check=verify_file(data, now=utcnow()))


@bp.route("/penerbit.pem")
def issuer_certificate() -> Response:
    response = Response(certificate_pem(issuer_key()), mimetype="application/x-pem-file")
    response.headers["Content-Disposition"] = "attachment; filename=binakader-penerbit.pem"
    return response
