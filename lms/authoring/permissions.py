"""Who may change a unit: admins every unit, a pelatih the units they created or are assigned."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from lms.accounts.models import Role, User
from lms.content.models import Unit, unit_editors
from lms.extensions import db


def can_edit_unit(user: User, unit: Unit) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.has_role(Role.ADMIN):
        return True
    if not user.has_role(Role.PELATIH):
        return False
    if unit.created_by_id == user.id:
        return True
    assigned = db.session.scalar(
        sa.select(unit_editors.c.user_id).where(
            unit_editors.c.unit_id == unit.id, unit_editors.c.user_id == user.id
        )
    )
    return assigned is not None


def unit_or_404(unit_code: str) -> Unit:
    unit = db.session.scalar(sa.select(Unit).where(Unit.code == unit_code))
    if unit is None:
        abort(404)
    return unit


def editable_unit(unit_code: str) -> Unit:
    """The unit the signed-in user may change: 404 when unknown, 403 when not theirs."""
    unit = unit_or_404(unit_code)
    if not can_edit_unit(current_user, unit):
        abort(403)
    return unit
