"""Factories for test data (CTFd style) and the `auth` helper (flaskr style)."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from lms.accounts.models import PoktanMembership, Role, User
from lms.accounts.security import password_hashing
from lms.config import REPO_ROOT
from lms.content.models import Unit
from lms.database import utcnow
from lms.extensions import db

DEFAULT_PASSWORD = "kaderhebat24"
_phone_numbers = itertools.count(81200000001)


def next_phone() -> str:
    return f"+62{next(_phone_numbers)}"


def make_user(
    app: Flask,
    *,
    role: Role | str = Role.KADER,
    password: str = DEFAULT_PASSWORD,
    poktan: tuple[str, ...] = ("BKB",),
    **fields: Any,
) -> User:
    """Create and commit a user; kader get a place and poktan unless given."""
    role = Role(role)
    with app.app_context():
        values: dict[str, Any] = {
            "full_name": f"Pengguna {role.value.title()}",
            "phone": next_phone(),
            "role": role.value,
            "created_at": utcnow(),
            "password_hash": password_hashing().hash(password),
        }
        if role is Role.KADER:
            values.update(kecamatan_code="64.08.08", desa="Makmur Jaya")
        values.update(fields)
        user = User(**values)
        if role is Role.KADER:
            user.poktan_memberships = [PoktanMembership(poktan=p) for p in poktan]
        db.session.add(user)
        db.session.commit()
        db.session.refresh(user)
        db.session.expunge(user)
        return user


class AuthActions:
    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(self, phone: str, password: str = DEFAULT_PASSWORD) -> TestResponse:
        return self._client.post("/masuk", data={"phone": phone, "password": password})

    def logout(self) -> TestResponse:
        return self._client.post("/keluar")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def kader(app: Flask) -> User:
    return make_user(app, full_name="Siti Aminah")


@pytest.fixture
def pelatih(app: Flask) -> User:
    return make_user(app, role=Role.PELATIH, full_name="Budi Pelatih")


@pytest.fixture
def admin(app: Flask) -> User:
    return make_user(app, role=Role.ADMIN, full_name="Admin DPPKB")


def copy_curriculum(root: Path, units: tuple[str, ...]) -> Path:
    """Copy bundled units (lessons and banks) into `root`, to sync or edit in a test."""
    for unit in units:
        shutil.copytree(REPO_ROOT / "modules" / unit, root / "modules" / unit)
        shutil.copytree(REPO_ROOT / "question_banks" / unit, root / "question_banks" / unit)
    return root


@pytest.fixture
def curriculum(app: Flask, tmp_path: Path) -> Path:
    """The BKB and BKL units synced into the test database; returns their folder."""
    root = copy_curriculum(tmp_path / "content", ("bkb", "bkl"))
    result = app.test_cli_runner().invoke(args=["content", "sync", str(root)])
    assert result.exit_code == 0, result.output
    return root


def assign_unit(app: Flask, unit_code: str, user: User) -> None:
    """Make `user` (a pelatih) an editor of the unit."""
    with app.app_context():
        unit = db.session.scalar(sa.select(Unit).where(Unit.code == unit_code))
        unit.editors.append(db.session.merge(user))
        db.session.commit()
