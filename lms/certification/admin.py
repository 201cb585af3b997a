"""DPPKB staff: certificates (find, revoke, re-issue), corrections to holder data, audit log."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from lms.accounts.forms import REQUIRED, kecamatan_field
from lms.accounts.models import Role, User
from lms.accounts.permissions import admin_required
from lms.audit.models import AuditEvent, record
from lms.certification import codes, services
from lms.certification.models import Certificate
from lms.certification.routes import pdf_response
from lms.database import utcnow
from lms.dates import local_date
from lms.extensions import db

bp = Blueprint("certificate_admin", __name__, url_prefix="/kelola")


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        _l("Alasan"),
        validators=[
            DataRequired(REQUIRED),
            Length(min=5, max=500, message=_l("Alasan 5 sampai 500 karakter.")),
        ],
    )


class CorrectionForm(FlaskForm):
    full_name = StringField(
        _l("Nama lengkap"),
        validators=[
            DataRequired(REQUIRED),
            Length(3, 120, message=_l("Nama lengkap 3 sampai 120 karakter.")),
        ],
    )
    kecamatan_code = kecamatan_field()
    desa = StringField(
        _l("Desa/Kelurahan"),
        validators=[
            DataRequired(REQUIRED),
            Length(2, 120, message=_l("Nama desa/kelurahan 2 sampai 120 karakter.")),
        ],
    )
    reason = TextAreaField(
        _l("Alasan koreksi"),
        validators=[
            DataRequired(REQUIRED),
            Length(5, 500, message=_l("Alasan 5 sampai 500 karakter.")),
        ],
    )


@bp.route("/sertifikat")
@admin_required
def certificates() -> str:
    text = request.args.get("q", "").strip()[:100]
    query = sa.select(Certificate).order_by(Certificate.issued_at.desc()).limit(100)
    if text:
        try:
            query = query.where(Certificate.code == codes.canonical_code(text))
        except codes.CodeError:
            query = query.where(sa.func.lower(Certificate.holder_name).like(f"%{text.lower()}%"))
    return render_template(
        "certification/admin_list.html",
        certificates=db.session.scalars(query).all(),
        q=text,
        today=local_date(utcnow()),
    )


def _certificate(certificate_id: int) -> Certificate:
    return db.get_or_404(Certificate, certificate_id)


@bp.route("/sertifikat/<int:certificate_id>")
@admin_required
def certificate(certificate_id: int) -> str:
    return _detail(
        _certificate(certificate_id), ReasonForm(prefix="cabut"), ReasonForm(prefix="ulang")
    )


def _detail(certificate: Certificate, revoke_form: ReasonForm, reissue_form: ReasonForm) -> str:
    events = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.subject_type == "certificate", AuditEvent.subject_id == certificate.id)
        .order_by(AuditEvent.created_at)
    ).all()
    return render_template(
        "certification/admin_detail.html",
        certificate=certificate,
        revoke_form=revoke_form,
        reissue_form=reissue_form,
        events=events,
        today=local_date(utcnow()),
    )


@bp.route("/sertifikat/<int:certificate_id>/pdf")
@admin_required
def certificate_pdf(certificate_id: int) -> Response:
    return pdf_response(_certificate(certificate_id))


@bp.route("/sertifikat/<int:certificate_id>/cabut", methods=["POST"])
@admin_required
def revoke(certificate_id: int) -> str | Response:
    certificate = _certificate(certificate_id)
    form = ReasonForm(prefix="cabut")
    if not form.validate_on_submit() or certificate.revoked_at is not None:
        db.session.rollback()
        return _detail(certificate, form, ReasonForm(prefix="ulang")), 400
    services.revoke(current_user, certificate, reason=form.reason.data.strip(), now=utcnow())
    db.session.commit()
    flash(_("Sertifikat dicabut."), "success")
    return redirect(url_for("certificate_admin.certificate", certificate_id=certificate.id))


@bp.route("/sertifikat/<int:certificate_id>/terbitkan-ulang", methods=["POST"])
@admin_required
def reissue(certificate_id: int) -> str | Response:
    certificate = _certificate(certificate_id)
    form = ReasonForm(prefix="ulang")
    if not form.validate_on_submit() or certificate.revoked_at is not None:
        return _detail(certificate, ReasonForm(prefix="cabut"), form), 400
    successor = services.reissue(
        current_user, certificate, reason=form.reason.data.strip(), now=utcnow()
    )
    db.session.commit()
    flash(_("Sertifikat baru diterbitkan; yang lama dicabut."), "success")
    return redirect(url_for("certificate_admin.certificate", certificate_id=successor.id))


@bp.route("/pengguna/<int:user_id>/koreksi", methods=["GET", "POST"])
@admin_required
def correct_user(user_id: int) -> str | Response:
    user = db.get_or_404(User, user_id)
    if not user.has_role(Role.KADER):
        abort(404)
    form = CorrectionForm(obj=user)
    if form.validate_on_submit():
        before = {
            "full_name": user.full_name,
            "kecamatan_code": user.kecamatan_code,
            "desa": user.desa,
        }
        user.full_name = form.full_name.data.strip()
        user.kecamatan_code, user.desa = form.kecamatan_code.data, form.desa.data.strip()
        after = {
            "full_name": user.full_name,
            "kecamatan_code": user.kecamatan_code,
            "desa": user.desa,
        }
        record(current_user, "user.corrected", "user", user.id, now=utcnow(),
               reason=form.reason.data.strip(), before=before, after=after)  # fmt: skip
        db.session.commit()
        flash(
            _("Data kader dikoreksi. Terbitkan ulang sertifikatnya agar ikut berubah."), "success"
        )
        return redirect(url_for("manage.user_detail", user_id=user.id))
    return render_template("certification/correct_user.html", form=form, user=user)


@bp.route("/audit")
@admin_required
def audit_log() -> str:
    page = max(1, request.args.get("hal", 1, type=int))
    events = db.session.scalars(
        sa.select(AuditEvent).order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(50).offset((page - 1) * 50)
    ).all()  # fmt: skip
    return render_template("certification/audit.html", events=events, page=page)
