"""Loading parsed content files into the database as versions (one transaction)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from lms.content.images import prepare_image
from lms.content.models import (
    ContentImage,
    Lesson,
    LessonVersion,
    Program,
    Question,
    QuestionVersion,
    Unit,
)
from lms.content.rendering import render_markdown
from lms.content.spec import (
    Curriculum,
    LessonSpec,
    ProgramSpec,
    QuestionSpec,
    UnitSpec,
    content_hash,
)
from lms.extensions import db

IMAGE_URL_PREFIX = "/belajar/gambar/"


#: Report entries that record bookkeeping, not content: they never make a sync a conflict.
ADOPTED = "questions taken over by the files"
BOOKKEEPING = frozenset({ADOPTED})


@dataclass
class SyncReport:
    counts: dict[str, int] = field(default_factory=dict)
    #: Units left alone: edited in the browser, their files unchanged since the last sync.
    kept: list[str] = field(default_factory=list)
    #: Units edited in the browser that the files won over (`overwrite_browser_edits`).
    overwritten: list[str] = field(default_factory=list)

    def add(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1

    def merge(self, other: SyncReport) -> None:
        for what, count in other.counts.items():
            self.counts[what] = self.counts.get(what, 0) + count
        self.kept.extend(other.kept)
        self.overwritten.extend(other.overwritten)

    @property
    def changed(self) -> bool:
        return bool(self.counts)

    @property
    def changes_content(self) -> bool:
        """Whether a unit's lessons, questions or metadata would differ after the sync."""
        return any(what not in BOOKKEEPING for what in self.counts)

    def summary(self) -> str:
        notes = ""
        if self.kept:
            notes += f" {len(self.kept)} units kept (edited in browser): {', '.join(self.kept)}."
        if self.overwritten:
            codes = ", ".join(self.overwritten)
            notes += f" Browser edits overwritten by the files: {codes}."
        if not self.changed:
            written = "nothing written" if not self.overwritten else "browser edits cleared"
            return f"Content: up to date; {written}.{notes}"
        parts = ", ".join(f"{count} {what}" for what, count in sorted(self.counts.items()))
        return f"Content: {parts}.{notes}"


class SyncConflict(Exception):
    """Units edited in the browser whose files changed too: syncing would lose one side."""

    def __init__(self, unit_codes: list[str]) -> None:
        self.unit_codes = list(unit_codes)
        super().__init__(conflict_message(self.unit_codes))


def conflict_message(unit_codes: list[str]) -> str:
    names = ", ".join(f"'{code}'" for code in unit_codes)
    if len(unit_codes) == 1:
        subject, their, them = f"unit {names} was", "its", "it"
    else:
        subject, their, them = f"units {names} were", "their", "them"
    return (
        f"{subject} edited in the browser after {their} files last changed; export {them} "
        "from the site and merge the files, or run "
        "`flask content sync --overwrite-browser-edits` to let the files win."
    )


def unit_files_hash(spec: UnitSpec) -> str:
    """Fingerprint of the whole unit as the files say it: metadata, lessons and questions."""
    return content_hash(
        [
            spec.fingerprint(),
            sorted((lesson.key, lesson.fingerprint()) for lesson in spec.lessons),
            sorted((question.key, question.fingerprint()) for question in spec.questions),
        ]
    )


def sync_curriculum(
    curriculum: Curriculum, *, now: datetime, overwrite_browser_edits: bool = False
) -> SyncReport:
    """Bring the database in line with the files: new versions for what changed, retire what
    was removed, touch nothing that is unchanged. The caller commits (or rolls back).

    A unit edited in the browser since its last sync (`browser_edited_at`) is guarded unless
    `overwrite_browser_edits`: kept as it is while its files are unchanged, brought in line
    only when that changes nothing, and otherwise a conflict. Conflicts raise `SyncConflict`
    after every unit was looked at; the caller must then roll back."""
    report = SyncReport()
    specs = list(curriculum.units.values())
    units = {
        unit.code: unit
        for unit in db.session.scalars(
            sa.select(Unit).where(Unit.code.in_([spec.code for spec in specs]))
        )
    }
    guarded = {
        code
        for code, unit in units.items()
        if unit.browser_edited_at is not None and not overwrite_browser_edits
    }
    # Guarded units first, so that no other unit's sync takes a lesson or question from one
    # of them before it is checked.
    specs.sort(key=lambda spec: spec.code not in guarded)
    conflicts = [
        spec.code
        for spec in specs
        if not _sync_one(spec, units.get(spec.code), spec.code in guarded, now, report)
    ]
    if conflicts:
        raise SyncConflict(conflicts)
    for program in curriculum.programs.values():
        _sync_program(program, report)
    db.session.flush()
    return report


def _sync_one(
    spec: UnitSpec, unit: Unit | None, guarded: bool, now: datetime, report: SyncReport
) -> bool:
    """Sync one unit; False when it is guarded and syncing it would lose browser edits."""
    files_hash = unit_files_hash(spec)
    if unit is not None and guarded:
        if unit.files_hash == files_hash:
            report.kept.append(spec.code)
            return True
        if not _sync_unit_if_unchanged(spec, unit, now, report):
            return False
        report.add("units whose browser edits the files now hold")
    else:
        if unit is not None and unit.browser_edited_at is not None:
            report.overwritten.append(spec.code)
        unit = _sync_whole_unit(spec, unit, now, report)
    _mark_synced(unit, files_hash)
    return True


def _sync_whole_unit(spec: UnitSpec, unit: Unit | None, now: datetime, report: SyncReport) -> Unit:
    unit = _sync_unit(spec, unit, now, report)
    _sync_lessons(unit, spec.lessons, now, report)
    _sync_questions(unit, spec.questions, now, report)
    return unit


def _sync_unit_if_unchanged(spec: UnitSpec, unit: Unit, now: datetime, report: SyncReport) -> bool:
    """Sync the unit inside a savepoint; keep it only if its content came out unchanged."""
    trial = SyncReport()
    savepoint = db.session.begin_nested()
    try:
        _sync_whole_unit(spec, unit, now, trial)
        db.session.flush()
    except BaseException:
        savepoint.rollback()
        raise
    if trial.changes_content:
        savepoint.rollback()
        return False
    savepoint.commit()
    report.merge(trial)
    return True


def _mark_synced(unit: Unit, files_hash: str) -> None:
    """The unit is as its files say: remember them, forget earlier browser edits."""
    if unit.files_hash != files_hash:
        unit.files_hash = files_hash
    if unit.browser_edited_at is not None:
        unit.browser_edited_at = None


def _stored_unit_fingerprint(unit: Unit) -> str:
    """The fingerprint of the unit's metadata as stored (it may have been edited in the
    browser since `content_hash` was written)."""
    return content_hash(
        [unit.title, unit.summary, unit.position, unit.estimated_minutes, unit.objectives,
         unit.test_blueprint]
    )  # fmt: skip


def _sync_unit(spec: UnitSpec, unit: Unit | None, now: datetime, report: SyncReport) -> Unit:
    fingerprint = spec.fingerprint()
    if unit is not None and _stored_unit_fingerprint(unit) == fingerprint:
        if unit.content_hash != fingerprint:
            unit.content_hash = fingerprint  # the stored metadata already says what files say
        return unit
    if unit is None:
        unit = Unit(code=spec.code)
        db.session.add(unit)
        report.add("units created")
    else:
        report.add("units updated")
    unit.title, unit.summary = spec.title, spec.summary
    unit.position, unit.estimated_minutes = spec.order, spec.estimated_minutes
    unit.objectives = [list(objective) for objective in spec.objectives]
    unit.test_blueprint = spec.blueprint.to_json()
    unit.content_hash, unit.updated_at = fingerprint, now
    db.session.flush()
    return unit


def _store_images(spec: LessonSpec, now: datetime) -> tuple[dict[str, str], int]:
    """Store the lesson's images (resized, without metadata); their URLs and total size."""
    urls, total = {}, 0
    for image in spec.images:
        data = image.data
        digest = hashlib.sha256(data).hexdigest()
        exists = db.session.scalar(sa.select(ContentImage.id).where(ContentImage.sha256 == digest))
        if exists is None:
            # Not one of ours yet (an image file, an upload): make it light and clean. Images
            # already stored (uploaded in the editor, or exported and read back) are kept as
            # they are, so a round trip through the files does not change them.
            data = prepare_image(image.data, image.media_type)
            digest = hashlib.sha256(data).hexdigest()
            exists = db.session.scalar(
                sa.select(ContentImage.id).where(ContentImage.sha256 == digest)
            )
        if exists is None:
            db.session.add(
                ContentImage(sha256=digest, media_type=image.media_type, data=data, created_at=now)
            )
        urls[image.name] = f"{IMAGE_URL_PREFIX}{digest}"
        total += len(data)
    return urls, total


def _next_version(current: Any) -> int:
    return current.version + 1 if current is not None else 1


def _existing(model: type, unit: Unit) -> dict[str, Any]:
    query = sa.select(model).where(model.unit_id == unit.id)
    if hasattr(model, "origin"):
        # Questions imported or written in the browser are not the files' to retire.
        query = query.where(model.origin == "files")
    return {row.key: row for row in db.session.scalars(query)}


def _retire_missing(rows: dict[str, Any], keep: Iterable[str], what: str, report: SyncReport):
    keep = set(keep)
    for key, row in rows.items():
        if key not in keep and not row.is_retired:
            row.is_retired = True
            report.add(f"{what} retired")


def _sync_versioned(
    unit: Unit,
    specs: list[Any],
    model: type,
    make_version: Callable[[Any, int, Any], Any],
    what: str,
    report: SyncReport,
) -> None:
    """The one versioning rule for lessons and questions: unchanged content writes nothing,
    changed content adds version n+1 (the old one stays), content gone from the files is
    retired, content that comes back is restored."""
    existing = _existing(model, unit)
    for spec in specs:
        item = existing.get(spec.key) or db.session.scalar(
            sa.select(model).where(model.key == spec.key)
        )
        current = item.current_version if item else None
        if item is not None and getattr(item, "origin", "files") != "files":
            # Written or imported in the browser, now in the files: the files own it from now.
            item.origin = "files"
            report.add(ADOPTED)
        if item is not None and current is not None and current.content_hash == spec.fingerprint():
            if item.is_retired or item.unit_id != unit.id:
                item.is_retired, item.unit_id = False, unit.id
                report.add(f"{what}s restored")
            continue
        if item is None:
            item = model(key=spec.key, unit_id=unit.id)
            db.session.add(item)
            db.session.flush()
        version = make_version(spec, _next_version(current), item)
        db.session.add(version)
        db.session.flush()
        item.current_version_id, item.is_retired, item.unit_id = version.id, False, unit.id
        report.add(f"{what} versions created")
    _retire_missing(existing, (s.key for s in specs), f"{what}s", report)


def lesson_version(spec: LessonSpec, number: int, lesson_id: int, now: datetime) -> LessonVersion:
    """Version `number` of a lesson as the spec says it (images stored alongside)."""
    urls, image_bytes = _store_images(spec, now)
    body_html = render_markdown(spec.body, lambda name: urls.get(name, name))
    return LessonVersion(
        lesson_id=lesson_id,
        version=number,
        title=spec.title,
        position=spec.order,
        objectives=spec.objectives,
        body_markdown=spec.body,
        body_html=body_html,
        size_bytes=len(body_html.encode()) + image_bytes,
        images={name: url.removeprefix(IMAGE_URL_PREFIX) for name, url in urls.items()},
        content_hash=spec.fingerprint(),
        created_at=now,
    )


def question_version(
    spec: QuestionSpec, number: int, question_id: int, now: datetime
) -> QuestionVersion:
    """Version `number` of a question as the spec says it."""
    return QuestionVersion(
        question_id=question_id,
        version=number,
        type=spec.type,
        difficulty=spec.difficulty,
        topic=spec.topic,
        objective=spec.objective,
        stem_markdown=spec.stem,
        stem_html=render_markdown(spec.stem),
        feedback_markdown=spec.feedback,
        feedback_html=render_markdown(spec.feedback),
        data=spec.data,
        content_hash=spec.fingerprint(),
        created_at=now,
    )


def _sync_lessons(unit: Unit, specs: list[LessonSpec], now: datetime, report: SyncReport):
    def make_version(spec: LessonSpec, number: int, lesson: Lesson) -> LessonVersion:
        return lesson_version(spec, number, lesson.id, now)

    _sync_versioned(unit, specs, Lesson, make_version, "lesson", report)


def _sync_questions(unit: Unit, specs: list[QuestionSpec], now: datetime, report: SyncReport):
    def make_version(spec: QuestionSpec, number: int, question: Question) -> QuestionVersion:
        return question_version(spec, number, question.id, now)

    _sync_versioned(unit, specs, Question, make_version, "question", report)


def _sync_program(spec: ProgramSpec, report: SyncReport) -> None:
    fingerprint = content_hash(
        [spec.title, spec.units, spec.validity_years, spec.issuer_name, spec.issuer_place]
    )
    program = db.session.scalar(sa.select(Program).where(Program.code == spec.code))
    if program is not None and program.content_hash == fingerprint:
        return
    if program is None:
        program = Program(code=spec.code)
        db.session.add(program)
    report.add("programs written")
    program.title, program.unit_codes = spec.title, spec.units
    program.validity_years = spec.validity_years
    program.issuer_name, program.issuer_place = spec.issuer_name, spec.issuer_place
    program.content_hash = fingerprint
