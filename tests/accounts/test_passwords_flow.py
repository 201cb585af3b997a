"""Changing a password, and the reset code a pelatih or admin hands over."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.accounts import services
from lms.accounts.models import PasswordResetCode, User
from lms.database import utcnow
from lms.extensions import db
from tests.accounts.test_registration import GOOD
from tests.factories import make_user


def change(client, current="kaderhebat24", new="anggrek-merah7", confirm=None):
    return client.post(
        "/akun/kata-sandi",
        data={"current_password": current, "new_password": new,
              "new_password_confirm": confirm or new},
    )  # fmt: skip


def test_change_password(client, auth, kader):
    auth.login(kader.phone)
    assert change(client).status_code == 302
    auth.logout()
    assert auth.login(kader.phone).status_code == 200
    assert auth.login(kader.phone, "anggrek-merah7").status_code == 302


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"current": "bukan-ini-1"}, "Kata sandi saat ini salah."),
        ({"new": "kaderhebat24"}, "Kata sandi baru harus berbeda dari yang lama."),
        ({"new": "pendek1"}, "Kata sandi minimal 8 karakter."),
        ({"confirm": "lain-lagi-9"}, "Kedua kata sandi tidak sama."),
    ],
)
def test_change_password_bad_input(client, auth, kader, kwargs, message):
    auth.login(kader.phone)
    assert message in change(client, **kwargs).get_data(as_text=True)


def test_change_password_signs_out_other_sessions(app, kader):
    first, second = app.test_client(), app.test_client()
    for browser in (first, second):
        browser.post("/masuk", data={"phone": kader.phone, "password": "kaderhebat24"})
    change(first)
    assert "Halo" in first.get("/").get_data(as_text=True)
    assert "Halo" not in second.get("/").get_data(as_text=True)


def issue_code(client, user_id) -> str:
    page = client.post(f"/kelola/pengguna/{user_id}/kode-reset").get_data(as_text=True)
    return re.search(r'data-testid="reset-code">([0-9A-Z-]+)<', page).group(1)


def reset(client, phone, code, new="anggrek-merah7"):
    return client.post(
        "/lupa-kata-sandi",
        data={"phone": phone, "code": code, "new_password": new, "new_password_confirm": new},
    )


def test_pelatih_hands_out_code_that_works_once(app, client, auth, pelatih, kader):
    auth.login(pelatih.phone)
    code = issue_code(client, kader.id)
    auth.logout()
    response = reset(client, "0" + kader.phone[3:], code.lower())
    assert response.status_code == 302 and response.location == "/masuk"
    assert auth.login(kader.phone, "anggrek-merah7").status_code == 302
    auth.logout()
    again = reset(client, kader.phone, code, new="mawar-putih8").get_data(as_text=True)
    assert "Kode reset ini sudah dipakai." in again


def test_reset_code_page_not_cached(client, auth, pelatih, kader):
    auth.login(pelatih.phone)
    response = client.post(f"/kelola/pengguna/{kader.id}/kode-reset")
    assert response.headers["Cache-Control"] == "no-store"


def test_expired_code_refused(app, client, pelatih, kader):
    with app.app_context():
        actor, target = db.session.get(User, pelatih.id), db.session.get(User, kader.id)
        code = services.issue_reset_code(actor, target, now=utcnow() - timedelta(hours=25))
        db.session.commit()
    page = reset(client, kader.phone, code).get_data(as_text=True)
    assert "Kode reset sudah kedaluwarsa." in page
    assert 'value="' + kader.phone + '"' in page


def test_new_code_replaces_old(app, client, auth, pelatih, kader):
    auth.login(pelatih.phone)
    old, new = issue_code(client, kader.id), issue_code(client, kader.id)
    auth.logout()
    assert "Kode reset salah" in reset(client, kader.phone, old).get_data(as_text=True)
    assert reset(client, kader.phone, new).status_code == 302


def test_code_only_for_its_account(app, client, auth, pelatih, kader):
    other = make_user(app)
    auth.login(pelatih.phone)
    code = issue_code(client, kader.id)
    auth.logout()
    assert "Kode reset salah" in reset(client, other.phone, code).get_data(as_text=True)


def test_only_hash_of_code_stored(app, client, auth, pelatih, kader):
    auth.login(pelatih.phone)
    code = issue_code(client, kader.id)
    with app.app_context():
        stored = db.session.scalar(sa.select(PasswordResetCode.code_hash))
    assert code.replace("-", "") not in stored and len(stored) == 64


@pytest.mark.app_config(LOGIN_LIMIT_PER_ACCOUNT="3 per 15 minutes")
def test_guessing_codes_throttled(client, kader):
    for guess in ("AAAA-AAAA", "BBBB-BBBB", "CCCC-CCCC"):
        reset(client, kader.phone, guess)
    page = reset(client, kader.phone, "DDDD-DDDD").get_data(as_text=True)
    assert "Terlalu banyak percobaan gagal" in page


def test_pelatih_cannot_reset_staff(client, auth, pelatih, admin):
    auth.login(pelatih.phone)
    assert client.post(f"/kelola/pengguna/{admin.id}/kode-reset").status_code == 403
    assert client.get(f"/kelola/pengguna/{admin.id}").status_code == 403


@pytest.fixture
def hashing_watched(monkeypatch):
    """Whether a transaction was open each time a password was hashed or verified.

    On SQLite every transaction holds the write lock: the slow Argon2 work must run outside."""
    from lms.accounts.passwords import PasswordHashing

    seen: list[bool] = []
    for name in ("hash", "verify"):
        original = getattr(PasswordHashing, name)

        def watching(self, *args, _original=original):
            seen.append(db.session().in_transaction())
            return _original(self, *args)

        monkeypatch.setattr(PasswordHashing, name, watching)
    return seen


def test_password_change_hashes_outside_any_transaction(client, auth, kader, hashing_watched):
    auth.login(kader.phone)
    hashing_watched.clear()
    form = {"current_password": "kaderhebat24", "new_password": "anggrek-merah7",
            "new_password_confirm": "anggrek-merah7"}  # fmt: skip
    assert client.post("/akun/kata-sandi", data=form).status_code == 302
    assert hashing_watched == [False, False]  # verify the current one, hash the new one
    auth.logout()
    assert auth.login(kader.phone, "anggrek-merah7").status_code == 302


def test_reset_and_registration_hash_outside_any_transaction(
    client, auth, pelatih, kader, hashing_watched
):
    auth.login(pelatih.phone)
    code = issue_code(client, kader.id)
    auth.logout()
    hashing_watched.clear()
    assert reset(client, kader.phone, code).status_code == 302
    assert hashing_watched == [False]
    assert auth.login(kader.phone, "anggrek-merah7").status_code == 302
    auth.logout()
    hashing_watched.clear()
    assert client.post("/daftar", data={**GOOD, "phone": "081298765432"}).status_code == 302
    assert hashing_watched == [False]
