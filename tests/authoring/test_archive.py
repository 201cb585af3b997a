"""A unit as a zip of content files: export, round trip, import in the browser, and refusals."""

from __future__ import annotations

import io
import json
import os
import re
import stat
import struct
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from markupsafe import escape

from lms.accounts.models import Role
from lms.audit.models import AuditEvent
from lms.authoring import archive
from lms.authoring.archive import ArchiveForbidden, import_unit_archive
from lms.authoring.archive_files import build_unit_archive
from lms.config import REPO_ROOT
from lms.content.loader import load_curriculum
from lms.content.models import Lesson, LessonVersion, Question, QuestionVersion, Unit, unit_editors
from lms.content.spec import Curriculum
from lms.content.sync import sync_curriculum
from lms.database import utcnow
from lms.extensions import db
from tests.factories import make_user

IMPORT = "/kelola/materi/impor-zip"
COUNTED = (Unit, Lesson, LessonVersion, Question, QuestionVersion, AuditEvent)


# -- helpers -------------------------------------------------------------------------------
def read_zip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive_file:
        return {info.filename: archive_file.read(info) for info in archive_file.infolist()}


def make_zip(files: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive_file:
        for name, data in files.items():
            archive_file.writestr(name, data.encode() if isinstance(data, str) else data)
    return buffer.getvalue()


def exported(app, code: str) -> dict[str, bytes]:
    with app.app_context():
        unit = db.session.scalars(sa.select(Unit).where(Unit.code == code)).one()
        return read_zip(build_unit_archive(unit))


def unpack(files: dict[str, bytes], root: Path) -> tuple[Curriculum, list]:
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return load_curriculum(root / "modules", root / "question_banks", root=root)


def counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in COUNTED
        }


def upload(client, data: bytes, name: str = "unit.zip"):
    return client.post(IMPORT, data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")  # fmt: skip


def bundled(code: str) -> dict[str, bytes]:
    """The repository's files of one unit, as a zip would hold them."""
    files = {}
    for folder in ("modules", "question_banks"):
        for path in sorted((REPO_ROOT / folder / code).rglob("*")):
            if path.is_file():
                files[str(path.relative_to(REPO_ROOT))] = path.read_bytes()
    return files


def assert_matches_database(curriculum: Curriculum, code: str) -> None:
    """Every fingerprint of the loaded files equals what the database holds."""
    spec = curriculum.units[code]
    unit = db.session.scalars(sa.select(Unit).where(Unit.code == code)).one()
    assert spec.fingerprint() == unit.content_hash
    for model, version_model, items in (
        (Lesson, LessonVersion, spec.lessons),
        (Question, QuestionVersion, spec.questions),
    ):
        stored = dict(
            db.session.execute(
                sa.select(model.key, version_model.content_hash)
                .join(version_model, version_model.id == model.current_version_id)
                .where(model.unit_id == unit.id, model.is_retired.is_(False))
            ).all()
        )
        assert {item.key: item.fingerprint() for item in items} == stored


# -- export --------------------------------------------------------------------------------
def test_export_round_trips_and_reuses_the_repository_file_names(
    app, client, auth, pelatih, curriculum, tmp_path
):
    auth.login(pelatih.phone)
    response = client.get("/kelola/materi/bkb/ekspor.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"] == "attachment; filename=binakader-bkb.zip"
    files = read_zip(response.data)
    # Unzipped over the repository, the export replaces the bundled files one for one.
    repository = bundled("bkb")
    assert set(files) == set(repository)
    # Written as the bundled files are (unit.yaml only loses its comment).
    assert [name for name in files if files[name] != repository[name]] == ["modules/bkb/unit.yaml"]
    curriculum_files, problems = unpack(files, tmp_path / "export")
    assert problems == [] and list(curriculum_files.units) == ["bkb"]
    with app.app_context():
        assert_matches_database(curriculum_files, "bkb")
        report = sync_curriculum(curriculum_files, now=utcnow(), overwrite_browser_edits=True)
        assert report.counts == {}
        db.session.rollback()


def test_export_without_repository_names_uses_order_and_topic(app, curriculum, tmp_path):
    files = exported(app, "bkl")
    lessons = sorted(name.rsplit("/", 1)[1] for name in files if name.endswith(".md"))
    assert lessons[0] == "01-lansia-dan-bkl.md" and len(lessons) == 6
    banks = sorted(name.rsplit("/", 1)[1] for name in files if name.startswith("question_banks"))
    assert "tujuh-dimensi.yaml" in banks and "pertemuan-bkl.yaml" in banks
    loaded, problems = unpack(files, tmp_path / "export")
    assert problems == []
    with app.app_context():
        assert_matches_database(loaded, "bkl")


TRICKY_UNIT = """\
code: uji
title: '2024'
summary: >-
  Ringkasan yang cukup panjang supaya ditulis sebagai blok terlipat oleh ekspor, dengan: titik dua,
  tanda pagar # dan kata yes di tengah kalimat.
order: 9
estimated_minutes: 45
objectives:
  - id: uji-angka
    text: '12'
  - id: uji-teks
    text: "yes"
test:
  draw:
    - count: 1
      topic: angka
    - count: 2
      difficulty: mudah
  time_limit_minutes: 15
  pass_mark: 80
  attempts: unlimited
  wait_hours: 1.5
  shuffle_questions: false
  shuffle_options: true
  review:
    failed: score
    passed: correctness
  unlock: all-lessons-read
  questions_per_page: 10
"""

TRICKY_LESSON = """\
---
id: uji-pertama
title: 'Bagian 1: angka'
order: 1
objectives: [uji-angka, uji-teks]
---
Teks dengan ![gambar](titik.png) dan baris<spasi>
   berindentasi.

```
kode: true
```
"""

TRICKY_BANK = """\
questions:
  - id: uji-q1
    type: single
    difficulty: mudah
    topic: angka
    objective: uji-angka
    stem: "  diawali spasi\\nbaris dua dengan spasi di akhir   \\nno"
    options:
      c: 'on'
      '1': 1.50
      a: null text
    answer: '1'
    feedback: 'true'
  - id: uji-q2
    type: numeric
    difficulty: mudah
    topic: angka
    objective: uji-angka
    stem: Berapa?
    answer: 2.5
    tolerance: 0.0
    feedback: Dua setengah.
  - id: uji-q3
    type: numeric
    difficulty: sulit
    topic: angka
    objective: uji-angka
    stem: Berapa bulan?
    answer: 72
    unit: '2'
    feedback: "#1"
  - id: uji-q4
    type: multiple
    difficulty: sedang
    topic: teks
    objective: uji-teks
    stem: |
      Pilih dua.

      Dengan baris kosong dan `kode: x`.
    options:
      z: Z
      y: '0123'
      x: X
    answer: [z, x]
    scoring: partial
    feedback: '- bukan daftar'
  - id: uji-q5
    type: short
    difficulty: mudah
    topic: teks
    objective: uji-teks
    stem: 'Isi: apa?'
    answer: ['yes', '1e3', 'a, b', 'ya']
    feedback: ok
  - id: uji-q6
    type: truefalse
    difficulty: mudah
    topic: teks
    objective: uji-teks
    stem: Benar?
    answer: false
    feedback: "null"
  - id: uji-q7
    type: matching
    difficulty: sedang
    topic: teks
    objective: uji-teks
    stem: Pasangkan.
    pairs:
      - left: '1'
        right: 'no'
      - left: 'x: y'
        right: "[a]"
      - left: c
        right: d
    feedback: Cocok.
"""


def tricky_curriculum(root: Path) -> Path:
    from PIL import Image

    from lms.content.images import prepare_image

    (root / "modules/uji/lessons").mkdir(parents=True)
    (root / "question_banks/uji").mkdir(parents=True)
    (root / "modules/uji/unit.yaml").write_text(TRICKY_UNIT)
    (root / "modules/uji/lessons/01-pertama.md").write_text(
        TRICKY_LESSON.replace("<spasi>", "    ")  # trailing spaces: a Markdown line break
    )
    (root / "question_banks/uji/soal.yaml").write_text(TRICKY_BANK)
    png = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(png, format="PNG")
    # Already as the site stores it, so that the fingerprint survives the round trip.
    (root / "modules/uji/lessons/titik.png").write_bytes(prepare_image(png.getvalue(), "image/png"))
    return root


def test_values_that_yaml_could_misread_survive_the_round_trip(app, runner, tmp_path):
    root = tricky_curriculum(tmp_path / "content")
    result = runner.invoke(args=["content", "sync", str(root)])
    assert result.exit_code == 0, result.output
    files = exported(app, "uji")
    assert "modules/uji/lessons/titik.png" in files
    loaded, problems = unpack(files, tmp_path / "export")
    assert problems == [], [str(p) for p in problems]
    with app.app_context():
        assert_matches_database(loaded, "uji")
        unit = db.session.scalars(sa.select(Unit).where(Unit.code == "uji")).one()
        as_json = json.loads(json.dumps(loaded.units["uji"].blueprint.to_json()))
        assert as_json == unit.test_blueprint and as_json["wait_hours"] == 1.5
    text = files["question_banks/uji/angka.yaml"].decode()
    assert "\n\n  - id: uji-q2\n" in text and "stem: |-\n      Berapa?\n" in text


# -- import --------------------------------------------------------------------------------
def edit_stem(files: dict[str, bytes], key: str, new_stem: str) -> str:
    """Replace the stem of question `key` in the exported files; returns the file's name."""
    for name, data in files.items():
        text = data.decode() if name.endswith(".yaml") else ""
        match = re.search(rf"- id: {key}\n(?:.*\n)*?    stem: \|-\n((?:      .*\n)+)", text)
        if match:
            start, end = match.span(1)
            files[name] = (text[:start] + f"      {new_stem}\n" + text[end:]).encode()
            return name
    raise AssertionError(f"{key} not found")


def test_import_of_an_edited_stem_makes_a_new_version(app, client, auth, admin, curriculum):
    files = exported(app, "bkb")
    edit_stem(files, "bkb-q021", "Apa nama kartu untuk memantau perkembangan anak?")
    before = counts(app)
    auth.login(admin.phone)
    response = upload(client, make_zip(files))
    assert response.status_code == 302 and response.location.endswith("/kelola/materi/bkb")
    page = client.get(response.location).get_data(as_text=True)
    assert "Unit Bina Keluarga Balita (BKB) diimpor: 1 versi soal baru." in page
    after = counts(app)
    assert after["QuestionVersion"] == before["QuestionVersion"] + 1
    assert after["LessonVersion"] == before["LessonVersion"]
    with app.app_context():
        question = db.session.scalars(sa.select(Question).where(Question.key == "bkb-q021")).one()
        assert question.current_version.version == 2
        assert question.current_version.stem_markdown.startswith("Apa nama kartu untuk")
        unit = question.unit
        assert unit.browser_edited_at is not None and unit.is_published
        event = db.session.scalars(sa.select(AuditEvent)).one()
        assert (event.action, event.subject_type, event.subject_id) == (
            "unit.imported", "unit", unit.id
        )  # fmt: skip
        assert event.actor_id == admin.id
        assert event.details == {"source": "zip", "changes": {"question versions created": 1}}


def broken_difficulty(app) -> tuple[bytes, str, int]:
    """The BKB zip with one question's difficulty misspelt; its file and line."""
    files = exported(app, "bkb")
    name = "question_banks/bkb/kka.yaml"
    lines = files[name].decode().split("\n")
    line = lines.index("    difficulty: mudah") + 1
    lines[line - 1] = "    difficulty: gampang"
    files[name] = "\n".join(lines).encode()
    return make_zip(files), name, line


def test_import_of_a_broken_question_names_file_and_line(app, client, auth, admin, curriculum):
    data, name, line = broken_difficulty(app)
    before = counts(app)
    auth.login(admin.phone)
    response = upload(client, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Tidak ada yang diubah" in page
    message = "'difficulty' harus salah satu dari mudah, sedang, sulit, bukan 'gampang'"
    assert str(escape(f"{name}:{line}: {message}")) in page
    assert counts(app) == before


def test_import_problems_from_the_loader_follow_the_language(app, client, auth, admin,
                                                            curriculum):  # fmt: skip
    """After switching to English the loader's message is shown in English, path and line
    unchanged; the Indonesian text is gone."""
    data, name, line = broken_difficulty(app)
    auth.login(admin.phone)
    client.post("/bahasa", data={"lang": "en"})
    response = upload(client, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Nothing was changed." in page
    message = "'difficulty' must be one of mudah, sedang, sulit, not 'gampang'"
    assert str(escape(f"{name}:{line}: {message}")) in page
    assert "harus salah satu dari" not in page


def symlink_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive_file:
        info = zipfile.ZipInfo("modules/bkb/lessons/link.md")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive_file.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def lying_zip() -> bytes:
    """An entry that says it holds 10 bytes but unpacks to a megabyte."""
    data = bytearray(make_zip({"modules/bkb/unit.yaml": "a" * 2**20}))
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.index(signature) + offset
        data[at : at + 4] = struct.pack("<I", 10)
    return bytes(data)


def two_units() -> bytes:
    return make_zip({**bundled("bkr"), **bundled("uppka")})


@pytest.mark.parametrize(
    ("make_data", "message"),
    [
        (lambda: make_zip({"../x.yaml": "a"}), "../x.yaml: jalur dengan &#39;..&#39;"),
        (lambda: make_zip({"modules/../../x": "a"}), "tidak diizinkan"),
        (lambda: make_zip({"/etc/x.yaml": "a"}), "/etc/x.yaml: jalur absolut tidak diizinkan"),
        (lambda: make_zip({"modules\\bkb\\unit.yaml": "a"}), "garis miring terbalik"),
        (lambda: make_zip({"C:/modules/x": "a"}), "huruf drive"),
        (symlink_zip, "modules/bkb/lessons/link.md: tautan simbolik (symlink) tidak diizinkan"),
        (lambda: make_zip({"README.md": "a"}), "README.md: hanya isi folder modules/"),
        (lambda: make_zip({"modules/programs/p.yaml": "a"}), "modules/programs/"),
        (lambda: b"PK\x03\x04 bukan zip", "bukan arsip zip"),
        (lambda: b"Judul,Isi\n", "bukan arsip zip"),
        (two_units, "tepat satu unit, bukan 2 (bkr, uppka)"),
        (lambda: make_zip({"question_banks/bkb/a.yaml": "questions: []"}), "tidak berisi unit"),
        (lying_zip, "modules/bkb/unit.yaml: berkas rusak"),
    ],
)
def test_unsafe_or_wrong_archives_are_refused(app, client, auth, admin, make_data, message):
    before = counts(app)
    auth.login(admin.phone)
    response = upload(client, make_data())
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert counts(app) == before


@pytest.mark.parametrize(
    ("limit", "value", "message"),
    [
        ("MAX_ENTRIES", 3, "Arsip berisi 4 berkas; paling banyak 3."),
        ("MAX_UNPACKED_BYTES", 2000, "Isi arsip terlalu besar setelah dibuka"),
        ("MAX_UPLOAD_BYTES", 500, "Berkas terlalu besar (paling besar"),
    ],
)
def test_archives_over_the_limits_are_refused(app, client, auth, admin, monkeypatch, limit,
                                              value, message):  # fmt: skip
    monkeypatch.setattr(archive, limit, value)
    files = {f"modules/bkr/lessons/{n}.md": "x" * 1000 for n in range(4)}
    before = counts(app)
    auth.login(admin.phone)
    response = upload(client, make_zip(files))
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert counts(app) == before


def test_question_id_of_another_unit_is_refused(app, client, auth, admin, curriculum):
    files = exported(app, "bkb")
    name = edit_stem(files, "bkb-q021", "Apa nama kartu itu?")
    text = files[name].decode()
    line = text.split("\n").index("  - id: bkb-q021") + 1
    files[name] = text.replace("- id: bkb-q021\n", "- id: bkl-q001\n").encode()
    with app.app_context():
        assert db.session.scalar(sa.select(Question.id).where(Question.key == "bkl-q001"))
    before = counts(app)
    auth.login(admin.phone)
    response = upload(client, make_zip(files))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f"{name}:{line}: id &#39;bkl-q001&#39; sudah dipakai unit &#39;bkl&#39;" in page
    assert counts(app) == before


def test_a_new_unit_is_created_unpublished_for_its_importer(app, client, auth, pelatih):
    auth.login(pelatih.phone)
    response = upload(client, make_zip(bundled("bkr")))
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "dibuat dari arsip" in page and "belum terbit" in page
    with app.app_context():
        unit = db.session.scalars(sa.select(Unit).where(Unit.code == "bkr")).one()
        assert unit.created_by_id == pelatih.id and unit.is_published is False
        assert unit.browser_edited_at is not None
        lessons = db.session.scalar(
            sa.select(sa.func.count()).select_from(Lesson).where(Lesson.unit_id == unit.id)
        )
        assert lessons == 7
    # Its creator may import it again.
    assert upload(client, make_zip(bundled("bkr"))).status_code == 302


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_import_needs_the_form_token_and_takes_more_than_the_usual_upload_limit(app, client, admin):
    def token(path: str) -> str:
        page = client.get(path).get_data(as_text=True)
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    client.post("/masuk", data={"csrf_token": token("/masuk"), "phone": admin.phone,
                                "password": "kaderhebat24"})  # fmt: skip
    # Over the site-wide 8 MB request limit, under the 20 MB the import accepts.
    files = {**bundled("bkr"), "modules/bkr/lessons/lampiran.bin": os.urandom(9 * 2**20)}
    data = make_zip(files)
    assert len(data) > app.config["MAX_CONTENT_LENGTH"]
    before = counts(app)
    refused = upload(client, data)
    assert refused.status_code == 400 and "Formulir kedaluwarsa" in refused.get_data(as_text=True)
    assert counts(app) == before
    response = client.post(IMPORT, data={"csrf_token": token(IMPORT),
                                         "file": (io.BytesIO(data), "bkr.zip")},
                           content_type="multipart/form-data")  # fmt: skip
    assert response.status_code == 302


# -- permissions ---------------------------------------------------------------------------
def test_kader_gets_403_everywhere(client, auth, kader, curriculum):
    auth.login(kader.phone)
    assert client.get("/kelola/materi/bkb/ekspor.zip").status_code == 403
    assert client.get(IMPORT).status_code == 403
    assert upload(client, make_zip(bundled("bkr"))).status_code == 403


def test_import_page_and_unknown_unit(client, auth, pelatih, curriculum):
    auth.login(pelatih.phone)
    page = client.get(IMPORT)
    assert page.status_code == 200 and len(page.data) < 50 * 1024
    assert "/kelola/materi/bkb/ekspor.zip" in page.get_data(as_text=True)
    assert client.get("/kelola/materi/tidak-ada/ekspor.zip").status_code == 404
    assert client.post(IMPORT, data={}).status_code == 400


def test_only_editors_of_an_existing_unit_may_import_it(app, client, auth, pelatih, curriculum):
    data = make_zip(exported(app, "bkb"))
    before = counts(app)
    auth.login(pelatih.phone)
    assert upload(client, data).status_code == 403
    assert counts(app) == before
    with app.app_context():
        unit_id = db.session.scalar(sa.select(Unit.id).where(Unit.code == "bkb"))
        db.session.execute(sa.insert(unit_editors).values(unit_id=unit_id, user_id=pelatih.id))
        db.session.commit()
    assert upload(client, data).status_code == 302


def test_service_refuses_a_kader_and_writes_nothing(app):
    kader = make_user(app, role=Role.KADER)
    before = counts(app)
    with app.app_context(), app.test_request_context():
        user = db.session.get(type(kader), kader.id)
        with pytest.raises(ArchiveForbidden):
            import_unit_archive(user, make_zip(bundled("bkr")), now=utcnow())
        db.session.rollback()
    assert counts(app) == before
