"""Queries for the study pages: units, lessons and one user's progress through them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import abort

from lms.accounts.models import User
from lms.assessment.models import UnitPass
from lms.content.models import Lesson, LessonVersion, Unit
from lms.database import utcnow
from lms.dates import local_date
from lms.extensions import db
from lms.study.models import LessonCompletion


@dataclass
class LessonEntry:
    lesson: Lesson
    version: LessonVersion
    #: When the user marked any version of it as read (None: not read).
    read_at: datetime | None = None
    #: Read, but a newer version has been published since.
    is_updated_since_read: bool = False

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


@dataclass
class UnitProgress:
    unit: Unit
    lessons: list[LessonEntry] = field(default_factory=list)
    #: Score of the passed competency test, None while not passed.
    passed_percent: float | None = None

    @property
    def total(self) -> int:
        return len(self.lessons)

    @property
    def read(self) -> int:
        return sum(entry.is_read for entry in self.lessons)

    @property
    def percent(self) -> int:
        return round(100 * self.read / self.total) if self.total else 0

    @property
    def size_bytes(self) -> int:
        return sum(entry.version.size_bytes for entry in self.lessons)

    def first_unread(self) -> LessonEntry | None:
        return next((entry for entry in self.lessons if not entry.is_read), None)

    def position_of(self, lesson_key: str) -> int:
        for index, entry in enumerate(self.lessons):
            if entry.lesson.key == lesson_key:
                return index
        abort(404)


def study_overview(user: User, unit_code: str | None = None) -> list[UnitProgress]:
    """Every unit (or one) with its published lessons in order and the user's reading."""
    query = (
        sa.select(Unit, Lesson, LessonVersion)
        .join(Lesson, Lesson.unit_id == Unit.id)
        .join(LessonVersion, LessonVersion.id == Lesson.current_version_id)
        .where(Lesson.is_retired.is_(False), Unit.is_published.is_(True))
        .order_by(Unit.position, Unit.code, LessonVersion.position, Lesson.key)
    )
    if unit_code is not None:
        query = query.where(Unit.code == unit_code)
    completions = _completions(user)
    today = local_date(utcnow())
    passes = {
        unit_pass.unit_id: unit_pass.percent
        for unit_pass in db.session.scalars(
            sa.select(UnitPass).where(UnitPass.user_id == user.id).order_by(UnitPass.passed_at)
        )
        if unit_pass.is_current(today)
    }
    units: dict[int, UnitProgress] = {}
    for unit, lesson, version in db.session.execute(query):
        progress = units.setdefault(unit.id, UnitProgress(unit, passed_percent=passes.get(unit.id)))
        entry = LessonEntry(lesson, version)
        if lesson.id in completions:
            entry.read_at, read_version_ids = completions[lesson.id]
            entry.is_updated_since_read = version.id not in read_version_ids
        progress.lessons.append(entry)
    return list(units.values())


def unit_progress_or_404(user: User, unit_code: str) -> UnitProgress:
    found = study_overview(user, unit_code)
    if not found:
        abort(404)
    return found[0]


def _completions(user: User) -> dict[int, tuple[datetime, set[int]]]:
    rows = db.session.execute(
        sa.select(
            LessonCompletion.lesson_id,
            LessonCompletion.lesson_version_id,
            LessonCompletion.completed_at,
        ).where(LessonCompletion.user_id == user.id)
    )
    found: dict[int, tuple[datetime, set[int]]] = {}
    for lesson_id, version_id, completed_at in rows:
        first, versions = found.get(lesson_id, (completed_at, set()))
        versions.add(version_id)
        found[lesson_id] = (min(first, completed_at), versions)
    return found


def resume_target(user: User, units: list[UnitProgress]) -> LessonEntry | None:
    """Where "Lanjutkan belajar" goes: the first unread lesson after the last one read,
    else the first unread lesson anywhere; None when everything is read."""
    last: tuple[datetime, int, int] | None = None
    for unit_index, progress in enumerate(units):
        for lesson_index, entry in enumerate(progress.lessons):
            if entry.read_at and (last is None or entry.read_at > last[0]):
                last = (entry.read_at, unit_index, lesson_index)
    if last is not None:
        _, unit_index, lesson_index = last
        for entry in units[unit_index].lessons[lesson_index + 1 :]:
            if not entry.is_read:
                return entry
    for progress in units:
        unread = progress.first_unread()
        if unread:
            return unread
    return None
