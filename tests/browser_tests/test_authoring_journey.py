"""A pelatih writes a question in the browser, previews and publishes it; a kader draws it."""

from __future__ import annotations

import zipfile

import pytest
import sqlalchemy as sa

from lms.accounts.models import Role
from lms.content.models import Unit
from lms.extensions import db
from tests.browser import screenshot
from tests.browser_tests.test_account_journeys import sign_in
from tests.factories import assign_unit, make_user

pytestmark = [pytest.mark.browser, pytest.mark.app_config(WTF_CSRF_ENABLED=True)]
STEM = "Berapa kali lingkar kepala balita diukur dalam setahun pertama?"


def draw_one_of_topic(app, topic: str) -> None:
    """BKB's test draws one question of `topic` (none exists yet) and 19 of any topic."""
    with app.app_context():
        unit = db.session.scalar(sa.select(Unit).where(Unit.code == "bkb"))
        unit.test_blueprint = {
            **unit.test_blueprint,
            "draw": [
                {"count": 1, "topic": topic, "difficulty": None},
                {"count": 19, "topic": None, "difficulty": None},
            ],
        }
        db.session.commit()


def test_pelatih_writes_previews_publishes_and_kader_draws_it(
    page, app, curriculum, database_backend
):
    pelatih = make_user(app, role=Role.PELATIH, full_name="Rahmawati Pelatih")
    assign_unit(app, "bkb", pelatih)
    draw_one_of_topic(app, "lingkar-kepala")
    sign_in(page, pelatih.phone, "kaderhebat24")
    page.get_by_role("link", name="Materi dan bank soal").click()
    page.get_by_role("link", name="Bina Keluarga Balita (BKB)").click()
    page.get_by_role("link", name="Soal baru").click()

    page.get_by_label("Jenis soal").select_option("numeric")
    # Only the numeric key is shown for a numeric question.
    assert page.get_by_label("Toleransi (±)").is_visible()
    assert not page.get_by_label("Pilihan 1", exact=True).is_visible()
    page.get_by_label("Topik").fill("lingkar-kepala")
    page.get_by_label("Tujuan pembelajaran").select_option("bkb-kka")
    page.get_by_label("Pertanyaan (Markdown)").fill(STEM)
    page.get_by_label("Jawaban", exact=True).fill("tiga")
    page.get_by_label("Satuan (boleh kosong)").fill("kali")
    page.get_by_label("Umpan balik (ditampilkan setelah uji)").fill("Lihat jadwal pada KKA.")
    page.get_by_role("button", name="Pratinjau").click()
    assert page.get_by_text(
        "Kunci harus berupa angka tanpa pemisah ribuan, misalnya 1000 atau 2,5."
    ).is_visible()
    assert page.get_by_label("Pertanyaan (Markdown)").input_value() == STEM  # nothing lost

    page.get_by_label("Jawaban", exact=True).fill("4")
    page.get_by_role("button", name="Pratinjau").click()
    preview = page.locator("#pratinjau")
    assert preview.get_by_text(STEM).is_visible()
    assert preview.get_by_text("4 kali").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, f"editor-question-preview-{database_backend}")
    page.get_by_role("button", name="Terbitkan").click()
    assert page.get_by_text("Versi 1 diterbitkan.").is_visible()
    screenshot(page, f"editor-unit-{database_backend}")
    page.get_by_role("button", name="Keluar").click()

    kader = make_user(app, full_name="Nur Aini")
    sign_in(page, kader.phone, "kaderhebat24")
    page.goto("/uji/bkb")
    page.get_by_role("button", name="Mulai uji").click()
    for _page in range(4):
        if page.get_by_text(STEM).count():
            break
        page.get_by_role("button", name="Berikutnya").click()
    question = page.locator("fieldset.question", has_text=STEM)
    assert question.is_visible()
    assert question.locator(".numeric").get_by_text("kali").is_visible()
    screenshot(page, f"editor-question-drawn-{database_backend}")


def test_lesson_live_preview(page, app, curriculum, database_backend):
    admin = make_user(app, role=Role.ADMIN, full_name="Admin DPPKB")
    sign_in(page, admin.phone, "kaderhebat24")
    page.goto("/kelola/materi/bkb/pelajaran/baru")
    page.get_by_label("Judul").fill("Lingkar kepala")
    page.get_by_label("Isi pelajaran (Markdown)").fill("## Alat\n\nGunakan **pita ukur**.")
    live = page.locator("#pratinjau-isi")
    live.locator("strong", has_text="pita ukur").wait_for()
    assert live.get_by_role("heading", name="Alat").is_visible()
    assert page.locator("#pratinjau-judul").text_content() == "Lingkar kepala"
    screenshot(page, f"editor-lesson-live-{database_backend}")


def test_unit_zip_exported_edited_and_imported(page, app, curriculum, tmp_path, database_backend):
    admin = make_user(app, role=Role.ADMIN, full_name="Admin DPPKB")
    sign_in(page, admin.phone, "kaderhebat24")
    page.goto("/kelola/materi/bkb/data")
    assert page.get_by_label("Aturan pengambilan soal").input_value() == "20"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, f"editor-unit-form-{database_backend}")
    page.goto("/kelola/materi/bkb")
    with page.expect_download() as download:
        page.get_by_role("link", name="Ekspor zip").click()
    exported = tmp_path / "bkb.zip"
    download.value.save_as(exported)
    with zipfile.ZipFile(exported) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    assert "modules/bkb/unit.yaml" in files and "question_banks/bkb/kka.yaml" in files

    broken = dict(files)
    broken["question_banks/bkb/kka.yaml"] = files["question_banks/bkb/kka.yaml"].replace(
        b"difficulty: sedang", b"difficulty: lumayan", 1
    )
    write_zip(tmp_path / "rusak.zip", broken)
    page.get_by_role("link", name="Impor zip").click()
    page.get_by_label("Arsip zip unit").set_input_files(str(tmp_path / "rusak.zip"))
    page.get_by_role("button", name="Periksa dan impor").click()
    assert page.get_by_text("Arsip tidak dapat diimpor. Tidak ada yang diubah.").is_visible()
    assert page.get_by_text("question_banks/bkb/kka.yaml:").first.is_visible()
    screenshot(page, f"editor-zip-problems-{database_backend}")

    edited = dict(files)
    edited["modules/bkb/unit.yaml"] = files["modules/bkb/unit.yaml"].replace(
        b"title: Bina Keluarga Balita (BKB)", b"title: Bina Keluarga Balita (BKB) 2027", 1
    )
    write_zip(tmp_path / "baru.zip", edited)
    page.get_by_label("Arsip zip unit").set_input_files(str(tmp_path / "baru.zip"))
    page.get_by_role("button", name="Periksa dan impor").click()
    assert page.get_by_role("heading", name="Bina Keluarga Balita (BKB) 2027").is_visible()
    assert page.get_by_text("data unit diperbarui").is_visible()


def write_zip(path, files: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
