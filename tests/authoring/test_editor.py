"""Authoring in the browser: drafts, previews, publishing new versions, retiring, who may."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from PIL import Image

from lms.assessment.models import AttemptQuestion
from lms.audit.models import AuditEvent
from lms.authoring.fields import OPTION_ROWS, PAIR_ROWS, lesson_fields
from lms.authoring.question_fields import question_fields
from lms.content.models import (
    ContentImage,
    Draft,
    Lesson,
    LessonVersion,
    Question,
    QuestionVersion,
    Unit,
)
from lms.extensions import db
from tests.content.test_images import jpeg_with_exif
from tests.factories import assign_unit


def question_form(**overrides) -> dict:
    form = {
        "type": "single",
        "difficulty": "sedang",
        "topic": "kka",
        "objective": "bkb-kka",
        "stem": "Warna garis pada **KKA** untuk anak yang perlu dirujuk?",
        "feedback": "Lihat pelajaran Kartu Kembang Anak.",
        "scoring": "all-or-nothing",
        "truefalse": "",
        "short": "",
        "numeric_answer": "",
        "numeric_tolerance": "0",
        "numeric_unit": "",
        "correct": ["1"],
        "aksi": "simpan",
    }
    for n in range(OPTION_ROWS):
        form[f"option-{n}"] = ["Hijau", "Merah", "Kuning", ""][n] if n < 4 else ""
    for n in range(PAIR_ROWS):
        form[f"left-{n}"] = form[f"right-{n}"] = ""
    form.update(overrides)
    return form


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


@pytest.fixture
def editor(app, auth, pelatih, curriculum):
    assign_unit(app, "bkb", pelatih)
    auth.login(pelatih.phone)
    return pelatih


def test_kader_never_reaches_authoring(client, auth, kader, curriculum):
    auth.login(kader.phone)
    for url in [
        "/kelola/materi/",
        "/kelola/materi/bkb",
        "/kelola/materi/bkb/soal/baru",
        "/kelola/materi/bkb/pelajaran/baru",
        "/kelola/materi/bkb/data",
    ]:
        assert client.get(url).status_code == 403, url
    assert client.post("/kelola/materi/bkb/soal/baru", data=question_form()).status_code == 403
    assert client.post("/kelola/materi/pratinjau", json={"markdown": "x"}).status_code == 403


def test_pelatih_edits_only_assigned_or_created_units(app, client, auth, pelatih, curriculum):
    auth.login(pelatih.phone)
    assert client.get("/kelola/materi/bkb").status_code == 200  # may look
    assert client.get("/kelola/materi/bkb/soal/baru").status_code == 403
    assert client.post("/kelola/materi/bkb/soal/baru", data=question_form()).status_code == 403
    assign_unit(app, "bkb", pelatih)
    assert client.get("/kelola/materi/bkb/soal/baru").status_code == 200
    assert client.get("/kelola/materi/bkl/soal/baru").status_code == 403
    created = client.post("/kelola/materi/baru", data={"code": "posyandu", "title": "Posyandu"})
    assert created.status_code == 302
    assert client.get("/kelola/materi/posyandu/data").status_code == 200


def test_admin_edits_every_unit_and_assigns_editors(app, client, auth, admin, pelatih, curriculum):
    auth.login(admin.phone)
    assert client.get("/kelola/materi/bkl/data").status_code == 200
    response = client.post("/kelola/materi/bkl/penyunting", data={"user_id": str(pelatih.id)})
    assert response.status_code == 302
    assert "unit.editor_assigned" in actions(app)
    auth.logout()
    auth.login(pelatih.phone)
    assert client.get("/kelola/materi/bkl/data").status_code == 200
    assert (
        client.post("/kelola/materi/bkl/penyunting", data={"user_id": str(pelatih.id)}).status_code
        == 403
    )


def test_question_draft_preview_publish(app, client, editor):
    questions = count(app, Question)
    saved = client.post("/kelola/materi/bkb/soal/baru", data=question_form())
    assert saved.status_code == 302
    key = saved.headers["Location"].rsplit("/", 1)[1]
    assert count(app, Question) == questions  # a draft only
    with app.app_context():
        assert db.session.scalar(sa.select(Draft.item_key)) == key

    preview = client.post(f"/kelola/materi/bkb/soal/{key}", data=question_form(aksi="pratinjau"))
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "<strong>KKA</strong>" in page and 'type="radio" name="q1" value="b"' in page
    assert "Kunci:</strong> b. Merah" in page

    published = client.post(f"/kelola/materi/bkb/soal/{key}", data=question_form(aksi="terbitkan"))
    assert published.status_code == 302
    with app.app_context():
        question = db.session.scalar(sa.select(Question).where(Question.key == key))
        assert question.origin == "browser" and question.current_version.version == 1
        assert question.current_version.data == {
            "options": [["a", "Hijau"], ["b", "Merah"], ["c", "Kuning"]],
            "answer": "b",
        }
        assert db.session.scalar(sa.select(Draft.id)) is None
        assert question.unit.browser_edited_at is not None
    assert actions(app)[-1] == "question.published"


def test_editing_a_published_question_makes_a_new_version(app, client, editor):
    with app.app_context():
        key, first = db.session.execute(
            sa.select(Question.key, Question.current_version_id)
            .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
            .where(QuestionVersion.type == "truefalse", Question.key.startswith("bkb"))
        ).first()
    page = client.get(f"/kelola/materi/bkb/soal/{key}").get_data(as_text=True)
    assert 'name="truefalse" value="true"' in page
    form = question_form(
        type="truefalse",
        truefalse="false",
        stem="Pernyataan baru.",
        objective="bkb-tujuan",
        topic="tujuan",
        aksi="simpan",
    )
    client.post(f"/kelola/materi/bkb/soal/{key}", data=form)
    with app.app_context():  # the draft changes nothing a kader sees
        assert (
            db.session.scalar(sa.select(Question.current_version_id).where(Question.key == key))
            == first
        )
    form["aksi"] = "terbitkan"
    assert client.post(f"/kelola/materi/bkb/soal/{key}", data=form).status_code == 302
    with app.app_context():
        question = db.session.scalar(sa.select(Question).where(Question.key == key))
        assert question.current_version_id != first
        assert question.current_version.version == 2
        assert question.current_version.data == {"answer": False}
        assert db.session.get(QuestionVersion, first).stem_markdown != "Pernyataan baru."


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"correct": []}, "Tandai tepat satu pilihan yang benar."),
        ({"correct": ["0", "1"]}, "Tandai tepat satu pilihan yang benar."),
        ({"correct": ["3"]}, "Pilihan yang ditandai benar masih kosong."),
        ({"type": "multiple", "option-2": "", "correct": ["0"]}, "Tulis 3 sampai 8 pilihan."),
        ({"type": "truefalse"}, "Pilih kunci: Benar atau Salah."),
        ({"type": "numeric", "numeric_answer": "dua"}, "Kunci harus berupa angka"),
        ({"type": "matching", "left-0": "A", "right-0": "1"}, "Tulis 3 sampai 8 pasangan."),
        ({"type": "short"}, "Tulis paling sedikit satu jawaban yang diterima."),
        ({"topic": "Kartu KKA"}, "Topik ditulis huruf kecil"),
        ({"stem": " "}, "Pertanyaan wajib diisi."),
    ],
)
def test_inconsistent_key_is_refused_and_input_kept(app, client, editor, overrides, message):
    questions = count(app, Question)
    form = question_form(aksi="terbitkan", **overrides)
    response = client.post("/kelola/materi/bkb/soal/baru", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page
    assert 'value="Hijau"' in page  # what was typed is still there
    assert count(app, Question) == questions
    assert count(app, Draft) == 1  # and kept as a draft


def test_numeric_question_with_a_decimal_comma(app, client, editor):
    form = question_form(
        type="numeric",
        numeric_answer="2,5",
        numeric_tolerance="0,5",
        numeric_unit="kg",
        aksi="terbitkan",
    )
    assert client.post("/kelola/materi/bkb/soal/baru", data=form).status_code == 302
    with app.app_context():
        version = db.session.scalar(
            sa.select(QuestionVersion).where(
                QuestionVersion.type == "numeric", QuestionVersion.data["unit"].as_string() == "kg"
            )
        )
        assert version.data == {"answer": 2.5, "tolerance": 0.5, "unit": "kg"}


def test_retiring_removes_from_future_draws_only(app, client, auth, editor):
    with app.app_context():
        key = db.session.scalar(
            sa.select(Question.key).where(Question.key.startswith("bkb")).order_by(Question.key)
        )
    # The BKB test draws 20 and the bank has more: retiring one is allowed.
    assert client.post(f"/kelola/materi/bkb/soal/{key}/pensiun").status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(Question.is_retired).where(Question.key == key))
    assert actions(app)[-1] == "question.retired"
    assert client.post(f"/kelola/materi/bkb/soal/{key}/aktif").status_code == 302
    assert actions(app)[-1] == "question.restored"


def test_retiring_refused_when_the_test_could_no_longer_be_drawn(app, client, editor):
    with app.app_context():
        unit = db.session.scalar(sa.select(Unit).where(Unit.code == "bkb"))
        drawable = db.session.scalar(
            sa.select(sa.func.count()).where(Question.unit_id == unit.id, ~Question.is_retired)
        )
        unit.test_blueprint = {
            **unit.test_blueprint,
            "draw": [{"count": drawable, "topic": None, "difficulty": None}],
        }
        db.session.commit()
        key = db.session.scalar(sa.select(Question.key).where(Question.unit_id == unit.id))
    response = client.post(f"/kelola/materi/bkb/soal/{key}/pensiun", follow_redirects=True)
    assert "bank hanya punya" in response.get_data(as_text=True)
    with app.app_context():
        assert not db.session.scalar(sa.select(Question.is_retired).where(Question.key == key))


def png(width: int = 1600) -> bytes:
    image = Image.new("RGB", (width, 400), "teal")
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=None)
    return out.getvalue()


def lesson_form(**overrides) -> dict:
    form = {
        "title": "Mengukur lingkar kepala",
        "order": "8",
        "objectives": ["bkb-kka"],
        "body": "## Langkah\n\nUkur dengan **pita**.\n",
        "aksi": "simpan",
    }
    form.update(overrides)
    return form


def test_lesson_with_image_preview_and_publish(app, client, editor):
    saved = client.post("/kelola/materi/bkb/pelajaran/baru", data=lesson_form())
    assert saved.status_code == 302
    url = saved.headers["Location"]
    key = url.rsplit("/", 1)[1]
    uploaded = client.post(
        url,
        data={**lesson_form(), "image": (io.BytesIO(png()), "Pita.PNG")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "pita.png" in uploaded.get_data(as_text=True)
    with app.app_context():
        image = db.session.scalar(sa.select(ContentImage))
        assert Image.open(io.BytesIO(image.data)).width == 720
    body = "## Langkah\n\n![Pita ukur](pita.png)\n\nUkur dengan **pita**.\n"
    preview = client.post(url, data=lesson_form(body=body, aksi="pratinjau"))
    page = preview.get_data(as_text=True)
    assert f'src="/belajar/gambar/{image.sha256}"' in page and "<strong>pita</strong>" in page
    live = client.post(
        "/kelola/materi/pratinjau", json={"markdown": body, "images": {"pita.png": image.sha256}}
    )
    assert live.status_code == 200 and image.sha256 in live.get_json()["html"]
    published = client.post(url, data=lesson_form(body=body, aksi="terbitkan"))
    assert published.status_code == 302
    with app.app_context():
        lesson = db.session.scalar(sa.select(Lesson).where(Lesson.key == key))
        assert lesson.current_version.images == {"pita.png": image.sha256}
        assert image.sha256 in lesson.current_version.body_html
    assert actions(app)[-1] == "lesson.published"


def test_lesson_problems(app, client, editor):
    versions = count(app, LessonVersion)
    response = client.post(
        "/kelola/materi/bkb/pelajaran/baru",
        data=lesson_form(order="1", objectives=[], body="![x](hilang.png)", aksi="terbitkan"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Pilih paling sedikit satu tujuan pembelajaran." in page
    assert "Gambar &#39;hilang.png&#39; belum diunggah." in page
    assert count(app, LessonVersion) == versions
    not_image = client.post(
        "/kelola/materi/bkb/pelajaran/baru",
        data={**lesson_form(), "image": (io.BytesIO(b"MZ\x90\x00 not a picture"), "foto.jpg")},
        content_type="multipart/form-data",
    )
    assert not_image.status_code == 400
    assert "bukan gambar" in not_image.get_data(as_text=True)
    assert count(app, ContentImage) == 0


def test_new_unit_stays_hidden_until_published(app, client, auth, editor, kader):
    assert client.post("/kelola/materi/baru", data={"code": "bkb", "title": "X"}).status_code == 400
    client.post("/kelola/materi/baru", data={"code": "pik-r", "title": "PIK Remaja"})
    unit_form = {
        "title": "PIK Remaja",
        "summary": "Pusat Informasi dan Konseling Remaja.",
        "order": "9",
        "estimated_minutes": "60",
        "objectives": "pik-r-dasar: Menjelaskan PIK-R.",
        "draw": "3",
        "time_limit_minutes": "10",
        "pass_mark": "70",
        "attempts": "3",
        "wait_hours": "24",
        "questions_per_page": "5",
        "review_failed": "correctness",
        "review_passed": "full",
        "unlock": "none",
        "shuffle_questions": "1",
        "aksi": "terbitkan",
    }
    refused = client.post("/kelola/materi/pik-r/data", data=unit_form)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "Terbitkan paling sedikit satu pelajaran dulu." in page
    assert "bank hanya punya 0" in page
    unit_form["aksi"] = "simpan"
    # Saved on the hidden unit itself, so its lessons can use the objectives right away.
    assert client.post("/kelola/materi/pik-r/data", data=unit_form).status_code == 302
    client.post(
        "/kelola/materi/pik-r/pelajaran/baru",
        data=lesson_form(objectives=["pik-r-dasar"], order="1", aksi="terbitkan"),
    )
    for n in range(3):
        form = question_form(
            objective="pik-r-dasar", topic="dasar", stem=f"Soal {n}?", aksi="terbitkan"
        )
        assert client.post("/kelola/materi/pik-r/soal/baru", data=form).status_code == 302
    auth.logout()
    auth.login(kader.phone)
    assert client.get("/uji/pik-r").status_code == 404
    assert "PIK Remaja" not in client.get("/belajar/").get_data(as_text=True)
    auth.logout()
    auth.login(editor.phone)
    unit_form["aksi"] = "terbitkan"
    assert client.post("/kelola/materi/pik-r/data", data=unit_form).status_code == 302
    auth.logout()
    auth.login(kader.phone)
    assert client.get("/uji/pik-r").status_code == 200
    assert "unit.published" in actions(app)


def test_discarding_a_draft_keeps_the_published_version(app, client, editor):
    with app.app_context():
        key = db.session.scalar(sa.select(Lesson.key).where(Lesson.key.startswith("bkb")))
    client.post(f"/kelola/materi/bkb/pelajaran/{key}", data=lesson_form(title="Coba"))
    assert count(app, Draft) == 1
    page = client.get(f"/kelola/materi/bkb/pelajaran/{key}").get_data(as_text=True)
    assert 'value="Coba"' in page and "Buang draf" in page
    client.post(f"/kelola/materi/bkb/pelajaran/{key}", data={"aksi": "buang"})
    assert count(app, Draft) == 0
    assert 'value="Coba"' not in client.get(f"/kelola/materi/bkb/pelajaran/{key}").get_data(
        as_text=True
    )


def test_another_users_draft_is_shown_with_its_author(app, client, auth, editor, admin):
    client.post("/kelola/materi/bkb/soal/baru", data=question_form())
    auth.logout()
    auth.login(admin.phone)
    page = client.get("/kelola/materi/bkb").get_data(as_text=True)
    assert "draf baru" in page


def test_unknown_unit_and_item_are_404(client, editor):
    assert client.get("/kelola/materi/tidak-ada").status_code == 404
    assert client.get("/kelola/materi/bkb/soal/tidak-ada").status_code == 404
    assert client.get("/kelola/materi/bkb/pelajaran/tidak-ada").status_code == 404


def test_kader_see_only_published_versions(app, client, auth, editor, kader):
    with app.app_context():
        lesson = db.session.scalar(
            sa.select(Lesson).where(Lesson.key.startswith("bkb")).order_by(Lesson.key)
        )
        key, title = lesson.key, lesson.current_version.title
    form = lesson_form(title="Judul draf yang belum terbit", order=str(lesson_order(app, key)))
    client.post(f"/kelola/materi/bkb/pelajaran/{key}", data=form)
    auth.logout()
    auth.login(kader.phone)
    page = client.get(f"/belajar/bkb/{key}").get_data(as_text=True)
    assert title in page and "Judul draf yang belum terbit" not in page
    auth.logout()
    auth.login(editor.phone)
    form["aksi"] = "terbitkan"
    client.post(f"/kelola/materi/bkb/pelajaran/{key}", data=form)
    auth.logout()
    auth.login(kader.phone)
    assert "Judul draf yang belum terbit" in client.get(f"/belajar/bkb/{key}").get_data(
        as_text=True
    )


def lesson_order(app, key: str) -> int:
    with app.app_context():
        lesson = db.session.scalar(sa.select(Lesson).where(Lesson.key == key))
        return lesson.current_version.position


def test_a_retired_question_is_never_drawn_again(app, client, auth, editor, kader):
    with app.app_context():
        unit = db.session.scalar(sa.select(Unit).where(Unit.code == "bkb"))
        keys = list(db.session.scalars(sa.select(Question.key).where(Question.unit_id == unit.id)))
    retired = keys[: len(keys) - 20]  # the test draws 20: the rest must be drawn every time
    for key in retired:
        assert client.post(f"/kelola/materi/bkb/soal/{key}/pensiun").status_code == 302
    auth.logout()
    auth.login(kader.phone)
    assert client.post("/uji/bkb/mulai").status_code == 302
    with app.app_context():
        drawn = set(
            db.session.scalars(
                sa.select(Question.key)
                .join(QuestionVersion, QuestionVersion.question_id == Question.id)
                .join(AttemptQuestion, AttemptQuestion.question_version_id == QuestionVersion.id)
            )
        )
    assert len(drawn) == 20 and not drawn & set(retired)


def test_publishing_an_untouched_lesson_or_question_adds_no_version(app, client, editor):
    with app.app_context():
        unit = db.session.scalar(sa.select(Unit).where(Unit.code == "bkb"))
        order = [key for key, _text in unit.objectives]
        lesson = db.session.scalar(sa.select(Lesson).where(Lesson.unit_id == unit.id))
        values = lesson_fields(lesson.current_version)
        values["objectives"] = sorted(values["objectives"], key=order.index)  # as the form sends
        question = db.session.scalar(sa.select(Question).where(Question.unit_id == unit.id))
        fields = question_fields(question.current_version)
        lesson_key, question_key = lesson.key, question.key
    versions = count(app, LessonVersion), count(app, QuestionVersion)
    form = {**{k: v for k, v in values.items() if k != "images"}, "aksi": "terbitkan"}
    response = client.post(f"/kelola/materi/bkb/pelajaran/{lesson_key}", data=form,
                           follow_redirects=True)  # fmt: skip
    assert "Tidak ada perubahan" in response.get_data(as_text=True)
    form = {k: v for k, v in fields.items() if k not in ("options", "pairs")}
    form.update({f"option-{n}": text for n, text in enumerate(fields["options"])})
    form.update({f"left-{n}": left for n, (left, _r) in enumerate(fields["pairs"])})
    form.update({f"right-{n}": right for n, (_l, right) in enumerate(fields["pairs"])})
    form["aksi"] = "terbitkan"
    response = client.post(f"/kelola/materi/bkb/soal/{question_key}", data=form,
                           follow_redirects=True)  # fmt: skip
    assert "Tidak ada perubahan" in response.get_data(as_text=True)
    assert (count(app, LessonVersion), count(app, QuestionVersion)) == versions


def test_uploaded_photo_loses_its_camera_data(app, client, editor):
    response = client.post(
        "/kelola/materi/bkb/pelajaran/baru",
        data={**lesson_form(), "image": (io.BytesIO(jpeg_with_exif(1200, 800)), "foto.jpeg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with app.app_context():
        stored = db.session.scalar(sa.select(ContentImage))
        image = Image.open(io.BytesIO(stored.data))
        assert image.width == 720 and not image.getexif()
        assert b"Kamera Rahasia" not in stored.data
        draft = db.session.scalar(sa.select(Draft))
        assert draft.payload["images"] == {"foto.jpg": stored.sha256}


def test_another_units_draft_or_question_is_out_of_reach(app, client, auth, editor, admin):
    auth.logout()
    auth.login(admin.phone)
    client.post("/kelola/materi/bkl/soal/baru", data=question_form(objective="bkl-tujuan"))
    with app.app_context():
        draft_key = db.session.scalar(sa.select(Draft.item_key))
        bkl_question = db.session.scalar(
            sa.select(Question.key).where(Question.key.startswith("bkl-"))
        )
    auth.logout()
    auth.login(editor.phone)  # may edit bkb only
    for key in (draft_key, bkl_question):
        assert client.get(f"/kelola/materi/bkb/soal/{key}").status_code == 404
        response = client.post(
            f"/kelola/materi/bkb/soal/{key}", data=question_form(aksi="terbitkan")
        )
        assert response.status_code == 404
    with app.app_context():
        assert db.session.scalar(sa.select(Draft.unit_id)) != db.session.scalar(
            sa.select(Unit.id).where(Unit.code == "bkb")
        )


def test_retiring_a_lesson_hides_it_from_kader_and_it_can_come_back(
    app, client, auth, editor, kader
):
    with app.app_context():
        lesson = db.session.scalar(
            sa.select(Lesson).where(Lesson.key.startswith("bkb")).order_by(Lesson.key)
        )
        key, title = lesson.key, lesson.current_version.title
    assert client.post(f"/kelola/materi/bkb/pelajaran/{key}/pensiun").status_code == 302
    assert actions(app)[-1] == "lesson.retired"
    auth.logout()
    auth.login(kader.phone)
    assert title not in client.get("/belajar/bkb").get_data(as_text=True)
    assert client.get(f"/belajar/bkb/{key}").status_code == 404
    auth.logout()
    auth.login(editor.phone)
    assert client.post(f"/kelola/materi/bkb/pelajaran/{key}/aktif").status_code == 302
    assert actions(app)[-1] == "lesson.restored"


def test_the_last_lesson_cannot_be_retired_nor_a_clashing_one_restored(app, client, editor):
    with app.app_context():
        keys = list(db.session.scalars(sa.select(Lesson.key).where(Lesson.key.startswith("bkb"))))
    for key in keys[:-1]:
        assert client.post(f"/kelola/materi/bkb/pelajaran/{key}/pensiun").status_code == 302
    page = client.post(f"/kelola/materi/bkb/pelajaran/{keys[-1]}/pensiun", follow_redirects=True)
    assert "paling sedikit satu pelajaran" in page.get_data(as_text=True)
    # A new lesson takes the place of a retired one; that one cannot simply come back.
    with app.app_context():
        first = db.session.scalar(sa.select(Lesson).where(Lesson.key == keys[0]))
        order = first.current_version.position
    client.post("/kelola/materi/bkb/pelajaran/baru",
                data=lesson_form(order=str(order), aksi="terbitkan"))  # fmt: skip
    page = client.post(f"/kelola/materi/bkb/pelajaran/{keys[0]}/aktif", follow_redirects=True)
    assert "ubah urutannya dulu" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(Lesson.is_retired).where(Lesson.key == keys[0]))
