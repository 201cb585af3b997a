"""Answering "is this certificate real?" by code or by the PDF file itself."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.certification import codes
from lms.certification.issuer import issuer_key
from lms.certification.models import Certificate
from lms.certification.signing import SignatureVerdict, check_signature, embedded_code
from lms.dates import local_date
from lms.extensions import db


@dataclass
class CodeLookup:
    #: valid / expired / revoked / not_found / mistyped
    status: str
    code: str | None = None
    certificate: Certificate | None = None
    message: str = ""


def lookup_code(typed: str, *, now: datetime) -> CodeLookup:
    """One indexed query, after the check symbol has ruled out typing slips."""
    try:
        code = codes.canonical_code(typed)
    except codes.CodeError as error:
        return CodeLookup("mistyped", message=_(error.message, **error.params))
    certificate = db.session.scalar(sa.select(Certificate).where(Certificate.code == code))
    if certificate is None:
        return CodeLookup("not_found", code=code)
    return CodeLookup(certificate.status(local_date(now)).value, code, certificate)


class FileVerdict(StrEnum):
    AUTHENTIC = "asli"
    MODIFIED = "diubah"
    UNKNOWN = "tidak_dikenal"


@dataclass
class FileCheck:
    verdict: FileVerdict
    reason: str
    certificate: Certificate | None = None
    #: The record's own status (valid/expired/revoked) for an authentic file.
    status: str | None = None


def verify_file(data: bytes, *, now: datetime) -> FileCheck:
    """ASLI only when our signature covers the whole, unchanged file and it matches a record."""
    signature = check_signature(data, issuer_key().certificate_der)
    digest = hashlib.sha256(data).hexdigest()
    record = db.session.scalar(sa.select(Certificate).where(Certificate.pdf_sha256 == digest))
    if record is None:
        claimed = embedded_code(data) if signature.verdict != SignatureVerdict.NOT_PDF else None
        if claimed:
            try:
                record = db.session.scalar(
                    sa.select(Certificate).where(Certificate.code == codes.canonical_code(claimed))
                )
            except codes.CodeError:
                record = None
    if signature.verdict == SignatureVerdict.NOT_PDF:
        return FileCheck(FileVerdict.UNKNOWN, _("Berkas ini bukan PDF yang dapat dibaca."))
    if signature.verdict == SignatureVerdict.VALID and record is not None:
        return FileCheck(
            FileVerdict.AUTHENTIC,
            _("Tanda tangan DPPKB sah dan berkas tidak berubah sejak diterbitkan."),
            record,
            record.status(local_date(now)).value,
        )
    if signature.verdict == SignatureVerdict.MODIFIED or (
        record is not None and signature.verdict != SignatureVerdict.VALID
    ):
        return FileCheck(
            FileVerdict.MODIFIED,
            _("Berkas ini sudah diubah setelah ditandatangani. Isinya tidak dapat dipercaya."),
            record,
        )
    reasons = {
        SignatureVerdict.UNSIGNED: _("Berkas ini tidak memiliki tanda tangan elektronik."),
        SignatureVerdict.FOREIGN: _(
            "Berkas ini tidak ditandatangani oleh DPPKB Kabupaten Kutai Timur."
        ),
        SignatureVerdict.VALID: _("Sertifikat ini tidak tercatat di BinaKader."),
    }
    return FileCheck(FileVerdict.UNKNOWN, reasons[signature.verdict])
