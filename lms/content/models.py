"""Curriculum in the database: units, and lessons and questions with immutable versions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.database import UTCDateTime
from lms.extensions import db


class Unit(db.Model):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable code, the folder name (bkb, dasar-plkb).
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text)
    position: Mapped[int]
    estimated_minutes: Mapped[int]
    #: [[objective id, text], ...] in display order.
    objectives: Mapped[list[Any]] = mapped_column(sa.JSON)
    #: The competency test's blueprint (lms/assessment/blueprint.py), from unit.yaml `test:`.
    test_blueprint: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    #: Fingerprint of the metadata last synced from files.
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: Kader see only published units; a unit begun in the browser is not, until published.
    is_published: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    #: Fingerprint of the whole unit (metadata, lessons, questions) as last synced from files.
    files_hash: Mapped[str | None] = mapped_column(sa.String(64))
    #: Set when something of the unit is published in the browser (or imported from a zip)
    #: after its files were last synced; content sync then refuses to overwrite it.
    browser_edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    lessons: Mapped[list[Lesson]] = relationship(back_populates="unit")
    editors: Mapped[list[User]] = relationship(secondary="unit_editors")


#: Pelatih assigned to edit a unit (besides its creator; admins edit every unit).
unit_editors = sa.Table(
    "unit_editors",
    db.metadata,
    sa.Column("unit_id", sa.ForeignKey("units.id"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id"), primary_key=True, index=True),
)


class Lesson(db.Model):
    """A lesson's identity; what it says lives in its versions."""

    __tablename__ = "lessons"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(80), unique=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    #: Removed from the files: no longer shown, kept for what points at its versions.
    is_retired: Mapped[bool] = mapped_column(default=False)
    current_version_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lesson_versions.id", use_alter=True)
    )

    unit: Mapped[Unit] = relationship(back_populates="lessons")
    current_version: Mapped[LessonVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )


class LessonVersion(db.Model):
    """One published text of a lesson; never changed once written."""

    __tablename__ = "lesson_versions"
    __table_args__ = (
        sa.UniqueConstraint("lesson_id", "version"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(sa.ForeignKey("lessons.id"), index=True)
    version: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    position: Mapped[int]
    objectives: Mapped[list[str]] = mapped_column(sa.JSON)
    body_markdown: Mapped[str] = mapped_column(sa.Text)
    #: Sanitised HTML rendered once when the version is made (a cache per version).
    body_html: Mapped[str] = mapped_column(sa.Text)
    #: Bytes a kader downloads to read it: the HTML plus its images.
    size_bytes: Mapped[int]
    #: {name used in the Markdown: sha256 of the stored ContentImage}.
    images: Mapped[dict[str, str]] = mapped_column(
        sa.JSON, default=dict, server_default=sa.text("'{}'")
    )
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    lesson: Mapped[Lesson] = relationship(foreign_keys=[lesson_id])


class Question(db.Model):
    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(80), unique=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    #: Retired questions are never drawn again; attempts keep their versions.
    is_retired: Mapped[bool] = mapped_column(default=False)
    #: "files" (question_banks/, managed by content sync) or "browser" (imported or written on
    #: the site; content sync leaves these alone).
    origin: Mapped[str] = mapped_column(sa.String(10), default="files", server_default="files")
    current_version_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("question_versions.id", use_alter=True)
    )

    unit: Mapped[Unit] = relationship()
    current_version: Mapped[QuestionVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )


class QuestionVersion(db.Model):
    __tablename__ = "question_versions"
    __table_args__ = (
        sa.UniqueConstraint("question_id", "version"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
        sa.CheckConstraint("difficulty IN ('mudah', 'sedang', 'sulit')", name="difficulty_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("questions.id"), index=True)
    version: Mapped[int]
    type: Mapped[str] = mapped_column(sa.String(20))
    difficulty: Mapped[str] = mapped_column(sa.String(10))
    topic: Mapped[str] = mapped_column(sa.String(80))
    objective: Mapped[str] = mapped_column(sa.String(80))
    stem_markdown: Mapped[str] = mapped_column(sa.Text)
    stem_html: Mapped[str] = mapped_column(sa.Text)
    feedback_markdown: Mapped[str] = mapped_column(sa.Text)
    feedback_html: Mapped[str] = mapped_column(sa.Text)
    #: Type-specific options, key and settings (see lms/content/question_types.py).
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    question: Mapped[Question] = relationship(foreign_keys=[question_id])


class ContentImage(db.Model):
    """An image used by lessons, kept in the database so every app server can serve it."""

    __tablename__ = "content_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(sa.String(64), unique=True)
    media_type: Mapped[str] = mapped_column(sa.String(40))
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Draft(db.Model):
    """Unpublished work on a unit's metadata, a lesson or a question, written in the browser.

    Kader never read drafts; publishing one turns it into a new version and deletes it."""

    __tablename__ = "drafts"
    __table_args__ = (
        sa.UniqueConstraint("kind", "item_key"),
        sa.CheckConstraint("kind IN ('unit', 'lesson', 'question')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    #: The unit code, lesson key or question key (chosen when a new item's draft is begun).
    item_key: Mapped[str] = mapped_column(sa.String(80))
    #: The editor's fields, as entered.
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    unit: Mapped[Unit] = relationship()
    author: Mapped[User] = relationship()


class Program(db.Model):
    """A certification program: the units it requires (rules as data)."""

    __tablename__ = "programs"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    unit_codes: Mapped[list[str]] = mapped_column(sa.JSON)
    validity_years: Mapped[int]
    issuer_name: Mapped[str] = mapped_column(sa.String(200))
    issuer_place: Mapped[str] = mapped_column(sa.String(100))
    content_hash: Mapped[str] = mapped_column(sa.String(64))
