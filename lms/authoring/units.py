"""Units begun in the browser, and the pelatih assigned to edit a unit."""

from __future__ import annotations

import re
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.models import Role, User
from lms.assessment.blueprint import Blueprint
from lms.audit.models import record
from lms.content.models import Unit, unit_editors
from lms.errors import FieldError
from lms.extensions import db

UNIT_CODE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
#: Words the authoring pages use in their addresses; a unit cannot be called one of them.
RESERVED_CODES = frozenset({"baru", "pratinjau", "impor-zip", "programs"})


def create_unit(user: User, code: str, title: str, *, now: datetime) -> Unit:
    """A new, unpublished unit; its creator may edit it."""
    code, title = code.strip().lower(), title.strip()
    if not UNIT_CODE.fullmatch(code) or len(code) > 40 or code in RESERVED_CODES:
        raise FieldError("code", _("Kode ditulis huruf kecil dan tanda hubung, misalnya 'bkb'."))
    if db.session.scalar(sa.select(Unit.id).where(Unit.code == code)) is not None:
        raise FieldError("code", _("Kode ini sudah dipakai unit lain."))
    if not title or len(title) > 200:
        raise FieldError("title", _("Judul wajib diisi (paling panjang 200 karakter)."))
    last = db.session.scalar(sa.select(sa.func.max(Unit.position))) or 0
    unit = Unit(
        code=code,
        title=title,
        summary="",
        position=last + 1,
        estimated_minutes=60,
        objectives=[],
        test_blueprint=Blueprint().to_json(),
        content_hash="",
        updated_at=now,
        is_published=False,
        created_by_id=user.id,
        browser_edited_at=now,
    )
    db.session.add(unit)
    db.session.flush()
    record(user, "unit.created", "unit", unit.id, now=now, code=code)
    return unit


def assign_editor(actor: User, unit: Unit, pelatih: User, *, now: datetime) -> None:
    if not pelatih.has_role(Role.PELATIH):
        raise FieldError("user_id", _("Hanya akun pelatih yang dapat ditugaskan."))
    if pelatih not in unit.editors:
        unit.editors.append(pelatih)
        record(actor, "unit.editor_assigned", "unit", unit.id, now=now, user_id=pelatih.id)


def remove_editor(actor: User, unit: Unit, pelatih: User, *, now: datetime) -> None:
    if pelatih in unit.editors:
        unit.editors.remove(pelatih)
        record(actor, "unit.editor_removed", "unit", unit.id, now=now, user_id=pelatih.id)


def editors_of(unit: Unit) -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .join(unit_editors, unit_editors.c.user_id == User.id)
            .where(unit_editors.c.unit_id == unit.id)
            .order_by(User.full_name)
        )
    )


def assignable_pelatih() -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.role == Role.PELATIH, User.is_active.is_(True))
            .order_by(User.full_name)
        )
    )
