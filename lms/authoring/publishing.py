"""Publishing drafts as new versions, and retiring: checked with the content files' rules,
audited.

Publishing adds version n+1, so what past attempts and certificates point at stays; kader pages
read only published units and current versions.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.models import User
from lms.assessment.blueprint import Blueprint, draw_gaps
from lms.audit.models import record
from lms.authoring.drafts import find_draft, find_item, unit_objective_ids
from lms.authoring.fields import N_, Problems, parse_lesson, parse_unit
from lms.authoring.question_fields import parse_question
from lms.content.loader import IMAGE_REFERENCE
from lms.content.models import (
    ContentImage,
    Lesson,
    LessonVersion,
    Question,
    QuestionVersion,
    Unit,
)
from lms.content.queries import current_questions
from lms.content.spec import ImageSpec, UnitSpec
from lms.content.sync import lesson_version, question_version
from lms.errors import FieldError
from lms.extensions import db


class PublishRefused(Exception):
    """The draft breaks a rule; the problems say which field and why."""

    def __init__(self, problems: Problems) -> None:
        super().__init__("publish refused")
        self.problems = problems


def _drawable(unit: Unit, leaving: str | None = None) -> list[tuple[str, str]]:
    return [(v.topic, v.difficulty) for key, v in current_questions(unit) if key != leaving]


def _shortfalls(blueprint: Blueprint, drawable: list[tuple[str, str]], problems: Problems) -> None:
    for rule, available in draw_gaps(blueprint, drawable):
        what = " ".join(filter(None, [rule.topic, rule.difficulty])) or "*"
        problems.add(
            "draw",
            N_("Uji mengambil %(n)d soal (%(what)s), tetapi bank hanya punya %(m)d."),
            n=rule.count,
            what=what,
            m=available,
        )


def _objectives_in_use(unit: Unit) -> set[str]:
    used: set[str] = set()
    for version in db.session.scalars(
        sa.select(LessonVersion)
        .join(Lesson, Lesson.current_version_id == LessonVersion.id)
        .where(Lesson.unit_id == unit.id, Lesson.is_retired.is_(False))
    ):
        used.update(version.objectives)
    used.update(
        db.session.scalars(
            sa.select(QuestionVersion.objective)
            .join(Question, Question.current_version_id == QuestionVersion.id)
            .where(Question.unit_id == unit.id, Question.is_retired.is_(False))
        )
    )
    return used


def _lesson_count(unit: Unit) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(Lesson.id)).where(
            Lesson.unit_id == unit.id,
            Lesson.is_retired.is_(False),
            Lesson.current_version_id.is_not(None),
        )
    )


def _checked_unit(unit: Unit, payload: dict[str, Any], *, publishing: bool) -> UnitSpec:
    spec, problems = parse_unit(payload, unit.code)
    if spec is not None:
        missing = _objectives_in_use(unit) - {key for key, _text in spec.objectives}
        for key in sorted(missing):
            problems.add(
                "objectives", N_("Tujuan '%(key)s' masih dipakai pelajaran atau soal."), key=key
            )
        if publishing:
            _shortfalls(spec.blueprint, _drawable(unit), problems)
            if _lesson_count(unit) == 0:
                problems.add("title", N_("Terbitkan paling sedikit satu pelajaran dulu."))
    if spec is None or problems:
        raise PublishRefused(problems)
    return spec


def _apply_unit(unit: Unit, spec: UnitSpec, now: datetime) -> None:
    unit.title, unit.summary = spec.title, spec.summary
    unit.position, unit.estimated_minutes = spec.order, spec.estimated_minutes
    unit.objectives = [list(objective) for objective in spec.objectives]
    unit.test_blueprint = spec.blueprint.to_json()
    unit.content_hash, unit.updated_at, unit.browser_edited_at = spec.fingerprint(), now, now
    _drop_draft("unit", unit, unit.code)


def save_unpublished_unit(unit: Unit, payload: dict[str, Any], *, now: datetime) -> None:
    """A unit kader cannot see yet is a draft as a whole: its data is kept on the unit itself,
    so that its lessons and questions can use the objectives before anything is published."""
    _apply_unit(unit, _checked_unit(unit, payload, publishing=False), now)


def publish_unit(user: User, unit: Unit, payload: dict[str, Any], *, now: datetime) -> None:
    """Apply the unit's metadata and test blueprint, and show the unit to kader."""
    _apply_unit(unit, _checked_unit(unit, payload, publishing=True), now)
    first = not unit.is_published
    unit.is_published = True
    record(user, "unit.published", "unit", unit.id, now=now, code=unit.code, first=first)


def _drop_draft(kind: str, unit: Unit, key: str) -> None:
    draft = find_draft(kind, unit, key)
    if draft is not None:
        db.session.delete(draft)


def _order_taken(unit: Unit, key: str, order: int) -> str | None:
    """The title of another shown lesson of the unit at this place in the order, if any."""
    return db.session.scalar(
        sa.select(LessonVersion.title)
        .join(Lesson, Lesson.current_version_id == LessonVersion.id)
        .where(
            Lesson.unit_id == unit.id,
            Lesson.is_retired.is_(False),
            Lesson.key != key,
            LessonVersion.position == order,
        )
    )


def _lesson_images(payload: dict[str, Any], body: str, problems: Problems) -> list[ImageSpec]:
    uploaded = payload.get("images") or {}
    images = []
    for name in dict.fromkeys(IMAGE_REFERENCE.findall(body)):
        digest = uploaded.get(name) if isinstance(uploaded, dict) else None
        stored = (
            db.session.scalar(sa.select(ContentImage).where(ContentImage.sha256 == digest))
            if digest
            else None
        )
        if stored is None:
            problems.add("body", N_("Gambar '%(name)s' belum diunggah."), name=name)
        else:
            images.append(ImageSpec(name, stored.data, stored.media_type))
    return images


def publish_lesson(
    user: User, unit: Unit, key: str, payload: dict[str, Any], *, now: datetime
) -> int | None:
    """Publish the lesson's draft as its next version; the version number (None: unchanged)."""
    spec, problems = parse_lesson(
        payload, key=key, unit_code=unit.code, objectives=unit_objective_ids(unit)
    )
    lesson = find_item("lesson", unit, key)
    images = _lesson_images(payload, str(payload.get("body") or ""), problems)
    if spec is not None:
        spec.images = images
        clash = _order_taken(unit, key, spec.order)
        if clash:
            problems.add("order", N_("Urutan ini sudah dipakai '%(title)s'."), title=clash)
    if spec is None or problems:
        raise PublishRefused(problems)
    current = lesson.current_version if lesson else None
    if current is not None and set(spec.objectives) == set(current.objectives):
        spec.objectives = list(current.objectives)  # the form lists them in the unit's order
    _drop_draft("lesson", unit, key)
    if current is not None and current.content_hash == spec.fingerprint():
        return None
    if lesson is None:
        lesson = Lesson(key=key, unit_id=unit.id)
        db.session.add(lesson)
        db.session.flush()
    version = lesson_version(spec, current.version + 1 if current else 1, lesson.id, now)
    db.session.add(version)
    db.session.flush()
    lesson.current_version_id, lesson.is_retired = version.id, False
    unit.browser_edited_at = now
    record(user, "lesson.published", "lesson", lesson.id, now=now, key=key, version=version.version)
    return version.version


def publish_question(
    user: User, unit: Unit, key: str, payload: dict[str, Any], *, now: datetime
) -> int | None:
    """Publish the question's draft as its next version; the version number (None: unchanged)."""
    spec, problems = parse_question(
        payload, key=key, unit_code=unit.code, objectives=unit_objective_ids(unit)
    )
    if spec is None:
        raise PublishRefused(problems)
    question = find_item("question", unit, key)
    current = question.current_version if question else None
    _drop_draft("question", unit, key)
    if current is not None and current.content_hash == spec.fingerprint():
        return None
    if question is None:
        question = Question(key=key, unit_id=unit.id, origin="browser")
        db.session.add(question)
        db.session.flush()
    version = question_version(spec, current.version + 1 if current else 1, question.id, now)
    db.session.add(version)
    db.session.flush()
    question.current_version_id = version.id
    unit.browser_edited_at = now
    record(user, "question.published", "question", question.id, now=now, key=key,
           version=version.version)  # fmt: skip
    return version.version


def _question_may_retire(unit: Unit, question: Any) -> str | None:
    problems = Problems()
    _shortfalls(Blueprint.from_json(unit.test_blueprint), _drawable(unit, question.key), problems)
    if problems:
        message, params = problems.by_field["draw"][0]
        return _(message, **params)
    return None


def _lesson_may_retire(unit: Unit, _lesson: Any) -> str | None:
    if _lesson_count(unit) <= 1:
        return _("Unit yang terbit perlu paling sedikit satu pelajaran.")
    return None


def _lesson_may_return(unit: Unit, lesson: Any) -> str | None:
    clash = _order_taken(unit, lesson.key, lesson.current_version.position)
    if clash:
        return _(
            "Urutan pelajaran ini sudah dipakai '%(title)s'; ubah urutannya dulu.", title=clash
        )
    return None


#: What must stay true when an item of a published unit is retired (None: it may go).
RETIRE_CHECKS = {"lesson": _lesson_may_retire, "question": _question_may_retire}
#: What must stay true when it comes back.
RESTORE_CHECKS = {"lesson": _lesson_may_return, "question": lambda _unit, _item: None}


def set_retired(
    user: User, unit: Unit, kind: str, item: Any, retired: bool, *, now: datetime
) -> None:
    """Retire a lesson or question (no longer shown or drawn; what kader did with it stays)
    or bring it back."""
    if item.is_retired == retired:
        return
    check = RETIRE_CHECKS[kind] if retired else RESTORE_CHECKS[kind]
    if unit.is_published or not retired:
        refusal = check(unit, item)
        if refusal is not None:
            raise FieldError("retire", refusal)
    item.is_retired = retired
    unit.browser_edited_at = now
    action = f"{kind}.retired" if retired else f"{kind}.restored"
    record(user, action, kind, item.id, now=now, key=item.key)
