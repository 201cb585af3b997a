"""The kader's reading path: units, lessons, progress, resume, and who may see it."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from lms.extensions import db
from lms.study.models import LessonCompletion
from tests.factories import make_user

FIRST, SECOND = "/belajar/bkb/bkb-apa-itu-bkb", "/belajar/bkb/bkb-asah-asih-asuh"


def text(response) -> str:
    return response.get_data(as_text=True)


def test_home_lists_units_with_progress_and_size(client, auth, kader, curriculum):
    auth.login(kader.phone)
    page = text(client.get("/"))
    assert "Bina Keluarga Balita (BKB)" in page and "Bina Keluarga Lansia (BKL)" in page
    assert "0 dari 7 pelajaran dibaca" in page and "0 dari 6 pelajaran dibaca" in page
    assert re.search(r"± \d+ KB", page)
    assert "Lanjutkan belajar: Apa itu Bina Keluarga Balita?" in page


def test_unit_page_lists_objectives_and_lessons(client, auth, kader, curriculum):
    auth.login(kader.phone)
    page = text(client.get("/belajar/bkb"))
    assert "Tujuan pembelajaran" in page and "Kartu Kembang Anak" in page
    assert page.count("Belum dibaca") == 7
    assert "Perkiraan waktu belajar 120 menit" in page


def test_lesson_page_has_previous_next_and_mark_button(client, auth, kader, curriculum):
    auth.login(kader.phone)
    page = text(client.get(SECOND))
    assert "Pelajaran 2 dari 7" in page
    assert 'rel="prev"' in page and 'rel="next"' in page
    assert "Tandai selesai dibaca" in page and "<h2>Di lapangan</h2>" in page
    first = text(client.get(FIRST))
    assert 'rel="prev"' not in first


def test_marking_read_moves_progress_and_survives_logout(client, auth, kader, curriculum):
    auth.login(kader.phone)
    response = client.post(f"{FIRST}/selesai")
    assert response.status_code == 302 and response.location == SECOND
    client.post(f"{FIRST}/selesai")  # twice is harmless
    auth.logout()
    auth.login(kader.phone)
    page = text(client.get("/"))
    assert "1 dari 7 pelajaran dibaca" in page
    assert "Lanjutkan belajar: Asah, Asih, Asuh" in page
    assert "Anda sudah menandai pelajaran ini selesai dibaca." in text(client.get(FIRST))


def test_resume_follows_the_last_lesson_read(client, auth, kader, curriculum):
    auth.login(kader.phone)
    client.post("/belajar/bkl/bkl-lansia-dan-bkl/selesai")
    assert (
        "Lanjutkan belajar: Tujuh Dimensi" in text(client.get("/"))
        or re.search(r"Lanjutkan belajar: [^<]*", text(client.get("/"))).group(0)
        != "Lanjutkan belajar: Apa itu Bina Keluarga Balita?"
    )


def test_last_lesson_returns_to_unit(client, auth, kader, curriculum):
    auth.login(kader.phone)
    last = "/belajar/bkb/bkb-alat-permainan-edukatif"
    response = client.post(f"{last}/selesai")
    assert response.location == "/belajar/bkb"


def test_progress_is_per_lesson_version(app, client, auth, kader, curriculum, runner):
    auth.login(kader.phone)
    client.post(f"{FIRST}/selesai")
    lesson_file = curriculum / "modules/bkb/lessons/01-apa-itu-bkb.md"
    lesson_file.write_text(lesson_file.read_text() + "\nTambahan materi baru.\n")
    assert runner.invoke(args=["content", "sync", str(curriculum)]).exit_code == 0
    page = text(client.get("/belajar/bkb"))
    assert "ada pembaruan" in page and "1 dari 7 pelajaran dibaca" in page
    assert "Pelajaran ini sudah diperbarui" in text(client.get(FIRST))
    client.post(f"{FIRST}/selesai")
    with app.app_context():
        rows = db.session.scalars(sa.select(LessonCompletion)).all()
        assert len({row.lesson_version_id for row in rows}) == 2


@pytest.mark.parametrize(
    "path", ["/belajar/tidak-ada", "/belajar/bkb/tidak-ada", "/belajar/bkl/bkb-apa-itu-bkb"]
)
def test_unknown_unit_or_lesson_is_friendly_404(client, auth, kader, curriculum, path):
    auth.login(kader.phone)
    response = client.get(path)
    assert response.status_code == 404 and "Halaman tidak ditemukan" in text(response)


def test_retired_lesson_disappears(client, auth, kader, curriculum, runner):
    (curriculum / "modules/bkb/lessons/07-alat-permainan-edukatif.md").unlink()
    bank = curriculum / "question_banks/bkb/ape.yaml"
    bank.unlink()
    objective_free = curriculum / "modules/bkb/unit.yaml"
    assert runner.invoke(args=["content", "sync", str(curriculum)]).exit_code == 0, objective_free
    auth.login(kader.phone)
    assert client.get("/belajar/bkb/bkb-alat-permainan-edukatif").status_code == 404
    assert "0 dari 6 pelajaran dibaca" in text(client.get("/belajar/bkb"))


def test_study_pages_need_login(client, curriculum):
    for path in ("/belajar/", "/belajar/bkb", FIRST):
        assert client.get(path).status_code == 302
    assert client.post(f"{FIRST}/selesai").status_code == 302


def test_one_kader_cannot_see_anothers_progress(app, client, auth, kader, curriculum):
    other = make_user(app, full_name="Kader Lain")
    auth.login(other.phone)
    client.post(f"{FIRST}/selesai")
    auth.logout()
    auth.login(kader.phone)
    assert client.get(f"/kelola/pengguna/{other.id}/progres").status_code == 403
    assert "0 dari 7 pelajaran dibaca" in text(client.get("/"))


def test_pelatih_sees_a_kaders_progress(app, client, auth, kader, pelatih, curriculum):
    auth.login(kader.phone)
    client.post(f"{FIRST}/selesai")
    auth.logout()
    auth.login(pelatih.phone)
    page = text(client.get(f"/kelola/pengguna/{kader.id}/progres"))
    assert "1 dari 7 pelajaran dibaca" in page and "Apa itu Bina Keluarga Balita?" in page


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_marking_read_needs_csrf(client, auth, kader, curriculum):
    page = text(client.get("/masuk"))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post(
        "/masuk", data={"csrf_token": token, "phone": kader.phone, "password": "kaderhebat24"}
    )
    assert client.post(f"{FIRST}/selesai").status_code == 400
