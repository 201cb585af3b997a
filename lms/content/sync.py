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


@dataclass
class SyncReport:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.counts)

    def summary(self) -> str:
        if not self.changed:
            return "Content: up to date; nothing written."
        parts = ", ".join(f"{count} {what}" for what, count in sorted(self.counts.items()))
        return f"Content: {parts}."


def sync_curriculum(curriculum: Curriculum, *, now: datetime) -> SyncReport:
    """Bring the database in line with the files: new versions for what changed, retire what
    was removed, touch nothing that is unchanged. The caller commits (or rolls back)."""
    report = SyncReport()
    for spec in curriculum.units.values():
        unit = _sync_unit(spec, now, report)
        _sync_lessons(unit, spec.lessons, now, report)
        _sync_questions(unit, spec.questions, now, report)
    for program in curriculum.programs.values():
        _sync_program(program, report)
    db.session.flush()
    return report


def _sync_unit(spec: UnitSpec, now: datetime, report: SyncReport) -> Unit:
    unit = db.session.scalar(sa.select(Unit).where(Unit.code == spec.code))
    fingerprint = spec.fingerprint()
    if unit is not None and unit.content_hash == fingerprint:
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
        data = prepare_image(image.data, image.media_type)
        digest = hashlib.sha256(data).hexdigest()
        exists = db.session.scalar(sa.select(ContentImage.id).where(ContentImage.sha256 == digest))
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
