"""Importing a Moodle file into a bank through the pages, exporting it, and who may."""

from __future__ import annotations

import io
from pathlib import Path

import sqlalchemy as sa

from lms.audit.models import AuditEvent
from lms.authoring.exchange import parse_gift, parse_moodle_xml
from lms.content.models import Question
from lms.extensions import db
from tests.factories import assign_unit

FIXTURES = Path(__file__).parent / "fixtures"


def upload(client, name: str, data: bytes, **extra):
    return client.post("/kelola/bank/bkb/impor", data={"file": (io.BytesIO(data), name), **extra},
                       content_type="multipart/form-data")  # fmt: skip


def test_gift_import_previews_then_saves(app, client, auth, pelatih, curriculum, runner):
    assign_unit(app, "bkb", pelatih)
    auth.login(pelatih.phone)
    data = (FIXTURES / "bkb-moodle.gift").read_bytes()
    expected = parse_gift(data.decode())
    preview = upload(client, "bank.gift", data)
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and f"{len(expected.questions)} soal siap diimpor" in page
    assert f"{len(expected.skipped)} soal tidak dapat diimpor" in page
    with app.app_context():
        before = db.session.scalar(sa.select(sa.func.count()).select_from(Question))
    payload = page.split('name="payload" type="hidden" value="')[1].split('"')[0]
    saved = client.post("/kelola/bank/bkb/impor", data={"payload": payload, "kind": "gift",
                                                        "konfirmasi": "1"})  # fmt: skip
    assert saved.status_code == 302
    with app.app_context():
        after = db.session.scalar(sa.select(sa.func.count()).select_from(Question))
        assert after - before == len(expected.questions)
        assert db.session.scalar(sa.select(AuditEvent.action)) == "bank.imported"
    # A later sync from the files must not retire what was imported in the browser.
    assert runner.invoke(args=["content", "sync", str(curriculum)]).exit_code == 0
    with app.app_context():
        retired = db.session.scalar(
            sa.select(sa.func.count()).where(Question.origin == "browser", Question.is_retired)
        )
        assert retired == 0


def test_moodle_xml_import_and_a_broken_file(app, client, auth, pelatih, curriculum):
    assign_unit(app, "bkb", pelatih)
    auth.login(pelatih.phone)
    data = (FIXTURES / "bkb-moodle.xml").read_bytes()
    expected = parse_moodle_xml(data)
    page = upload(client, "bank.xml", data).get_data(as_text=True)
    assert f"{len(expected.questions)} soal siap diimpor" in page
    broken = upload(client, "bank.xml", b"<quiz><question type='truefalse'>")
    assert broken.status_code == 400 and "Tidak ada yang diubah" in broken.get_data(as_text=True)
    latin = upload(client, "bank.gift", "::x:: Apa? {T}\n// café".encode("latin-1"))
    assert latin.status_code == 400 and "UTF-8" in latin.get_data(as_text=True)
    huge = upload(client, "bank.gift", b"x" * (2 * 1024 * 1024 + 10))
    assert huge.status_code == 400 and "terlalu besar" in huge.get_data(as_text=True)


def test_export_round_trip(client, auth, pelatih, curriculum):
    auth.login(pelatih.phone)
    gift = client.get("/kelola/bank/bkb/ekspor.gift").get_data(as_text=True)
    xml = client.get("/kelola/bank/bkb/ekspor.xml").data
    assert len(parse_gift(gift).questions) == 70 and parse_gift(gift).errors == []
    assert len(parse_moodle_xml(xml).questions) == 70


def test_kader_cannot_reach_bank_pages(client, auth, kader, curriculum):
    auth.login(kader.phone)
    for path in ("/kelola/bank/", "/kelola/bank/bkb", "/kelola/bank/bkb/ekspor.gift"):
        assert client.get(path).status_code == 403
    assert upload(client, "x.gift", b"::a:: b {T}").status_code == 403


def test_only_editors_of_the_unit_import(app, client, auth, pelatih, curriculum):
    auth.login(pelatih.phone)
    data = (FIXTURES / "bkb-moodle.gift").read_bytes()
    assert upload(client, "bank.gift", data).status_code == 403
    assign_unit(app, "bkb", pelatih)
    assert upload(client, "bank.gift", data).status_code == 200


def test_bank_page_offers_import_only_to_editors(app, client, auth, pelatih, curriculum):
    auth.login(pelatih.phone)
    assert "Impor dari Moodle" not in client.get("/kelola/bank/bkb").get_data(as_text=True)
    assign_unit(app, "bkb", pelatih)
    assert "Impor dari Moodle" in client.get("/kelola/bank/bkb").get_data(as_text=True)
