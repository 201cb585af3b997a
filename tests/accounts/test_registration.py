"""Kader self-registration."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.accounts.models import PoktanMembership, User
from lms.extensions import db
from tests.factories import make_user

GOOD = {
    "full_name": "Siti Aminah",
    "phone": "0812-3456-7890",
    "kecamatan_code": "64.08.08",
    "desa": "Makmur Jaya",
    "poktan": ["BKB", "UPPKA"],
    "new_password": "kaderhebat24",
    "new_password_confirm": "kaderhebat24",
}


def field_errors(response) -> str:
    return response.get_data(as_text=True)


def test_register_creates_kader_and_signs_in(client, app):
    response = client.post("/daftar", data=GOOD)
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(sa.select(User))
        assert user.phone == "+6281234567890"
        assert user.role == "kader"
        assert user.kecamatan_code == "64.08.08"
        assert user.poktan == ["BKB", "UPPKA"]
        assert user.password_hash.startswith("$argon2id$")
    home = client.get("/")
    assert "Halo, Siti Aminah" in home.get_data(as_text=True)


def test_register_page_asks_no_nik(client):
    page = client.get("/daftar").get_data(as_text=True)
    assert "NIK" not in page.replace("tidak meminta NIK", "")
    for code, name in [("64.08.17", "Batu Ampar"), ("64.08.18", "Long Mesangat")]:
        assert f'value="{code}">{name}' in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"phone": "0212345678"}, "Nomor HP tidak dikenali"),
        ({"phone": ""}, "Wajib diisi."),
        ({"kecamatan_code": "64.71.01"}, "Pilih kecamatan dari daftar Kabupaten Kutai Timur."),
        ({"kecamatan_code": ""}, "Wajib diisi."),
        ({"poktan": []}, "Pilih minimal satu poktan."),
        ({"poktan": ["PKK"]}, "Pilih poktan dari daftar."),
        ({"new_password": "abc", "new_password_confirm": "abc"}, "minimal 8 karakter"),
        ({"new_password": "password1", "new_password_confirm": "password1"}, "terlalu umum"),
        ({"new_password_confirm": "kaderhebat25"}, "Kedua kata sandi tidak sama."),
        ({"full_name": "S"}, "Nama lengkap 3 sampai 120 karakter."),
        ({"desa": ""}, "Wajib diisi."),
    ],
)
def test_register_bad_input_keeps_input_and_explains(client, app, changes, message):
    response = client.post("/daftar", data={**GOOD, **changes})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert 'value="Siti Aminah"' in page or changes.get("full_name")
    assert 'value="Makmur Jaya"' in page or "desa" in changes
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_register_rejects_a_number_already_registered_in_another_form(client, app):
    make_user(app, phone="+6281234567890")
    response = client.post("/daftar", data={**GOOD, "phone": "+62 812 3456 7890"})
    assert "Nomor HP ini sudah terdaftar" in response.get_data(as_text=True)
    assert 'value="+62 812 3456 7890"' in response.get_data(as_text=True)


def test_phone_unique_in_database(app):
    make_user(app, phone="+6281299990000")
    with pytest.raises(sa.exc.IntegrityError):
        make_user(app, phone="+6281299990000")


def test_database_refuses_unknown_poktan_and_role(app):
    user = make_user(app)
    with app.app_context():
        db.session.add(PoktanMembership(user_id=user.id, poktan="PKK"))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.commit()
        db.session.rollback()
        with pytest.raises(sa.exc.IntegrityError):
            db.session.execute(sa.update(User).values(role="superuser"))
            db.session.commit()


@pytest.mark.parametrize("query", ["/daftar?x=%ff%fe", "/daftar?poktan=&&&", "/masuk?next=%00"])
def test_malformed_query_strings_do_not_crash(client, query):
    assert client.get(query).status_code == 200
