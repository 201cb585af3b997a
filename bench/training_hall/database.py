"""The benchmark's database: a fresh one per run (a SQLite file, or a PostgreSQL database that is
always dropped), the app in this process to set it up with the kader accounts, and the reads of
what the simulated phones cannot see (the questions each kader drew, the page kader's attempts).
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import sqlalchemy as sa
from flask import Flask

from lms import create_app
from lms.accounts.models import PoktanMembership, Role, User
from lms.accounts.passwords import PasswordHashing
from lms.assessment import services as assessment
from lms.assessment.models import Attempt, AttemptQuestion
from lms.content.models import Unit
from lms.database import utcnow
from lms.extensions import db
from lms.setup import run_setup

from .settings import (
    ADMIN_PASSWORD,
    ADMIN_PHONE,
    KADER_PASSWORD,
    PAGE_CLIENTS,
    POSTGRES_ADMIN_URL,
    SECRET_KEY,
    UNIT,
)


@contextlib.contextmanager
def fresh_database(kind: str, folder: Path) -> Iterator[str]:
    """A new, empty database: a SQLite file in `folder`, or a uniquely named PostgreSQL database
    (created through the admin database, dropped at the end)."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'binakader.db'}"
        return
    name = f"binakader_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES_ADMIN_URL.rpartition('/')[0]}/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def build_app(url: str, instance: Path) -> Flask:
    """The app in this process, for setting up and for checking the database afterwards."""
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "INSTANCE_PATH": str(instance),
            "SECRET_KEY": SECRET_KEY,
            "BINAKADER_ENV": "production",
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )


def prepare(app: Flask, kader_count: int) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """Migrations, bundled curriculum and first admin (the app's own setup), then the kader
    accounts inserted directly, with one password hash shared by all; the page clients' kader
    get an open attempt each. Returns (user id, phone) of the hall kader and the page kader."""
    os.environ["BINAKADER_ADMIN_PHONE"] = ADMIN_PHONE
    os.environ["BINAKADER_ADMIN_PASSWORD"] = ADMIN_PASSWORD
    setup_quietly(app)
    with app.app_context():
        users = add_kader(app, kader_count)
        unit = db.session.scalar(sa.select(Unit).where(Unit.code == UNIT))
        for user in users[kader_count:]:
            assessment.start_attempt(user, unit, now=utcnow())
        db.session.commit()
        accounts = [(user.id, user.phone) for user in users]
        db.session.remove()
    return accounts[:kader_count], accounts[kader_count:]


def setup_quietly(app: Flask) -> None:
    """The app's own setup; its log is printed only when it fails."""
    migration_log = io.StringIO()  # Alembic logs every step at INFO; keep it off the table
    try:
        with contextlib.redirect_stderr(migration_log):
            run_setup(app)
    except Exception:
        print(migration_log.getvalue(), file=sys.stderr)
        raise


def add_kader(app: Flask, kader_count: int) -> list[User]:
    """The hall kader, then the page clients' kader, committed (inside an app context)."""
    password_hash = PasswordHashing(app.config["PASSWORD_HASH_PROFILE"]).hash(KADER_PASSWORD)
    now = utcnow()
    phones = [f"+62813{i:07d}" for i in range(1, kader_count + 1)]
    phones += [f"+62813{9_000_000 + i:07d}" for i in range(1, PAGE_CLIENTS + 1)]
    users = [
        User(
            full_name=f"Kader Latihan {i + 1}",
            phone=phone,
            role=Role.KADER.value,
            kecamatan_code="64.08.01",
            desa="Sangatta Utara",
            password_hash=password_hash,
            created_at=now,
            poktan_memberships=[PoktanMembership(poktan="BKB")],
        )
        for i, phone in enumerate(phones)
    ]
    db.session.add_all(users)
    db.session.commit()
    return users


def attempt_questions(app: Flask, attempt_ids: list[int]) -> dict[int, dict[int, tuple]]:
    """attempt id -> position -> (question type, key data), read from the database."""
    found: dict[int, dict[int, tuple]] = {}
    with app.app_context():
        rows = db.session.scalars(
            sa.select(AttemptQuestion).where(AttemptQuestion.attempt_id.in_(attempt_ids))
        )
        for question in rows:
            found.setdefault(question.attempt_id, {})[question.position] = (
                question.version.type,
                question.version.data,
            )
        db.session.remove()
    return found


def user_attempts(app: Flask, user_ids: list[int]) -> dict[int, int]:
    """user id -> attempt id, for users with one attempt each (the page kader)."""
    with app.app_context():
        found = dict(
            db.session.execute(
                sa.select(Attempt.user_id, Attempt.id).where(Attempt.user_id.in_(user_ids))
            ).all()
        )
        db.session.remove()
    return found
