"""Versioned sync of content files into the database, and safe rendering."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import sqlalchemy as sa

from lms.config import REPO_ROOT
from lms.content.models import Lesson, LessonVersion, Program, Question, QuestionVersion, Unit
from lms.content.rendering import ALLOWED_TAGS, render_markdown
from lms.extensions import db


@pytest.fixture
def content_root(tmp_path: Path) -> Path:
    """A copy of two bundled units (and the program, trimmed to them) to edit freely."""
    root = tmp_path / "content"
    for unit in ("bkb", "bkl"):
        shutil.copytree(REPO_ROOT / "modules" / unit, root / "modules" / unit)
        shutil.copytree(REPO_ROOT / "question_banks" / unit, root / "question_banks" / unit)
    (root / "modules" / "programs").mkdir()
    (root / "modules" / "programs" / "mini.yaml").write_text(
        "code: mini\ntitle: Mini\nunits: [bkb, bkl]\nvalidity_years: 3\n"
        "issuer:\n  name: DPPKB Kabupaten Kutai Timur\n  place: Sangatta\n"
    )
    return root


def sync(runner, root: Path):
    return runner.invoke(args=["content", "sync", str(root)])


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_sync_loads_everything(app, runner, content_root):
    result = sync(runner, content_root)
    assert result.exit_code == 0, result.output
    assert count(app, Unit) == 2 and count(app, Program) == 1
    assert count(app, Lesson) == count(app, LessonVersion) == 13
    assert count(app, Question) == count(app, QuestionVersion) == 138


def test_second_sync_writes_nothing(app, runner, content_root):
    sync(runner, content_root)
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

        def record(conn, cursor, statement, *args):
            statements.append(statement)

        sa.event.listen(engine, "before_cursor_execute", record)
        try:
            result = sync(runner, content_root)
        finally:
            sa.event.remove(engine, "before_cursor_execute", record)
    assert "nothing written" in result.output
    writes = [s for s in statements if s.split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []


def test_edit_makes_new_version_and_keeps_old(app, runner, content_root):
    sync(runner, content_root)
    lesson_file = content_root / "modules/bkb/lessons/01-apa-itu-bkb.md"
    lesson_file.write_text(lesson_file.read_text() + "\nKalimat tambahan untuk versi kedua.\n")
    bank = content_root / "question_banks/bkb/tujuan.yaml"
    bank.write_text(bank.read_text().replace("feedback: |-", "feedback: |-\n      Revisi.", 1))
    result = sync(runner, content_root)
    assert "1 lesson versions created" in result.output
    assert "1 question versions created" in result.output
    with app.app_context():
        lesson = db.session.scalar(sa.select(Lesson).where(Lesson.key == "bkb-apa-itu-bkb"))
        versions = db.session.scalars(
            sa.select(LessonVersion)
            .where(LessonVersion.lesson_id == lesson.id)
            .order_by(LessonVersion.version)
        ).all()
        assert [v.version for v in versions] == [1, 2]
        assert lesson.current_version_id == versions[1].id
        assert "versi kedua" not in versions[0].body_markdown
        assert "versi kedua" in versions[1].body_html


def test_removed_question_is_retired_not_deleted(app, runner, content_root):
    sync(runner, content_root)
    bank = content_root / "question_banks/bkb/tujuan.yaml"
    text = bank.read_text()
    first, second = text.index("  - id: "), text.index("  - id: ", text.index("  - id: ") + 1)
    removed_key = text[first:second].split()[2]
    bank.write_text(text[:first] + text[second:])
    assert "1 questions retired" in sync(runner, content_root).output
    with app.app_context():
        question = db.session.scalar(sa.select(Question).where(Question.key == removed_key))
        assert question.is_retired and question.current_version is not None
    bank.write_text(text)
    assert "1 questions restored" in sync(runner, content_root).output


def test_broken_file_changes_nothing(app, runner, content_root):
    sync(runner, content_root)
    lesson_file = content_root / "modules/bkb/lessons/01-apa-itu-bkb.md"
    lesson_file.write_text(lesson_file.read_text() + "\nPerubahan yang tidak boleh masuk.\n")
    bank = (
        content_root
        / "question_banks/bkl"
        / sorted(p.name for p in (content_root / "question_banks/bkl").iterdir())[0]
    )
    bank.write_text(bank.read_text().replace("type: single", "type: esai", 1))
    result = sync(runner, content_root)
    assert result.exit_code == 1
    assert "type 'esai' tidak dikenal" in result.output and "nothing was changed" in result.output
    assert count(app, LessonVersion) == 13


HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[klik](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=https://evil.example></iframe>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "![x](javascript:alert(1))",
    "<svg onload=alert(1)>",
]


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


@pytest.mark.parametrize("markdown", HOSTILE)
def test_hostile_markdown_is_neutralised(markdown):
    """Whatever comes out is only allow-listed elements with harmless attributes."""
    collector = TagCollector()
    collector.feed(render_markdown(markdown))
    for tag, attrs in collector.tags:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs:
            assert not name.startswith("on") and name != "style", (tag, name)
            assert not (value or "").strip().lower().startswith("javascript:"), (tag, value)


def test_markdown_features_kept():
    html = render_markdown("## Judul\n\n- **satu**\n- dua\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<h2>Judul</h2>" in html and "<strong>satu</strong>" in html and "<table>" in html


def test_rendered_html_cached_per_version(app, runner, content_root, monkeypatch):
    sync(runner, content_root)
    import lms.content.sync as sync_module

    calls: list[str] = []
    monkeypatch.setattr(sync_module, "render_markdown", lambda *a, **k: calls.append("x") or "")
    sync(runner, content_root)
    assert calls == []
