"""`flask setup` (run by `flask serve`): database, first admin, safe to repeat."""

from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa

from lms import create_app
from lms.accounts.models import Role, User
from lms.extensions import db
from tests.conftest import base_config


def admins(app) -> list[User]:
    with app.app_context():
        return list(db.session.scalars(sa.select(User).where(User.role == Role.ADMIN.value)))


def test_first_run_on_empty_sqlite_creates_database_and_admin(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("BINAKADER_ADMIN_PHONE", raising=False)
    monkeypatch.delenv("BINAKADER_ADMIN_PASSWORD", raising=False)
    app = create_app(base_config(f"sqlite:///{tmp_path / 'fresh.db'}", tmp_path))
    result = app.test_cli_runner().invoke(args=["setup"])
    assert result.exit_code == 0, result.output
    password = re.search(r"one-time password: (\S+)", result.output).group(1)
    assert "0800-0000-0000" in result.output
    client = app.test_client()
    response = client.post("/masuk", data={"phone": "0800-0000-0000", "password": password})
    assert response.status_code == 302
    # A generated password must be replaced before anything else.
    forced = client.get("/kelola/pengguna")
    assert forced.status_code == 302 and forced.location == "/akun/kata-sandi"

    again = app.test_cli_runner().invoke(args=["setup"])
    assert again.exit_code == 0 and "an admin account exists; nothing changed" in again.output
    assert len(admins(app)) == 1


def test_first_run_with_admin_from_environment(app, runner, monkeypatch):
    monkeypatch.setenv("BINAKADER_ADMIN_PHONE", "0811 5400 1234")
    monkeypatch.setenv("BINAKADER_ADMIN_PASSWORD", "dppkb-kutim-2026")
    result = runner.invoke(args=["setup"])
    assert result.exit_code == 0, result.output
    assert "one-time password" not in result.output
    [admin] = admins(app)
    assert admin.phone == "+6281154001234" and not admin.is_password_change_required
    assert (
        app.test_client()
        .post("/masuk", data={"phone": "081154001234", "password": "dppkb-kutim-2026"})
        .status_code
        == 302
    )


def test_first_run_refuses_weak_environment_password(app, runner, monkeypatch):
    monkeypatch.setenv("BINAKADER_ADMIN_PHONE", "0811 5400 1234")
    monkeypatch.setenv("BINAKADER_ADMIN_PASSWORD", "123")
    result = runner.invoke(args=["setup"])
    assert result.exit_code != 0 and "minimal 8 karakter" in result.output
    assert admins(app) == []


def test_setup_keeps_existing_data(app, runner, kader):
    runner.invoke(args=["setup"])
    runner.invoke(args=["setup"])
    with app.app_context():
        assert db.session.get(User, kader.id).full_name == "Siti Aminah"


def test_console_reset_code_for_locked_out_admin(app, runner, admin):
    result = runner.invoke(args=["users", "reset-code", admin.phone])
    code = re.search(r"Reset code for .*: (\S{4}-\S{4})", result.output).group(1)
    response = app.test_client().post(
        "/lupa-kata-sandi",
        data={"phone": admin.phone, "code": code,
              "new_password": "admin-baru-2026", "new_password_confirm": "admin-baru-2026"},
    )  # fmt: skip
    assert response.status_code == 302
    assert runner.invoke(args=["users", "reset-code", "0899"]).exit_code != 0
