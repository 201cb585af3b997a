"""The kader's certificates: progress toward each program, and the signed PDFs to download."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort, render_template
from flask_login import current_user, login_required

from lms.certification import codes
from lms.certification.models import Certificate
from lms.certification.services import program_progress
from lms.content.models import Program
from lms.database import utcnow
from lms.dates import local_date
from lms.extensions import db

bp = Blueprint("certificates", __name__, url_prefix="/sertifikat")


def own_certificates(user_id: int) -> list[Certificate]:
    return list(
        db.session.scalars(
            sa.select(Certificate)
            .where(Certificate.user_id == user_id)
            .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        )
    )


@bp.route("/")
@login_required
def overview() -> str:
    today = local_date(utcnow())
    programs = db.session.scalars(sa.select(Program).order_by(Program.id)).all()
    return render_template(
        "certification/overview.html",
        progress=[program_progress(current_user, program, today=today) for program in programs],
        certificates=own_certificates(current_user.id),
        today=today,
    )


def own_certificate_or_404(typed_code: str) -> Certificate:
    """The user's own certificate; anyone else's does not exist for them."""
    try:
        code = codes.canonical_code(typed_code)
    except codes.CodeError:
        abort(404)
    certificate = db.session.scalar(
        sa.select(Certificate).where(
            Certificate.code == code, Certificate.user_id == current_user.id
        )
    )
    if certificate is None:
        abort(404)
    return certificate


def pdf_response(certificate: Certificate) -> Response:
    """The stored, signed file exactly as issued (never a re-render)."""
    response = Response(certificate.pdf, mimetype="application/pdf")
    name = f"sertifikat-{codes.format_code(certificate.code)}.pdf"
    response.headers["Content-Disposition"] = f"attachment; filename={name}"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/<code>.pdf")
@login_required
def download(code: str) -> Response:
    return pdf_response(own_certificate_or_404(code))
