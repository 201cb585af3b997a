"""Training events: create, join by code, enrol by CSV, the table against a known scenario."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from lms.accounts.models import Role
from tests.certification_fixtures import pass_unit
from tests.factories import make_user

EVENT = {
    "name": "Pembinaan Terpadu Poktan", "place": "Balai Desa Makmur Jaya",
    "kecamatan_code": "64.08.08", "starts_on": "2026-06-15", "ends_on": "2026-06-16",
    "unit_codes": ["bkb", "bkl"],
}  # fmt: skip


def create_event(client) -> tuple[int, str]:
    response = client.post("/acara/baru", data=EVENT)
    assert response.status_code == 302, response.get_data(as_text=True)
    event_id = int(response.location.rsplit("/", 1)[1])
    page = client.get(f"/acara/{event_id}").get_data(as_text=True)
    return event_id, re.search(r'data-testid="join-code">(\w+)<', page).group(1)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_on": "2026-06-01"}, "Tanggal selesai tidak boleh sebelum tanggal mulai."),
        ({"starts_on": "15/06/2026"}, "Tanggal tidak sah."),
        ({"unit_codes": []}, "Pilih minimal satu unit."),
        ({"kecamatan_code": "99"}, "Pilih kecamatan dari daftar"),
        ({"name": ""}, "Wajib diisi."),
    ],
)
def test_create_event_bad_input(client, auth, pelatih, curriculum, changes, message):
    auth.login(pelatih.phone)
    page = client.post("/acara/baru", data={**EVENT, **changes}).get_data(as_text=True)
    assert message in page and 'value="Balai Desa Makmur Jaya"' in page


def test_join_by_code_and_csv_enrolment(app, client, auth, pelatih, curriculum):
    kader_a = make_user(app, full_name="Ani Lestari")
    kader_b = make_user(app, full_name="Budi Santoso")
    inactive = make_user(app, full_name="Tidak Aktif", is_active=False)
    auth.login(pelatih.phone)
    event_id, code = create_event(client)
    lines = ["nomor_hp", "0" + kader_b.phone[3:], kader_b.phone, "bukan-nomor", "081299998888",
             inactive.phone]  # fmt: skip
    data = ("\n".join(lines) + "\n").encode()
    page = client.post(f"/acara/{event_id}", data={"file": (io.BytesIO(data), "peserta.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)  # fmt: skip
    assert "1 kader didaftarkan, 1 sudah terdaftar sebelumnya." in page
    assert "Baris 4: bukan-nomor — bukan nomor HP" in page
    assert "Baris 5: 081299998888 — belum terdaftar di BinaKader" in page
    assert "bukan akun kader yang aktif" in page
    auth.logout()
    auth.login(kader_a.phone)
    assert "tidak ditemukan" in client.post("/gabung", data={"code": "ZZZZZZ"}).get_data(
        as_text=True
    )
    joined = client.post("/gabung", data={"code": f" {code.lower()} "}, follow_redirects=True)
    assert "Anda terdaftar di acara Pembinaan Terpadu Poktan." in joined.get_data(as_text=True)
    auth.logout()
    auth.login(pelatih.phone)
    page = client.get(f"/acara/{event_id}").get_data(as_text=True)
    assert "2 peserta" in page and "Ani Lestari" in page and "Budi Santoso" in page


def test_csv_with_broken_encoding_changes_nothing(client, auth, pelatih, curriculum):
    auth.login(pelatih.phone)
    event_id, _code = create_event(client)
    data = "0812 3456 7890\nSiti Ä\n".encode("latin-1")
    page = client.post(f"/acara/{event_id}", data={"file": (io.BytesIO(data), "x.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)  # fmt: skip
    assert "encoding UTF-8" in page and "0 peserta" in page


def test_event_table_numbers_for_a_known_scenario(app, client, auth, pelatih, program_content):
    ani = make_user(app, full_name="Ani Lestari")
    budi = make_user(app, full_name="Budi Santoso")
    auth.login(ani.phone)
    client.post("/belajar/bkb/bkb-apa-itu-bkb/selesai")
    client.post("/belajar/bkb/bkb-asah-asih-asuh/selesai")
    auth.logout()
    pass_unit(app, budi.id, "bkb")
    pass_unit(app, budi.id, "bkl")  # completes the program: a certificate
    auth.login(pelatih.phone)
    event_id, _code = create_event(client)
    data = f"{ani.phone}\n{budi.phone}\n".encode()
    client.post(f"/acara/{event_id}", data={"file": (io.BytesIO(data), "p.csv")},
                content_type="multipart/form-data")  # fmt: skip
    export = client.get(f"/acara/{event_id}/unduh.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(export)))
    assert rows[0][:4] == ["Nama", "Desa/Kelurahan", "Kecamatan", "bkb: pelajaran dibaca"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Ani Lestari"][3:7] == ["2/7", "0", "", "tidak"]
    assert by_name["Budi Santoso"][3:7] == ["0/7", "1", "100.0", "ya"]
    assert by_name["Ani Lestari"][-1] == "-" and by_name["Budi Santoso"][-1] == "Berlaku"
    sorted_page = client.get(f"/acara/{event_id}?urut=bkb-nilai").get_data(as_text=True)
    assert sorted_page.index("Budi Santoso") < sorted_page.index("Ani Lestari")
    by_desa = client.get(f"/acara/{event_id}?urut=nama&arah=turun").get_data(as_text=True)
    assert by_desa.index("Budi Santoso") < by_desa.index("Ani Lestari")
    workbook = load_workbook(io.BytesIO(client.get(f"/acara/{event_id}/unduh.xlsx").data))
    sheet = workbook.active
    assert sheet.cell(1, 1).value == "Nama" and sheet.max_row == 3


def test_pelatih_sees_only_own_events_admin_all(app, client, auth, pelatih, admin, curriculum):
    other = make_user(app, role=Role.PELATIH, full_name="Pelatih Lain")
    auth.login(pelatih.phone)
    event_id, _code = create_event(client)
    auth.logout()
    auth.login(other.phone)
    assert client.get(f"/acara/{event_id}").status_code == 403
    assert client.get(f"/acara/{event_id}/unduh.csv").status_code == 403
    assert "Pembinaan Terpadu Poktan" not in client.get("/acara").get_data(as_text=True)
    auth.logout()
    auth.login(admin.phone)
    assert client.get(f"/acara/{event_id}").status_code == 200
    assert "Pembinaan Terpadu Poktan" in client.get("/acara").get_data(as_text=True)


def test_kader_cannot_reach_event_pages(client, auth, kader, curriculum):
    auth.login(kader.phone)
    for path in ("/acara", "/acara/baru", "/acara/1", "/acara/1/unduh.csv"):
        assert client.get(path).status_code == 403, path


def test_table_is_a_fixed_number_of_queries(app, client, auth, pelatih, curriculum):
    import sqlalchemy as sa

    from lms.extensions import db

    auth.login(pelatih.phone)
    event_id, _code = create_event(client)
    phones = "\n".join(make_user(app, full_name=f"Kader {i}").phone for i in range(8)).encode()
    client.post(f"/acara/{event_id}", data={"file": (io.BytesIO(phones), "p.csv")},
                content_type="multipart/form-data")  # fmt: skip
    statements: list[str] = []
    with app.app_context():
        engine = db.engine
        record = lambda *args: statements.append(args[2])  # noqa: E731
        sa.event.listen(engine, "before_cursor_execute", record)
        try:
            client.get(f"/acara/{event_id}")
        finally:
            sa.event.remove(engine, "before_cursor_execute", record)
    assert len(statements) < 20, len(statements)
