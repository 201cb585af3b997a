"""SQLite tuning, write transactions under concurrency, and models vs migrations."""

from __future__ import annotations

import contextlib
import threading
import time

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from lms.accounts.models import User
from lms.extensions import db
from tests.factories import make_user


def test_models_and_migrations_agree(app):
    """Fails when a model changes without a migration (or the other way round)."""
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


@pytest.mark.backends("sqlite")
def test_sqlite_pragmas(app):
    with app.app_context():
        connection = db.session.connection()
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("synchronous") == 1  # NORMAL
        assert pragma("busy_timeout") >= 5000


def test_concurrent_read_then_write_transactions_both_succeed(app):
    """Two requests that read, pause and then write must not fail with 'database is locked'.

    With SQLite's default deferred transactions the second writer would get SQLITE_BUSY at
    once (a lock upgrade cannot wait); BEGIN IMMEDIATE makes it wait its turn instead.
    """
    user = make_user(app)
    errors: list[BaseException] = []
    barrier = threading.Barrier(2, timeout=0.5)

    def bump() -> None:
        try:
            with app.app_context():
                version = db.session.scalar(
                    sa.select(User.session_version).where(User.id == user.id)
                )
                # With IMMEDIATE the other transaction waits for our write lock: the barrier
                # then breaks, which is the expected outcome.
                with contextlib.suppress(threading.BrokenBarrierError):
                    barrier.wait()
                time.sleep(0.05)
                db.session.execute(
                    sa.update(User)
                    .where(User.id == user.id)
                    .values(session_version=User.session_version + 1)
                )
                db.session.commit()
                assert version >= 1
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=bump) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        assert db.session.get(User, user.id).session_version == 3
