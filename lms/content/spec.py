"""What the content files describe, once parsed (pure data)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lms.assessment.blueprint import Blueprint


def fill(message: str, **params: Any) -> str:
    """The msgid with its parameters filled in, untranslated (Bahasa Indonesia)."""
    return message % params if params else message


@dataclass(frozen=True)
class Problem:
    """A problem in a content file, at `path:line`.

    `message` is a Bahasa Indonesia msgid with %(name)s placeholders that `params` fill:
    str() gives the Indonesian line (the CLI), translated() the line in the user's language.
    """

    path: str
    line: int
    message: str
    params: dict[str, Any] = field(default_factory=dict, hash=False)

    @property
    def text(self) -> str:
        """The message in Bahasa Indonesia, without the path and line."""
        return fill(self.message, **self.params)

    def translated(self, gettext: Callable[..., str] = fill) -> str:
        """`path:line: message`, the message passed through `gettext(message, **params)`."""
        return f"{self.path}:{self.line}: {gettext(self.message, **self.params)}"

    def __str__(self) -> str:
        return self.translated()


def content_hash(value: Any) -> str:
    """A stable fingerprint of content, to tell whether a new version is needed."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class ImageSpec:
    name: str
    data: bytes
    media_type: str


@dataclass
class LessonSpec:
    key: str
    unit_code: str
    title: str
    order: int
    objectives: list[str]
    body: str
    path: str
    images: list[ImageSpec] = field(default_factory=list)
    #: Line of `order:` in the front matter, for problems about the reading order.
    order_line: int = 1

    def fingerprint(self) -> str:
        images = sorted((i.name, hashlib.sha256(i.data).hexdigest()) for i in self.images)
        return content_hash([self.title, self.order, self.objectives, self.body, images])


@dataclass
class QuestionSpec:
    key: str
    unit_code: str
    type: str
    difficulty: str
    topic: str
    objective: str
    stem: str
    feedback: str
    data: dict[str, Any]
    path: str
    line: int

    def fingerprint(self) -> str:
        return content_hash(
            [
                self.type,
                self.difficulty,
                self.topic,
                self.objective,
                self.stem,
                self.feedback,
                self.data,
            ]
        )


@dataclass
class UnitSpec:
    code: str
    title: str
    summary: str
    order: int
    estimated_minutes: int
    objectives: list[tuple[str, str]]
    path: str
    lessons: list[LessonSpec] = field(default_factory=list)
    questions: list[QuestionSpec] = field(default_factory=list)
    blueprint: Blueprint = field(default_factory=Blueprint)
    #: Line of `test:` in unit.yaml (1 when the unit uses the default test).
    test_line: int = 1

    def fingerprint(self) -> str:
        return content_hash(
            [self.title, self.summary, self.order, self.estimated_minutes, self.objectives,
             self.blueprint.to_json()]
        )  # fmt: skip


@dataclass
class ProgramSpec:
    code: str
    title: str
    units: list[str]
    validity_years: int
    issuer_name: str
    issuer_place: str
    path: str


@dataclass
class Curriculum:
    units: dict[str, UnitSpec] = field(default_factory=dict)
    programs: dict[str, ProgramSpec] = field(default_factory=dict)

    def summary(self) -> str:
        parts = [
            f"{code}: {len(unit.lessons)} lessons, {len(unit.questions)} questions"
            for code, unit in sorted(self.units.items(), key=lambda item: item[1].order)
        ]
        lessons = sum(len(u.lessons) for u in self.units.values())
        questions = sum(len(u.questions) for u in self.units.values())
        return (
            f"OK: {len(self.units)} units, {lessons} lessons, {questions} questions, "
            f"{len(self.programs)} programs ({'; '.join(parts)})"
        )
