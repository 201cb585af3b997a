"""Queries over accounts for the staff pages."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from lms.accounts.models import Role, User
from lms.accounts.phone import normalise_phone
from lms.extensions import db


@dataclass
class Page:
    users: list[User]
    number: int
    total: int
    size: int

    @property
    def last_number(self) -> int:
        return max(1, -(-self.total // self.size))


def visible_roles(viewer: User) -> list[str]:
    """Admins see everyone; a pelatih sees kader only."""
    if viewer.has_role(Role.ADMIN):
        return [role.value for role in Role]
    return [Role.KADER.value]


def search_users(
    viewer: User, *, text: str = "", role: str = "", page: int = 1, size: int = 25
) -> Page:
    """Accounts the viewer may manage, filtered by name/phone text and role, newest first."""
    roles = visible_roles(viewer)
    if role in roles:
        roles = [role]
    query = sa.select(User).where(User.role.in_(roles))
    text = text.strip()
    if text:
        phone = normalise_phone(text)
        pattern = f"%{text.lower()}%"
        matches = [
            sa.func.lower(User.full_name).like(pattern),
            sa.func.lower(User.desa).like(pattern),
        ]
        if phone:
            matches.append(User.phone == phone)
        query = query.where(sa.or_(*matches))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    page = max(1, page)
    users = db.session.scalars(
        query.options(selectinload(User.poktan_memberships))
        .order_by(User.created_at.desc(), User.id.desc())
        .limit(size)
        .offset((page - 1) * size)
    ).all()
    return Page(list(users), page, total, size)
