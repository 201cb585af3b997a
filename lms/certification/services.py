"""Issuing, revoking and re-issuing certificates; each runs inside the caller's transaction."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app

from lms.accounts.models import User
from lms.assessment.models import UnitPass
from lms.audit.models import record
from lms.certification import codes
from lms.certification.issuer import issuer_key
from lms.certification.models import Certificate, CertificateStatus
from lms.certification.pdf import CertificateData, UnitLine, render_certificate
from lms.certification.signing import sign_pdf
from lms.content.models import Program, Unit
from lms.dates import local_date
from lms.extensions import db
from lms.reference.regions import kecamatan_name


@dataclass
class ProgramProgress:
    program: Program
    units: list[Unit]
    #: unit code -> the current pass (None: not passed yet)
    passes: dict[str, UnitPass | None]

    @property
    def missing(self) -> list[Unit]:
        return [unit for unit in self.units if self.passes.get(unit.code) is None]

    @property
    def is_complete(self) -> bool:
        return bool(self.units) and not self.missing


def program_progress(user: User, program: Program, *, today: date) -> ProgramProgress:
    """The program's units and which of them the user has a current pass for."""
    units = list(db.session.scalars(sa.select(Unit).where(Unit.code.in_(program.unit_codes))))
    units.sort(key=lambda unit: program.unit_codes.index(unit.code))
    passes: dict[str, UnitPass | None] = {unit.code: None for unit in units}
    rows = db.session.scalars(
        sa.select(UnitPass)
        .where(UnitPass.user_id == user.id, UnitPass.unit_id.in_([u.id for u in units]))
        .order_by(UnitPass.passed_at)
    )
    by_id = {unit.id: unit for unit in units}
    for unit_pass in rows:
        if unit_pass.is_current(today):
            passes[by_id[unit_pass.unit_id].code] = unit_pass
    return ProgramProgress(program, units, passes)


def issue_when_complete(user: User, now: datetime) -> list[Certificate]:
    """UNIT_PASSED handler: issue every program the user has now completed (once)."""
    today = local_date(now)
    issued = []
    for program in db.session.scalars(sa.select(Program).order_by(Program.id)):
        progress = program_progress(user, program, today=today)
        if not progress.is_complete or len(progress.units) != len(program.unit_codes):
            continue
        basis = _basis(progress)
        exists = db.session.scalar(
            sa.select(Certificate.id).where(
                Certificate.user_id == user.id,
                Certificate.program_id == program.id,
                Certificate.basis == basis,
            )
        )
        if exists is None:
            issued.append(issue(user, progress, now=now, actor=None, revision=1))
    return issued


def _basis(progress: ProgramProgress) -> str:
    return ",".join(str(p.id) for p in sorted(progress.passes.values(), key=lambda p: p.id))


def issue(
    user: User,
    progress: ProgramProgress,
    *,
    now: datetime,
    actor: User | None,
    revision: int,
    reason: str | None = None,
    expires_on: date | None = None,
) -> Certificate:
    """Freeze the holder and the passes, render and sign the PDF, store it and log it."""
    program = progress.program
    today = local_date(now)
    expires = expires_on or _add_years(today, program.validity_years)
    units = _frozen_units(progress)
    code = _unused_code()
    data = _certificate_data(user, program, units, code, issued_on=today, expires_on=expires)
    signed = _signed_pdf(data, code, program)
    certificate = _certificate_row(
        data, units, signed, code=code, user=user, program=program, basis=_basis(progress),
        revision=revision, issued_at=now,
    )  # fmt: skip
    db.session.add(certificate)
    # The passes count until the certificate expires; then the kader renews by passing again.
    for unit_pass in progress.passes.values():
        unit_pass.valid_until = expires
    db.session.flush()
    record(actor, "certificate.issued", "certificate", certificate.id, now=now, reason=reason,
           code=codes.format_code(code), user_id=user.id, revision=revision)  # fmt: skip
    return certificate


def _frozen_units(progress: ProgramProgress) -> list[dict]:
    """The passed units as stored on the certificate (JSON: dates as ISO strings)."""
    return [
        {
            "code": unit.code,
            "title": unit.title,
            "passed_on": local_date(progress.passes[unit.code].passed_at).isoformat(),
            "percent": progress.passes[unit.code].percent,
            "attempt_id": progress.passes[unit.code].attempt_id,
        }
        for unit in progress.units
    ]


def _certificate_data(
    user: User, program: Program, units: list[dict], code: str, *, issued_on: date, expires_on: date
) -> CertificateData:
    """What the PDF shows, from the holder as they are now and the frozen units."""
    return CertificateData(
        program_title=program.title,
        holder_name=user.full_name,
        kecamatan=kecamatan_name(user.kecamatan_code),
        desa=user.desa or "",
        units=tuple(
            UnitLine(u["title"], date.fromisoformat(u["passed_on"]), u["percent"]) for u in units
        ),
        issued_on=issued_on,
        expires_on=expires_on,
        issuer_name=program.issuer_name,
        issuer_place=program.issuer_place,
        code_display=codes.format_code(code),
        verify_url=verify_url(code),
    )


def _signed_pdf(data: CertificateData, code: str, program: Program) -> bytes:
    return sign_pdf(
        render_certificate(data),
        issuer_key(),
        reason=f"{program.title} - {codes.format_code(code)}",
        location=program.issuer_place,
    )


def _certificate_row(
    data: CertificateData,
    units: list[dict],
    signed: bytes,
    *,
    code: str,
    user: User,
    program: Program,
    basis: str,
    revision: int,
    issued_at: datetime,
) -> Certificate:
    """The stored certificate: a copy of what its PDF shows, and the signed PDF itself."""
    return Certificate(
        code=code,
        user_id=user.id,
        program_id=program.id,
        basis=basis,
        revision=revision,
        holder_name=data.holder_name,
        kecamatan_name=data.kecamatan,
        desa=data.desa,
        program_title=program.title,
        issuer_name=program.issuer_name,
        issuer_place=program.issuer_place,
        units=units,
        issued_on=data.issued_on,
        expires_on=data.expires_on,
        issued_at=issued_at,
        pdf=signed,
        pdf_sha256=hashlib.sha256(signed).hexdigest(),
    )


def verify_url(code: str) -> str:
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    return f"{base}/verify/{codes.format_code(code)}"


def _unused_code(rng: secrets.SystemRandom | None = None) -> str:
    for _ in range(10):
        code = codes.generate_code(rng)
        taken = db.session.scalar(sa.select(Certificate.id).where(Certificate.code == code))
        if taken is None:
            return code
    raise RuntimeError("could not draw an unused certificate code")  # 2**60 codes: never


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class CertificateActionError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def revoke(actor: User, certificate: Certificate, *, reason: str, now: datetime) -> None:
    """Revoke with a reason (admins only); the audit log keeps who, when and why."""
    if certificate.revoked_at is not None:
        raise CertificateActionError("already revoked")
    certificate.revoked_at, certificate.revoked_by_id = now, actor.id
    certificate.revoked_reason = reason
    record(actor, "certificate.revoked", "certificate", certificate.id, now=now, reason=reason,
           code=codes.format_code(certificate.code))  # fmt: skip


def reissue(actor: User, certificate: Certificate, *, reason: str, now: datetime) -> Certificate:
    """Issue a corrected certificate from the holder's current data and the same passes;
    the old one is revoked with a pointer to its successor."""
    if certificate.revoked_at is not None:
        raise CertificateActionError("revoked certificates cannot be re-issued")
    user = certificate.user
    progress = program_progress(user, certificate.program, today=local_date(certificate.issued_at))
    passes = {p.id: p for p in db.session.scalars(sa.select(UnitPass).where(
        UnitPass.id.in_([int(i) for i in certificate.basis.split(",")])))}  # fmt: skip
    progress.passes = {
        unit.code: next(p for p in passes.values() if p.unit_id == unit.id)
        for unit in progress.units
    }
    # A correction does not extend validity: the successor keeps the expiry date.
    successor = issue(user, progress, now=now, actor=actor, revision=certificate.revision + 1,
                      reason=reason, expires_on=certificate.expires_on)  # fmt: skip
    revoke(actor, certificate, reason=reason, now=now)
    certificate.replaced_by_id = successor.id
    return successor


def find_by_code(code: str) -> Certificate | None:
    return db.session.scalar(sa.select(Certificate).where(Certificate.code == code))


def status_of(certificate: Certificate, now: datetime) -> CertificateStatus:
    return certificate.status(local_date(now))
