"""API v1 for certificates: public verification, the issuer certificate, a kader's own PDFs."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, jsonify, request, url_for
from flask_babel import gettext as _

from lms.api.auth import require_user
from lms.api.errors import ApiError
from lms.api.routes import bp
from lms.certification import codes
from lms.certification.issuer import issuer_key
from lms.certification.keys import certificate_pem
from lms.certification.models import Certificate
from lms.certification.routes import own_certificates, pdf_response
from lms.database import utcnow
from lms.dates import local_date
from lms.extensions import db
from lms.verification.routes import count_lookup
from lms.verification.services import lookup_code, verify_file


def certificate_view(certificate: Certificate, status: str) -> dict[str, Any]:
    """What anyone may know about a certificate: no phone number, no other personal data."""
    return {
        "code": codes.format_code(certificate.code),
        "status": status,
        "holder_name": certificate.holder_name,
        "program": certificate.program_title,
        "units": [
            {"title": unit["title"], "passed_on": unit["passed_on"]} for unit in certificate.units
        ],
        "issued_on": certificate.issued_on.isoformat(),
        "expires_on": certificate.expires_on.isoformat(),
        "issuer": certificate.issuer_name,
        "revoked_at": certificate.revoked_at.isoformat() if certificate.revoked_at else None,
        "revoked_reason": certificate.revoked_reason,
        "replaced_by": codes.format_code(certificate.replaced_by.code)
        if certificate.replaced_by
        else None,
    }


@bp.get("/certificates/<code>")
def verify_certificate(code: str) -> Response:
    count_lookup()
    result = lookup_code(code[:60], now=utcnow())
    if result.status == "mistyped":
        raise ApiError(422, "mistyped_code", result.message)
    if result.status == "not_found":
        raise ApiError(404, "not_found", _("Tidak ada sertifikat BinaKader dengan kode ini."))
    return jsonify(certificate_view(result.certificate, result.status))


@bp.post("/certificates/verify-pdf")
def verify_certificate_pdf() -> Response:
    count_lookup()
    upload = request.files.get("file")
    limit = current_app.config["CERTIFICATE_UPLOAD_MAX_BYTES"]
    data = upload.read(limit + 1) if upload else b""
    if not data:
        raise ApiError(422, "no_file", _("Kirim berkas PDF pada kolom 'file'."))
    if len(data) > limit:
        raise ApiError(
            413, "file_too_large", _("Berkas terlalu besar. Sertifikat BinaKader kurang dari 5 MB.")
        )
    check = verify_file(data, now=utcnow())
    return jsonify(
        verdict=check.verdict.value,
        reason=check.reason,
        status=check.status,
        certificate=certificate_view(check.certificate, check.status)
        if check.certificate is not None and check.status
        else None,
    )


@bp.get("/issuer-certificate")
def get_issuer_certificate() -> Response:
    return Response(certificate_pem(issuer_key()), mimetype="application/x-pem-file")


@bp.get("/me/certificates")
def list_my_certificates() -> Response:
    user = require_user()
    today = local_date(utcnow())
    items = []
    for certificate in own_certificates(user.id):
        view = certificate_view(certificate, certificate.status(today).value)
        view["download_url"] = url_for(
            "api.download_certificate_pdf", code=codes.format_code(certificate.code)
        )
        items.append(view)
    return jsonify(certificates=items)


@bp.get("/me/certificates/<code>/pdf")
def download_certificate_pdf(code: str) -> Response:
    user = require_user()
    try:
        canonical = codes.canonical_code(code)
    except codes.CodeError as error:
        raise ApiError(404, "not_found", _("Sertifikat tidak ditemukan.")) from error
    certificate = db.session.scalar(
        db.select(Certificate).where(Certificate.code == canonical, Certificate.user_id == user.id)
    )
    if certificate is None:
        raise ApiError(404, "not_found", _("Sertifikat tidak ditemukan."))
    return pdf_response(certificate)
