"""Browser authoring: drafts saved as typed, and what the editors read.

Kader pages read only units marked published and the current versions of lessons and
questions; a draft is never among them (publishing is in publishing.py).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.models import User
from lms.authoring.exchange import slugify, unique_key
from lms.authoring.fields import lesson_fields, unit_fields
from lms.authoring.question_fields import question_fields
from lms.content.images import prepare_image
from lms.content.loader import IMAGE_TYPES
from lms.content.models import (
    ContentImage,
    Draft,
    Lesson,
    LessonVersion,
    Question,
    QuestionVersion,
    Unit,
)
from lms.errors import FieldError
from lms.extensions import db

MAX_IMAGE_BYTES = 5 * 1024 * 1024
KINDS = {"lesson": Lesson, "question": Question}


# --- Reading ------------------------------------------------------------------------------------


def find_draft(kind: str, unit: Unit, key: str) -> Draft | None:
    """The draft of this unit's item; another unit's draft is never found through this one."""
    return db.session.scalar(
        sa.select(Draft).where(Draft.kind == kind, Draft.unit_id == unit.id, Draft.item_key == key)
    )


def find_item(kind: str, unit: Unit, key: str) -> Any:
    model = KINDS[kind]
    return db.session.scalar(sa.select(model).where(model.key == key, model.unit_id == unit.id))


def editor_fields(kind: str, unit: Unit, key: str) -> tuple[dict[str, Any] | None, Draft | None]:
    """What the editor shows: the draft if there is one, else the published version."""
    draft = find_draft(kind, unit, key)
    if draft is not None:
        return dict(draft.payload), draft
    if kind == "unit":
        return unit_fields(unit), None
    item = find_item(kind, unit, key)
    if item is None or item.current_version is None:
        return None, None
    reader = lesson_fields if kind == "lesson" else question_fields
    return reader(item.current_version), None


def unit_objective_ids(unit: Unit) -> list[str]:
    return [key for key, _text in unit.objectives]


def unit_contents(unit: Unit) -> tuple[list[Any], list[Any]]:
    """Every lesson and question of the unit with its current version (retired ones last)."""
    lessons = db.session.execute(
        sa.select(Lesson, LessonVersion)
        .outerjoin(LessonVersion, LessonVersion.id == Lesson.current_version_id)
        .where(Lesson.unit_id == unit.id)
        .order_by(Lesson.is_retired, LessonVersion.position, Lesson.key)
    ).all()
    questions = db.session.execute(
        sa.select(Question, QuestionVersion)
        .outerjoin(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .where(Question.unit_id == unit.id)
        .order_by(Question.is_retired, QuestionVersion.topic, Question.key)
    ).all()
    return list(lessons), list(questions)


def drafts_of(unit: Unit) -> dict[tuple[str, str], Draft]:
    rows = db.session.scalars(sa.select(Draft).where(Draft.unit_id == unit.id))
    return {(draft.kind, draft.item_key): draft for draft in rows}


def new_key(kind: str, unit: Unit, words: str) -> str:
    """A fresh, unused key for a new lesson or question: `<unit>-<words>`."""
    model = KINDS[kind]
    base = f"{unit.code}-{slugify(words)[:40].strip('-') or kind}"
    taken = set(db.session.scalars(sa.select(model.key).where(model.key.startswith(base))))
    taken |= set(
        db.session.scalars(
            sa.select(Draft.item_key).where(Draft.kind == kind, Draft.item_key.startswith(base))
        )
    )
    return unique_key(base, taken)


# --- Drafts -------------------------------------------------------------------------------------


def save_draft(
    user: User, unit: Unit, kind: str, key: str, payload: dict[str, Any], *, now: datetime
) -> Draft:
    """Keep the editor's fields as they are; nothing a kader sees changes."""
    draft = find_draft(kind, unit, key)
    if draft is None:
        draft = Draft(kind=kind, unit_id=unit.id, item_key=key, author_id=user.id, created_at=now)
        db.session.add(draft)
    draft.payload, draft.updated_at = payload, now
    db.session.flush()
    return draft


def discard_draft(draft: Draft) -> None:
    db.session.delete(draft)
    db.session.flush()


def store_upload(data: bytes, filename: str, *, now: datetime) -> tuple[str, str]:
    """An uploaded lesson image, made light and stripped of metadata; (name, sha256)."""
    stem, dot, suffix = filename.rpartition(".")
    media_type = IMAGE_TYPES.get(f".{suffix.lower()}") if dot else None
    if media_type is None:
        raise FieldError("image", _("Gambar harus berupa PNG, JPEG, WebP atau GIF."))
    if len(data) > MAX_IMAGE_BYTES:
        raise FieldError("image", _("Gambar terlalu besar (paling besar 5 MB)."))
    try:
        clean = prepare_image(data, media_type)
    except Exception as error:  # Pillow raises many kinds for a file that is not an image
        raise FieldError("image", _("Berkas ini bukan gambar yang dapat dibaca.")) from error
    digest = hashlib.sha256(clean).hexdigest()
    if db.session.scalar(sa.select(ContentImage.id).where(ContentImage.sha256 == digest)) is None:
        db.session.add(
            ContentImage(sha256=digest, media_type=media_type, data=clean, created_at=now)
        )
    name = (
        f"{slugify(stem)[:40] or 'gambar'}.{'jpg' if suffix.lower() == 'jpeg' else suffix.lower()}"
    )
    return name, digest
