"""Signing in and out, the login cookie, and the failure throttle."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.accounts.models import User
from lms.extensions import db
from tests.factories import make_user


def test_login_with_any_phone_form_then_logout(client, auth, kader):
    local = "0" + kader.phone[3:]
    response = auth.login(local)
    assert response.status_code == 302 and response.location == "/"
    assert "Halo, Siti Aminah" in client.get("/").get_data(as_text=True)
    auth.logout()
    assert "Daftar sebagai kader" in client.get("/").get_data(as_text=True)


def test_logout_requires_post(client, auth, kader):
    auth.login(kader.phone)
    assert client.get("/keluar").status_code == 405
    assert "Halo" in client.get("/").get_data(as_text=True)


def test_wrong_password_message_and_phone_kept(client, kader):
    response = client.post("/masuk", data={"phone": "0812 0000 0001", "password": "salah-sandi1"})
    page = response.get_data(as_text=True)
    assert "Nomor HP atau kata sandi salah." in page
    assert 'value="0812 0000 0001"' in page


def test_login_records_time(app, auth, kader):
    auth.login(kader.phone)
    with app.app_context():
        assert db.session.get(User, kader.id).last_login_at is not None


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil.example"])
def test_login_never_redirects_off_site(client, kader, target):
    response = client.post(
        "/masuk",
        query_string={"next": target},
        data={"phone": kader.phone, "password": "kaderhebat24"},
    )
    assert response.location == "/"


def test_login_follows_local_next(client, kader):
    response = client.post(
        "/masuk", query_string={"next": "/akun/kata-sandi"},
        data={"phone": kader.phone, "password": "kaderhebat24"},
    )  # fmt: skip
    assert response.location == "/akun/kata-sandi"


def test_session_rotated_at_login(client, kader):
    with client.session_transaction() as session:
        session["planted"] = "by-an-attacker"
        session["lang"] = "en"
    client.post("/masuk", data={"phone": kader.phone, "password": "kaderhebat24"})
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["lang"] == "en"
        assert session["_user_id"] == f"{kader.id}.1"


def test_cookie_flags(app, client, kader):
    response = client.post("/masuk", data={"phone": kader.phone, "password": "kaderhebat24"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    secure = app.test_client().post(
        "/masuk",
        data={"phone": kader.phone, "password": "kaderhebat24"},
        base_url="https://localhost",
    )
    assert "Secure" in secure.headers.get("Set-Cookie", "")


@pytest.mark.app_config(PROXY_COUNT=1)
def test_cookie_secure_behind_https_proxy(client, kader):
    response = client.post(
        "/masuk", data={"phone": kader.phone, "password": "kaderhebat24"},
        headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.1.2.3"},
    )  # fmt: skip
    assert "Secure" in response.headers["Set-Cookie"]


def test_deactivated_account_cannot_login_and_is_signed_out(app, client, auth, kader):
    auth.login(kader.phone)
    with app.app_context():
        db.session.execute(sa.update(User).values(is_active=False))
        db.session.commit()
    assert "Daftar sebagai kader" in client.get("/").get_data(as_text=True)
    page = auth.login(kader.phone).get_data(as_text=True)
    assert "Akun ini dinonaktifkan" in page


@pytest.mark.app_config(LOGIN_LIMIT_PER_ACCOUNT="3 per 15 minutes")
def test_failed_logins_throttled_per_account(client, kader):
    for _ in range(3):
        client.post("/masuk", data={"phone": kader.phone, "password": "salah-sandi1"})
    page = client.post("/masuk", data={"phone": kader.phone, "password": "kaderhebat24"})
    assert "Terlalu banyak percobaan gagal. Coba lagi dalam 15 menit." in page.get_data(
        as_text=True
    )


@pytest.mark.app_config(LOGIN_LIMIT_PER_ADDRESS="4 per 15 minutes")
def test_failed_logins_throttled_per_address(app, client):
    for index in range(4):
        client.post("/masuk", data={"phone": f"08129999000{index}", "password": "salah-sandi1"})
    other = make_user(app)
    page = client.post("/masuk", data={"phone": other.phone, "password": "kaderhebat24"})
    assert "Terlalu banyak percobaan gagal" in page.get_data(as_text=True)
    elsewhere = client.post(
        "/masuk", data={"phone": other.phone, "password": "kaderhebat24"},
        environ_base={"REMOTE_ADDR": "10.9.9.9"},
    )  # fmt: skip
    assert elsewhere.status_code == 302


@pytest.mark.app_config(LOGIN_LIMIT_PER_ACCOUNT="3 per 15 minutes")
def test_successful_login_clears_account_failures(client, auth, kader):
    for _ in range(2):
        client.post("/masuk", data={"phone": kader.phone, "password": "salah-sandi1"})
    assert auth.login(kader.phone).status_code == 302
    auth.logout()
    for _ in range(2):
        client.post("/masuk", data={"phone": kader.phone, "password": "salah-sandi1"})
    assert auth.login(kader.phone).status_code == 302


def test_password_is_checked_outside_any_transaction(app, client, kader, monkeypatch):
    """On SQLite a transaction holds the write lock; the slow hash check must not."""
    from lms.accounts.passwords import PasswordHashing

    seen: list[bool] = []
    original = PasswordHashing.verify

    def watching(self, stored_hash, password):
        seen.append(db.session().in_transaction())
        return original(self, stored_hash, password)

    monkeypatch.setattr(PasswordHashing, "verify", watching)
    assert (
        client.post("/masuk", data={"phone": kader.phone, "password": "kaderhebat24"}).status_code
        == 302
    )
    assert seen == [False]
