"""CSRF on every state change, friendly error pages, no 500 on malformed input."""

from __future__ import annotations

import re

import pytest

from lms.accounts.models import Role

csrf_on = pytest.mark.app_config(WTF_CSRF_ENABLED=True)


@csrf_on
@pytest.mark.parametrize(
    "path",
    ["/masuk", "/daftar", "/keluar", "/bahasa", "/lupa-kata-sandi", "/akun/kata-sandi",
     "/kelola/pengguna/1/kode-reset", "/kelola/pengguna/1/status", "/kelola/pengguna/baru"],
)  # fmt: skip
def test_post_without_csrf_token_refused(client, auth, admin, path):
    response = client.post(path, data={"phone": admin.phone, "password": "kaderhebat24"})
    assert response.status_code == 400
    assert "Formulir kedaluwarsa" in response.get_data(as_text=True)


@csrf_on
def test_login_with_csrf_token_works_and_token_changes(client, kader):
    page = client.get("/masuk").get_data(as_text=True)
    token = re.search(
        r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', page
    ).group(1)
    response = client.post(
        "/masuk", data={"csrf_token": token, "phone": kader.phone, "password": "kaderhebat24"}
    )
    assert response.status_code == 302
    # The pre-login token no longer works: the session (and its CSRF secret) was renewed.
    stale = client.post("/keluar", data={"csrf_token": token})
    assert stale.status_code == 400


@pytest.mark.parametrize(
    ("path", "status", "text"),
    [
        ("/tidak-ada", 404, "Halaman tidak ditemukan"),
        ("/keluar", 405, "Cara akses tidak diizinkan"),
    ],
)
def test_friendly_error_pages(client, path, status, text):
    response = client.get(path)
    assert response.status_code == status
    body = response.get_data(as_text=True)
    assert text in body and "Kembali ke beranda" in body


def test_friendly_500_page(app):
    app.config.update(TESTING=False, PROPAGATE_EXCEPTIONS=False)

    @app.route("/boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Terjadi kesalahan" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "form",
    [
        {},
        {"phone": "x" * 5000, "password": "y" * 5000},
        {"phone": "\x00", "password": "\x00"},
        {"phone": ["0812", "0813"], "password": "a"},
    ],
)
def test_malformed_login_forms_never_500(client, form):
    assert client.post("/masuk", data=form).status_code == 200


@pytest.mark.parametrize(
    "form",
    [
        {},
        {"poktan": "x" * 3000, "kecamatan_code": "'; DROP TABLE users; --"},
        {"full_name": "\u202e" * 200},
    ],
)
def test_malformed_registration_forms_never_500(client, form):
    assert client.post("/daftar", data=form).status_code == 200


def test_language_switch_ignores_unknown_language(client):
    response = client.post("/bahasa", data={"lang": "xx", "next": "https://evil.example"})
    assert response.status_code == 302 and response.location == "/"


def test_roles_are_the_three_named_roles():
    assert [role.value for role in Role] == ["kader", "pelatih", "admin"]
