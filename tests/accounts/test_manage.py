"""Staff pages: finding users, creating staff accounts, deactivating accounts."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from lms.accounts.models import User
from lms.extensions import db
from tests.factories import make_user


def test_pelatih_sees_only_kader(app, client, auth, pelatih, admin):
    make_user(app, full_name="Rahmawati")
    auth.login(pelatih.phone)
    page = client.get("/kelola/pengguna").get_data(as_text=True)
    assert "Rahmawati" in page
    assert "Admin DPPKB" not in page and "Budi Pelatih" not in page
    forced = client.get("/kelola/pengguna?peran=admin").get_data(as_text=True)
    assert "Admin DPPKB" not in forced


def test_search_by_name_phone_and_desa(app, client, auth, admin):
    make_user(app, full_name="Rahmawati", phone="+6281311112222", desa="Miau Baru")
    make_user(app, full_name="Yuliana")
    auth.login(admin.phone)
    for query in ("rahma", "0813-1111-2222", "miau"):
        page = client.get("/kelola/pengguna", query_string={"q": query}).get_data(as_text=True)
        assert "Rahmawati" in page and "Yuliana" not in page, query


def test_user_list_paginates(app, client, auth, admin):
    for index in range(4):
        make_user(app, full_name=f"Kader Nomor {index}")
    app.config["PAGE_SIZE"] = 2
    auth.login(admin.phone)
    first = client.get("/kelola/pengguna?peran=kader").get_data(as_text=True)
    assert "Halaman 1 dari 2" in first
    second = client.get("/kelola/pengguna?peran=kader&hal=2").get_data(as_text=True)
    assert "Kader Nomor 0" in second and "Kader Nomor 3" not in second
    assert client.get("/kelola/pengguna?hal=abc").status_code == 200


def test_admin_creates_pelatih_who_sets_own_password(app, client, auth, admin):
    auth.login(admin.phone)
    form = {"full_name": "Dewi Pelatih", "phone": "0821 5555 6666", "role": "pelatih"}
    page = client.post("/kelola/pengguna/baru", data=form).get_data(as_text=True)
    code = re.search(r'data-testid="reset-code">([0-9A-Z-]+)<', page).group(1)
    auth.logout()
    new_password = {"new_password": "pelatih-baru9", "new_password_confirm": "pelatih-baru9"}
    client.post("/lupa-kata-sandi", data={"phone": "082155556666", "code": code, **new_password})
    assert auth.login("082155556666", "pelatih-baru9").status_code == 302
    assert client.get("/kelola/pengguna").status_code == 200


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"role": "kader"}, "Pilih peran pelatih atau admin."),
        ({"phone": "12"}, "Nomor HP tidak dikenali"),
        ({"full_name": ""}, "Wajib diisi."),
    ],
)
def test_create_staff_bad_input(client, auth, admin, data, message):
    auth.login(admin.phone)
    form = {"full_name": "Dewi Pelatih", "phone": "0821 5555 6666", "role": "pelatih", **data}
    assert message in client.post("/kelola/pengguna/baru", data=form).get_data(as_text=True)


def test_create_staff_duplicate_phone(client, auth, admin, kader):
    auth.login(admin.phone)
    form = {"full_name": "Dewi", "phone": kader.phone, "role": "pelatih"}
    assert "sudah terdaftar" in client.post("/kelola/pengguna/baru", data=form).get_data(
        as_text=True
    )


def test_admin_deactivates_and_reactivates(app, client, auth, admin, kader):
    auth.login(admin.phone)
    client.post(f"/kelola/pengguna/{kader.id}/status", data={"active": "0"})
    with app.app_context():
        assert db.session.get(User, kader.id).is_active is False
    client.post(f"/kelola/pengguna/{kader.id}/status", data={"active": "1"})
    with app.app_context():
        assert db.session.get(User, kader.id).is_active is True


def test_admin_cannot_deactivate_self(app, client, auth, admin):
    auth.login(admin.phone)
    response = client.post(
        f"/kelola/pengguna/{admin.id}/status", data={"active": "0"}, follow_redirects=True
    )
    assert "tidak dapat menonaktifkan akun Anda sendiri" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(User.is_active).where(User.id == admin.id))


def test_missing_user_is_404(client, auth, admin):
    auth.login(admin.phone)
    assert client.get("/kelola/pengguna/99999").status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("get", "/kelola/pengguna", {"pelatih", "admin"}),
        ("get", "/kelola/pengguna/{kader}", {"pelatih", "admin"}),
        ("post", "/kelola/pengguna/{kader}/kode-reset", {"pelatih", "admin"}),
        ("get", "/kelola/pengguna/baru", {"admin"}),
        ("post", "/kelola/pengguna/{kader}/status", {"admin"}),
    ],
)
def test_every_staff_page_checks_the_role(
    app, client, auth, kader, pelatih, admin, method, path, allowed
):
    url = path.format(kader=kader.id)
    assert getattr(client, method)(url).status_code == 302  # anonymous: to the login page
    for user in (kader, pelatih, admin):
        auth.login(user.phone)
        status = getattr(client, method)(url).status_code
        assert (status != 403) == (user.role in allowed), (user.role, url, status)
        auth.logout()


def test_forbidden_page_is_friendly(client, auth, kader):
    auth.login(kader.phone)
    response = client.get("/kelola/pengguna")
    assert response.status_code == 403
    assert "Akses ditolak" in response.get_data(as_text=True)


def test_new_pelatih_gets_the_units_to_edit(app, client, auth, admin, curriculum):
    auth.login(admin.phone)
    page = client.get("/kelola/pengguna/baru").get_data(as_text=True)
    assert "Unit yang dapat disunting" in page and 'value="bkb"' in page
    form = {"full_name": "Dewi Pelatih", "phone": "0821 5555 6666", "role": "pelatih",
            "unit_codes": ["bkb"]}  # fmt: skip
    page = client.post("/kelola/pengguna/baru", data=form).get_data(as_text=True)
    code = re.search(r'data-testid="reset-code">([0-9A-Z-]+)<', page).group(1)
    bad = client.post("/kelola/pengguna/baru", data={**form, "phone": "0821 5555 7777",
                                                      "unit_codes": ["tidak-ada"]})  # fmt: skip
    assert "Pilih unit dari daftar." in bad.get_data(as_text=True)
    auth.logout()
    new_password = {"new_password": "pelatih-baru9", "new_password_confirm": "pelatih-baru9"}
    client.post("/lupa-kata-sandi", data={"phone": "082155556666", "code": code, **new_password})
    auth.login("082155556666", "pelatih-baru9")
    assert client.get("/kelola/materi/bkb/soal/baru").status_code == 200
    assert client.get("/kelola/materi/bkl/soal/baru").status_code == 403
