"""Accounts: people who use BinaKader, their poktan, and one-time reset codes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.database import UTCDateTime
from lms.extensions import db


class Role(StrEnum):
    KADER = "kader"
    PELATIH = "pelatih"
    ADMIN = "admin"


class Poktan(StrEnum):
    BKB = "BKB"
    BKL = "BKL"
    BKR = "BKR"
    UPPKA = "UPPKA"


def _sql_in(column: str, values: type[StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint(_sql_in("role", Role), name="role_known"),
        sa.CheckConstraint(
            "role != 'kader' OR (kecamatan_code IS NOT NULL AND desa IS NOT NULL)",
            name="kader_has_place",
        ),
        sa.CheckConstraint("session_version >= 1", name="session_version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The name as it should appear on a certificate.
    full_name: Mapped[str] = mapped_column(sa.String(120))
    #: Mobile number in one form, +62 then the national number; the login name.
    phone: Mapped[str] = mapped_column(sa.String(16), unique=True)
    role: Mapped[str] = mapped_column(sa.String(16), default=Role.KADER.value)
    #: Kemendagri code of the kecamatan (64.08.xx); required for kader.
    kecamatan_code: Mapped[str | None] = mapped_column(sa.String(8))
    desa: Mapped[str | None] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    is_active: Mapped[bool] = mapped_column(default=True)
    #: Set for an account whose password someone else chose; cleared when the user changes it.
    is_password_change_required: Mapped[bool] = mapped_column(default=False)
    #: Part of the login cookie; raising it signs out every other session of this user.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    poktan_memberships: Mapped[list[PoktanMembership]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="PoktanMembership.poktan"
    )

    def get_id(self) -> str:
        return f"{self.id}.{self.session_version}"

    @property
    def poktan(self) -> list[str]:
        return [membership.poktan for membership in self.poktan_memberships]

    def has_role(self, *roles: Role | str) -> bool:
        return self.role in {str(role) for role in roles}

    @property
    def is_staff(self) -> bool:
        return self.has_role(Role.PELATIH, Role.ADMIN)


class PoktanMembership(db.Model):
    """A poktan (BKB, BKL, BKR, UPPKA) that a kader serves."""

    __tablename__ = "poktan_memberships"
    __table_args__ = (sa.CheckConstraint(_sql_in("poktan", Poktan), name="poktan_known"),)

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    poktan: Mapped[str] = mapped_column(sa.String(8), primary_key=True)

    user: Mapped[User] = relationship(back_populates="poktan_memberships")


class PasswordResetCode(db.Model):
    """A one-time code a pelatih or admin hands to a user who forgot their password."""

    __tablename__ = "password_reset_codes"
    __table_args__ = (sa.CheckConstraint("expires_at > created_at", name="expires_after_created"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the canonical code; the code itself is shown once and never stored.
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
