"""Content sync must not overwrite a unit edited in the browser since its files last synced."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from lms.content.loader import load_curriculum
from lms.content.models import Lesson, LessonVersion, Question, QuestionVersion, Unit
from lms.content.spec import Curriculum
from lms.content.sync import (
    SyncConflict,
    conflict_message,
    lesson_version,
    question_version,
    sync_curriculum,
    unit_files_hash,
)
from lms.database import utcnow
from lms.extensions import db
from lms.setup import run_setup

LESSON_FILE = "modules/bkb/lessons/01-apa-itu-bkb.md"
LESSON_KEY = "bkb-apa-itu-bkb"
QUESTION_KEY = "bkb-q001"
NEW_QUESTION = """
  - id: bkb-dari-situs
    type: single
    difficulty: mudah
    topic: tujuan-bkb
    objective: bkb-tujuan
    stem: |-
      Soal yang ditulis di situs, lalu diekspor ke berkas.
    options:
      a: Satu
      b: Dua
    answer: a
    feedback: |-
      Jawabannya satu.
"""


def load(root: Path) -> Curriculum:
    curriculum, problems = load_curriculum(root / "modules", root / "question_banks", root=root)
    assert problems == []
    return curriculum


def sync(app: Flask, root: Path, *options: str):
    return app.test_cli_runner().invoke(args=["content", "sync", str(root), *options])


def get_unit(code: str) -> Unit:
    return db.session.scalar(sa.select(Unit).where(Unit.code == code))


def snapshot(app: Flask) -> dict[str, object]:
    """Everything a sync could write: row counts and every unit's and item's state."""
    with app.app_context():
        counts = {
            model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (Unit, Lesson, LessonVersion, Question, QuestionVersion)
        }
        units = db.session.execute(
            sa.select(Unit.code, Unit.title, Unit.content_hash, Unit.files_hash,
                      Unit.browser_edited_at).order_by(Unit.code)
        ).all()  # fmt: skip
        lessons = db.session.execute(
            sa.select(Lesson.key, Lesson.current_version_id, Lesson.is_retired).order_by(Lesson.key)
        ).all()
        questions = db.session.execute(
            sa.select(
                Question.key, Question.current_version_id, Question.is_retired, Question.origin
            ).order_by(Question.key)
        ).all()
        return {"counts": counts, "units": units, "lessons": lessons, "questions": questions}


def publish_lesson_in_browser(app: Flask, root: Path, body: str | None = None) -> int:
    """What publishing in the browser does: a new current version, the unit flagged.

    `body` is the lesson's new text (default: the file's, plus a sentence); returns the id of
    the version made."""
    spec = next(s for s in load(root).units["bkb"].lessons if s.key == LESSON_KEY)
    edited = dataclasses.replace(spec, body=body if body is not None else spec.body + "\nDari web.")
    with app.app_context():
        lesson = db.session.scalar(sa.select(Lesson).where(Lesson.key == LESSON_KEY))
        version = lesson_version(edited, lesson.current_version.version + 1, lesson.id, utcnow())
        db.session.add(version)
        db.session.flush()
        lesson.current_version_id = version.id
        get_unit("bkb").browser_edited_at = utcnow()
        db.session.commit()
        return version.id


def publish_question_in_browser(app: Flask, root: Path) -> int:
    spec = next(s for s in load(root).units["bkb"].questions if s.key == QUESTION_KEY)
    edited = dataclasses.replace(spec, stem=spec.stem + " (diubah di situs)")
    with app.app_context():
        question = db.session.scalar(sa.select(Question).where(Question.key == QUESTION_KEY))
        number = question.current_version.version + 1
        version = question_version(edited, number, question.id, utcnow())
        db.session.add(version)
        db.session.flush()
        question.current_version_id = version.id
        get_unit("bkb").browser_edited_at = utcnow()
        db.session.commit()
        return version.id


def current_lesson_version(app: Flask) -> LessonVersion:
    with app.app_context():
        lesson = db.session.scalar(sa.select(Lesson).where(Lesson.key == LESSON_KEY))
        version = lesson.current_version
        db.session.expunge(version)
        return version


def unit_state(app: Flask, code: str = "bkb") -> tuple[str | None, object]:
    with app.app_context():
        unit = get_unit(code)
        return unit.files_hash, unit.browser_edited_at


def append_line(path: Path, text: str) -> None:
    path.write_text(path.read_text() + f"\n{text}\n")


def test_first_sync_sets_files_hash(app, curriculum):
    specs = load(curriculum).units
    for code in ("bkb", "bkl"):
        assert unit_state(app, code) == (unit_files_hash(specs[code]), None)


def test_files_hash_covers_metadata_lessons_and_questions(curriculum):
    spec = load(curriculum).units["bkb"]
    before = unit_files_hash(spec)
    assert unit_files_hash(dataclasses.replace(spec, title="Lain")) != before
    lessons = [dataclasses.replace(spec.lessons[0], body="lain"), *spec.lessons[1:]]
    assert unit_files_hash(dataclasses.replace(spec, lessons=lessons)) != before
    assert unit_files_hash(dataclasses.replace(spec, questions=spec.questions[1:])) != before
    reordered = dataclasses.replace(spec, questions=spec.questions[::-1])
    assert unit_files_hash(reordered) == before


def test_browser_edits_survive_sync_of_unchanged_files(app, curriculum):
    lesson_version_id = publish_lesson_in_browser(app, curriculum)
    question_version_id = publish_question_in_browser(app, curriculum)
    before = snapshot(app)
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", record)
        try:
            result = sync(app, curriculum)
        finally:
            sa.event.remove(engine, "before_cursor_execute", record)
    assert result.exit_code == 0, result.output
    assert "nothing written" in result.output
    assert "1 units kept (edited in browser): bkb" in result.output
    writes = [s for s in statements if s.split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []
    assert snapshot(app) == before
    assert current_lesson_version(app).id == lesson_version_id
    with app.app_context():
        question = db.session.scalar(sa.select(Question).where(Question.key == QUESTION_KEY))
        assert question.current_version_id == question_version_id
        assert get_unit("bkb").browser_edited_at is not None


def test_changed_files_conflict_in_service_and_nothing_written(app, curriculum):
    publish_lesson_in_browser(app, curriculum)
    append_line(curriculum / LESSON_FILE, "Perubahan di berkas.")
    before = snapshot(app)
    with app.app_context():
        with pytest.raises(SyncConflict) as raised:
            sync_curriculum(load(curriculum), now=utcnow())
        db.session.rollback()
    assert raised.value.unit_codes == ["bkb"]
    assert str(raised.value) == (
        "unit 'bkb' was edited in the browser after its files last changed; export it from the "
        "site and merge the files, or run `flask content sync --overwrite-browser-edits` to let "
        "the files win."
    )
    assert snapshot(app) == before


def test_changed_files_conflict_fails_cli_and_writes_nothing_anywhere(app, curriculum):
    browser_version = publish_lesson_in_browser(app, curriculum)
    append_line(curriculum / LESSON_FILE, "Perubahan di berkas.")
    # A change to another, unguarded unit must not be written either: all or nothing.
    bkl_lesson = sorted((curriculum / "modules/bkl/lessons").iterdir())[0]
    append_line(bkl_lesson, "Perubahan BKL.")
    before = snapshot(app)
    result = sync(app, curriculum)
    assert result.exit_code != 0
    assert "unit 'bkb' was edited in the browser" in result.output
    assert "--overwrite-browser-edits" in result.output
    assert "Nothing was changed." in result.output
    assert snapshot(app) == before
    assert current_lesson_version(app).id == browser_version


def test_guarded_unit_whose_question_changed_in_files_conflicts(app, curriculum):
    publish_lesson_in_browser(app, curriculum)
    bank = curriculum / "question_banks/bkb/tujuan.yaml"
    bank.write_text(bank.read_text().replace("Apa kepanjangan dari BKB?", "Kepanjangan BKB?"))
    before = snapshot(app)
    result = sync(app, curriculum)
    assert result.exit_code != 0 and "unit 'bkb'" in result.output
    assert snapshot(app) == before


def test_every_conflicting_unit_is_named():
    message = conflict_message(["bkb", "bkl"])
    assert message.startswith("units 'bkb', 'bkl' were edited in the browser after their files")


def test_overwrite_lets_files_win_and_clears_flag(app, curriculum):
    browser_version = publish_lesson_in_browser(app, curriculum)
    append_line(curriculum / LESSON_FILE, "Perubahan di berkas.")
    result = sync(app, curriculum, "--overwrite-browser-edits")
    assert result.exit_code == 0, result.output
    assert "1 lesson versions created" in result.output
    assert "Browser edits overwritten by the files: bkb." in result.output
    current = current_lesson_version(app)
    assert current.id != browser_version
    assert "Perubahan di berkas." in current.body_markdown
    assert "Dari web." not in current.body_markdown
    assert unit_state(app) == (unit_files_hash(load(curriculum).units["bkb"]), None)
    # And the next plain sync is quiet again.
    assert "nothing written" in sync(app, curriculum).output


def test_overwrite_with_unchanged_files_restores_the_files_text(app, curriculum):
    publish_lesson_in_browser(app, curriculum)
    result = sync(app, curriculum, "--overwrite-browser-edits")
    assert result.exit_code == 0, result.output
    assert "1 lesson versions created" in result.output
    current = current_lesson_version(app)
    assert "Dari web." not in current.body_markdown
    assert unit_state(app)[1] is None


def test_files_that_hold_the_browser_edits_clear_the_flag(app, curriculum):
    lesson_file = curriculum / LESSON_FILE
    original = lesson_file.read_text()
    # The edits made in the browser were exported and committed to the files.
    append_line(lesson_file, "Dari web, lalu diekspor.")
    exported_body = next(
        s for s in load(curriculum).units["bkb"].lessons if s.key == LESSON_KEY
    ).body
    lesson_file.write_text(original)
    browser_version = publish_lesson_in_browser(app, curriculum, body=exported_body)
    append_line(lesson_file, "Dari web, lalu diekspor.")
    before = snapshot(app)

    result = sync(app, curriculum)
    assert result.exit_code == 0, result.output
    assert "version" not in result.output
    assert "1 units whose browser edits the files now hold" in result.output
    assert current_lesson_version(app).id == browser_version
    assert unit_state(app) == (unit_files_hash(load(curriculum).units["bkb"]), None)
    after = snapshot(app)
    assert after["counts"] == before["counts"]
    assert after["lessons"] == before["lessons"] and after["questions"] == before["questions"]
    assert "nothing written" in sync(app, curriculum).output


def test_question_from_the_browser_adopted_by_the_files(app, curriculum):
    bank = curriculum / "question_banks/bkb/tujuan.yaml"
    original = bank.read_text()
    bank.write_text(original.rstrip("\n") + "\n" + NEW_QUESTION)
    spec = next(s for s in load(curriculum).units["bkb"].questions if s.key == "bkb-dari-situs")
    bank.write_text(original)
    with app.app_context():
        unit = get_unit("bkb")
        question = Question(key=spec.key, unit_id=unit.id, origin="browser")
        db.session.add(question)
        db.session.flush()
        version = question_version(spec, 1, question.id, utcnow())
        db.session.add(version)
        db.session.flush()
        question.current_version_id = version.id
        unit.browser_edited_at = utcnow()
        db.session.commit()
        version_id = version.id
    # Unchanged files: the browser's question is neither retired nor taken over.
    assert "kept (edited in browser)" in sync(app, curriculum).output

    bank.write_text(original.rstrip("\n") + "\n" + NEW_QUESTION)
    before = snapshot(app)["counts"]
    result = sync(app, curriculum)
    assert result.exit_code == 0, result.output
    assert "1 questions taken over by the files" in result.output
    assert snapshot(app)["counts"] == before
    with app.app_context():
        question = db.session.scalar(sa.select(Question).where(Question.key == spec.key))
        assert question.origin == "files" and question.current_version_id == version_id
        assert not question.is_retired
    assert unit_state(app)[1] is None

    # From now on the files own it: removed from them, it is retired.
    bank.write_text(original)
    assert "1 questions retired" in sync(app, curriculum).output


def test_unflagged_unit_syncs_as_before(app, curriculum):
    """Without browser edits, changed files simply win (and files_hash follows them)."""
    append_line(curriculum / LESSON_FILE, "Perubahan di berkas.")
    result = sync(app, curriculum)
    assert result.exit_code == 0 and "1 lesson versions created" in result.output
    assert unit_state(app) == (unit_files_hash(load(curriculum).units["bkb"]), None)


def test_setup_reports_conflict_without_raising(app, curriculum, monkeypatch):
    monkeypatch.delenv("BINAKADER_ADMIN_PHONE", raising=False)
    monkeypatch.delenv("BINAKADER_ADMIN_PASSWORD", raising=False)
    app.config["CONTENT_ROOT"] = str(curriculum)
    publish_lesson_in_browser(app, curriculum)
    append_line(curriculum / LESSON_FILE, "Perubahan di berkas.")
    before = snapshot(app)

    report = run_setup(app)

    [warning] = [line for line in report.lines if line.startswith("WARNING")]
    assert "the database keeps its current content" in warning
    assert "unit 'bkb'" in warning and "flask content sync --overwrite-browser-edits" in warning
    assert any(line.startswith("Admin") for line in report.lines)  # later steps still ran
    assert snapshot(app) == before
