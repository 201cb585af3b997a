"""Issued certificates: frozen at issue, with the signed PDF itself."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.content.models import Program
from lms.database import UTCDateTime
from lms.extensions import db


class CertificateStatus(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"


class Certificate(db.Model):
    __tablename__ = "certificates"
    __table_args__ = (
        # Issued exactly once for the same passes (a correction is a new revision).
        sa.UniqueConstraint("user_id", "program_id", "basis", "revision"),
        sa.CheckConstraint("expires_on > issued_on", name="expires_after_issue"),
        sa.CheckConstraint("revision >= 1", name="revision_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Canonical verification code (13 Crockford base32 symbols, the last a check symbol).
    code: Mapped[str] = mapped_column(sa.String(13), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    program_id: Mapped[int] = mapped_column(sa.ForeignKey("programs.id"))
    #: The unit passes it rests on (sorted UnitPass ids), so the same passes issue only once.
    basis: Mapped[str] = mapped_column(sa.String(200))
    revision: Mapped[int] = mapped_column(default=1)
    # -- frozen at issue --------------------------------------------------------------------
    holder_name: Mapped[str] = mapped_column(sa.String(120))
    kecamatan_name: Mapped[str] = mapped_column(sa.String(80))
    desa: Mapped[str] = mapped_column(sa.String(120))
    program_title: Mapped[str] = mapped_column(sa.String(200))
    issuer_name: Mapped[str] = mapped_column(sa.String(200))
    issuer_place: Mapped[str] = mapped_column(sa.String(100))
    #: [{"code", "title", "passed_on", "percent", "attempt_id"}, ...]
    units: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON)
    issued_on: Mapped[date]
    expires_on: Mapped[date]
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: The signed PDF exactly as issued, and its SHA-256.
    pdf: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    pdf_sha256: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # -- later ------------------------------------------------------------------------------
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_reason: Mapped[str | None] = mapped_column(sa.Text)
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    #: The corrected certificate that replaced this one.
    replaced_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("certificates.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    program: Mapped[Program] = relationship()
    replaced_by: Mapped[Certificate | None] = relationship(remote_side=[id])

    def status(self, today: date) -> CertificateStatus:
        if self.revoked_at is not None:
            return CertificateStatus.REVOKED
        if today >= self.expires_on:
            return CertificateStatus.EXPIRED
        return CertificateStatus.VALID
