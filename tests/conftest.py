"""Fixtures in the flaskr style: a fresh app and database per test, on SQLite and PostgreSQL.

Every test that uses `app` runs once per database backend (`--db sqlite,postgresql`).
Under CI=true a backend or browser that cannot be reached fails the run; locally it skips.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade

from lms import create_app
from lms.extensions import db

pytest_plugins = ["tests.factories", "tests.browser", "tests.certification_fixtures"]

POSTGRES_ADMIN_URL = os.environ.get("BINAKADER_TEST_POSTGRES", "postgresql://127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() == "true"


def unavailable(reason: str) -> None:
    """Fail under CI (nothing may be silently skipped there), skip on a developer machine."""
    if IN_CI:
        pytest.fail(f"{reason} (required under CI=true)")
    pytest.skip(reason)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db",
        default=os.environ.get("BINAKADER_TEST_DB", "sqlite,postgresql"),
        help="comma-separated database backends to run app tests on",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "database_backend" in metafunc.fixturenames:
        backends = [name.strip() for name in metafunc.config.getoption("--db").split(",")]
        only = metafunc.definition.get_closest_marker("backends")
        if only:
            backends = [name for name in backends if name in only.args]
        metafunc.parametrize("database_backend", backends, indirect=True, scope="function")


def base_config(url: str, instance: Path) -> dict[str, Any]:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": url,
        "INSTANCE_PATH": str(instance),
        "PASSWORD_HASH_PROFILE": "cheapest",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
    }


def migrate_database(url: str, instance: Path) -> None:
    app = create_app(base_config(url, instance))
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (much faster than migrating each time)."""
    folder = tmp_path_factory.mktemp("sqlite-template")
    path = folder / "template.db"
    migrate_database(f"sqlite:///{path}", folder)
    return path


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database of this test run's own, migrated once, dropped at the end."""
    name = f"binakader_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        unavailable(f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}: {error}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = POSTGRES_ADMIN_URL.rpartition("/")
    url = f"{base}/{name}"
    migrate_database(url, tmp_path_factory.mktemp("pg-instance"))
    yield url
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def database_backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def database_url(
    database_backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[str]:
    if database_backend == "sqlite":
        path = tmp_path / "binakader.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    if database_backend == "postgresql":
        url = request.getfixturevalue("postgres_url")
        yield url
        truncate_all(url)
        return
    raise pytest.UsageError(f"unknown database backend {database_backend!r}")


def truncate_all(url: str) -> None:
    tables = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    engine.dispose()


@pytest.fixture
def app_config(database_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> dict:
    """The test app's settings; `@pytest.mark.app_config(KEY=value)` overrides them."""
    config = base_config(database_url, tmp_path / "instance")
    marker = request.node.get_closest_marker("app_config")
    if marker:
        config.update(marker.kwargs)
    return config


@pytest.fixture
def app(app_config: dict) -> Iterator[Flask]:
    app = create_app(app_config)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()
