"""State changes of accounts. Each function is one transaction; the caller commits."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from lms.accounts import reset_codes
from lms.accounts.models import PasswordResetCode, PoktanMembership, Role, User
from lms.accounts.passwords import PasswordProblem, password_problem
from lms.accounts.security import login_scopes, password_hashing, reset_scopes, throttle
from lms.errors import FieldError
from lms.extensions import db


def password_problem_message(problem: PasswordProblem) -> str:
    """The Bahasa Indonesia explanation of a password rule."""
    messages = {
        PasswordProblem.TOO_SHORT: _("Kata sandi minimal 8 karakter."),
        PasswordProblem.TOO_LONG: _("Kata sandi paling banyak 128 karakter."),
        PasswordProblem.NEEDS_LETTER_AND_DIGIT: _("Kata sandi harus berisi huruf dan angka."),
        PasswordProblem.TOO_COMMON: _("Kata sandi ini terlalu umum dan mudah ditebak."),
        PasswordProblem.CONTAINS_PHONE: _("Kata sandi tidak boleh memuat nomor HP Anda."),
    }
    return messages[problem]


def check_new_password(password: str, phone: str | None, field_name: str) -> None:
    """Raise FieldError when a new password breaks a rule."""
    problem = password_problem(password, phone)
    if problem is not None:
        raise FieldError(field_name, password_problem_message(problem))


def find_user_by_phone(phone: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.phone == phone))


def _ensure_phone_free(phone: str) -> None:
    if find_user_by_phone(phone) is not None:
        raise FieldError("phone", _("Nomor HP ini sudah terdaftar. Silakan masuk."))


def _wait_message(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    return ngettext(
        "Terlalu banyak percobaan gagal. Coba lagi dalam %(num)d menit.",
        "Terlalu banyak percobaan gagal. Coba lagi dalam %(num)d menit.",
        minutes,
    )


@dataclass
class Registration:
    full_name: str
    phone: str
    kecamatan_code: str
    desa: str
    poktan: list[str] = field(default_factory=list)
    password: str = ""

    @classmethod
    def from_form(cls, form: Any) -> Registration:
        """The registration form's (validated) fields, whichever way they arrived."""
        return cls(
            full_name=form.full_name.data,
            phone=form.phone.data,
            kecamatan_code=form.kecamatan_code.data,
            desa=form.desa.data,
            poktan=form.poktan.data,
            password=form.new_password.data,
        )


def hash_outside_transaction(password: str) -> str:
    """The password's hash, computed while no transaction is open.

    On SQLite every transaction holds the write lock (BEGIN IMMEDIATE); the deliberately slow
    Argon2 hash must not run while holding it, or a hall of kader registering or resetting at
    once queues behind it and times out with "database is locked"."""
    db.session.rollback()
    return password_hashing().hash(password)


def register_kader(data: Registration, *, now: datetime) -> User:
    """Create a kader account from the self-registration form."""
    check_new_password(data.password, data.phone, "new_password")
    _ensure_phone_free(data.phone)
    password_hash = hash_outside_transaction(data.password)
    _ensure_phone_free(data.phone)  # again: another registration may have taken it meanwhile
    user = User(
        full_name=data.full_name.strip(),
        phone=data.phone,
        role=Role.KADER.value,
        kecamatan_code=data.kecamatan_code,
        desa=data.desa.strip(),
        password_hash=password_hash,
        created_at=now,
        poktan_memberships=[PoktanMembership(poktan=p) for p in sorted(set(data.poktan))],
    )
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(phone: str, password: str, *, address: str, now: datetime) -> User:
    """The user with this phone and password, or FieldError; failures are throttled."""
    account_scope, address_scope = login_scopes()
    checks = [(account_scope, phone), (address_scope, address)]
    wait = throttle().seconds_blocked(checks)
    if wait:
        raise FieldError("password", _wait_message(wait))
    found = db.session.execute(
        sa.select(User.id, User.password_hash).where(User.phone == phone)
    ).first()
    # End the transaction before the deliberately slow hash check: on SQLite every transaction
    # holds the write lock, and a hall of kader signing in at once would queue behind Argon2
    # (and time out with "database is locked").
    db.session.rollback()
    hashing = password_hashing()
    if found is None or not hashing.verify(found.password_hash, password):
        throttle().record_failure(checks)
        raise FieldError("password", _("Nomor HP atau kata sandi salah."))
    user = db.session.get(User, found.id)
    if user is None or not user.is_active:
        raise FieldError("phone", _("Akun ini dinonaktifkan. Hubungi pelatih atau DPPKB."))
    throttle().clear(account_scope, phone)
    if hashing.needs_rehash(user.password_hash):
        user.password_hash = hashing.hash(password)
    user.last_login_at = now
    return user


def _set_password(user: User, password_hash: str) -> None:
    user.password_hash = password_hash
    user.is_password_change_required = False
    # Other sessions of this user end: their cookie carries the old version.
    user.session_version += 1


def change_password(user: User, current: str, new: str) -> None:
    """Change a signed-in user's own password after checking the current one."""
    stored_hash, phone = user.password_hash, user.phone
    db.session.rollback()  # the slow checks below must not hold SQLite's write lock
    if not password_hashing().verify(stored_hash, current):
        raise FieldError("current_password", _("Kata sandi saat ini salah."))
    if current == new:
        raise FieldError("new_password", _("Kata sandi baru harus berbeda dari yang lama."))
    check_new_password(new, phone, "new_password")
    _set_password(user, hash_outside_transaction(new))


def can_manage(actor: User, target: User) -> bool:
    """Admins manage everyone; a pelatih manages kader accounts only."""
    if actor.has_role(Role.ADMIN):
        return True
    return actor.has_role(Role.PELATIH) and target.has_role(Role.KADER)


def issue_reset_code(
    actor: User | None, target: User, *, now: datetime, rng: secrets.SystemRandom | None = None
) -> str:
    """Make a one-time reset code for `target`; earlier unused codes stop working.

    `actor` is the pelatih or admin handing the code over, or None for the server console.
    """
    if actor is not None and not can_manage(actor, target):
        raise PermissionError("actor may not reset this account")
    db.session.execute(
        sa.delete(PasswordResetCode).where(
            PasswordResetCode.user_id == target.id, PasswordResetCode.used_at.is_(None)
        )
    )
    code = reset_codes.generate_code(rng)
    hours = current_app.config["RESET_CODE_HOURS"]
    db.session.add(
        PasswordResetCode(
            user_id=target.id,
            code_hash=reset_codes.hash_code(code),
            created_by_id=actor.id if actor else None,
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    return code


def reset_password_with_code(
    phone: str, code: str, new_password: str, *, address: str, now: datetime
) -> User:
    """Set a new password with a reset code; the code works once and expires."""
    account_scope, address_scope = reset_scopes()
    checks = [(account_scope, phone), (address_scope, address)]
    wait = throttle().seconds_blocked(checks)
    if wait:
        raise FieldError("code", _wait_message(wait))
    user = find_user_by_phone(phone)
    record = None
    if user is not None:
        record = db.session.scalar(
            sa.select(PasswordResetCode).where(
                PasswordResetCode.user_id == user.id,
                PasswordResetCode.code_hash == reset_codes.hash_code(code),
            )
        )
    if user is None or record is None:
        throttle().record_failure(checks)
        raise FieldError("code", _("Kode reset salah atau bukan untuk nomor HP ini."))
    if record.used_at is not None:
        raise FieldError("code", _("Kode reset ini sudah dipakai. Minta kode baru ke pelatih."))
    if record.expires_at <= now:
        raise FieldError("code", _("Kode reset sudah kedaluwarsa. Minta kode baru ke pelatih."))
    if not user.is_active:
        raise FieldError("phone", _("Akun ini dinonaktifkan. Hubungi pelatih atau DPPKB."))
    check_new_password(new_password, user.phone, "new_password")
    user_id, record_id = user.id, record.id
    password_hash = hash_outside_transaction(new_password)
    record = db.session.get(PasswordResetCode, record_id)
    user = db.session.get(User, user_id)
    if record is None or user is None or record.used_at is not None:  # used meanwhile
        raise FieldError("code", _("Kode reset ini sudah dipakai. Minta kode baru ke pelatih."))
    record.used_at = now
    _set_password(user, password_hash)
    throttle().clear(account_scope, phone)
    return user


def create_staff_account(
    actor: User,
    *,
    full_name: str,
    phone: str,
    role: Role,
    now: datetime,
    rng: secrets.SystemRandom | None = None,
) -> tuple[User, str]:
    """An admin creates a pelatih or admin; returns the account and a reset code to hand over.

    The new person chooses their own password with the code, so nobody else ever knows it.
    """
    if not actor.has_role(Role.ADMIN):
        raise PermissionError("only admins create staff accounts")
    if role not in (Role.PELATIH, Role.ADMIN):
        raise FieldError("role", _("Pilih peran pelatih atau admin."))
    _ensure_phone_free(phone)
    user = User(
        full_name=full_name.strip(),
        phone=phone,
        role=role.value,
        # Nobody knows this password: the account is opened with the reset code.
        password_hash=password_hashing().hash(secrets.token_urlsafe(32)),
        created_at=now,
    )
    db.session.add(user)
    db.session.flush()
    return user, issue_reset_code(actor, user, now=now, rng=rng)


def set_account_active(actor: User, target: User, *, active: bool) -> None:
    """Deactivate (or reactivate) an account; a deactivated user is signed out everywhere."""
    if not actor.has_role(Role.ADMIN):
        raise PermissionError("only admins change account status")
    if actor.id == target.id:
        raise FieldError("active", _("Anda tidak dapat menonaktifkan akun Anda sendiri."))
    if target.is_active != active:
        target.is_active = active
        target.session_version += 1


@dataclass
class FirstAdmin:
    user: User
    password: str | None
    created: bool


def ensure_first_admin(
    *, phone: str | None, password: str | None, full_name: str, now: datetime
) -> FirstAdmin:
    """Make sure an admin exists: the given one, or one with a generated password."""
    existing = db.session.scalar(sa.select(User).where(User.role == Role.ADMIN.value).limit(1))
    if existing is not None:
        return FirstAdmin(existing, None, created=False)
    _ensure_phone_free(phone)
    generated = password is None
    if generated:
        password = f"bk-{secrets.token_urlsafe(9)}7"
    else:
        check_new_password(password, phone, "password")
    user = User(
        full_name=full_name,
        phone=phone,
        role=Role.ADMIN.value,
        password_hash=password_hashing().hash(password),
        is_password_change_required=generated,
        created_at=now,
    )
    db.session.add(user)
    db.session.flush()
    return FirstAdmin(user, password if generated else None, created=True)
