"""Reads modules/ and question_banks/ into a Curriculum, with every problem found (pure).

Every problem is reported as `path:line: message`; nothing stops at the first one.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lms.assessment.blueprint import draw_shortfalls, parse_blueprint
from lms.content.question_types import QUESTION_TYPES
from lms.content.spec import (
    Curriculum,
    ImageSpec,
    LessonSpec,
    Problem,
    ProgramSpec,
    QuestionSpec,
    UnitSpec,
)
from lms.content.yamlnodes import LocatedDict, YamlProblem, parse_yaml

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
DIFFICULTIES = ("mudah", "sedang", "sulit")
IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".gif": "image/gif",
}
IMAGE_REFERENCE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
QUESTION_COMMON = {"id", "type", "difficulty", "topic", "objective", "stem", "feedback"}
PROGRAMS_FOLDER = "programs"


class Loader:
    """One pass over the content folders, collecting specs and problems."""

    def __init__(self, root: Path, modules: Path, banks: Path) -> None:
        self.root = root
        self.modules = modules
        self.banks = banks
        self.curriculum = Curriculum()
        self.problems: list[Problem] = []
        self.objective_ids: dict[str, str] = {}  # objective id -> unit code
        self.seen_ids: dict[str, str] = {}  # lesson/question id -> where first seen

    # -- helpers -------------------------------------------------------------------------
    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def problem(self, path: Path, line: int, message: str) -> None:
        self.problems.append(Problem(self.rel(path), line, message))

    def read_yaml(self, path: Path) -> Any:
        try:
            return parse_yaml(path.read_text(encoding="utf-8"))
        except YamlProblem as error:
            self.problem(path, error.line, error.message)
        except UnicodeDecodeError:
            self.problem(path, 1, "file is not UTF-8 text")
        return None

    def require(self, data: LocatedDict, key: str, kind: type | tuple, path: Path) -> Any:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            self.problem(path, data.line, f"missing '{key}'")
            return None
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
            self.problem(path, data.line_of(key), f"'{key}' must be {_kind_name(names)}")
            return None
        return value

    def has_problem_under(self, folder: Path) -> bool:
        prefix = self.rel(folder) + "/"
        return any(problem.path.startswith(prefix) for problem in self.problems)

    def has_problem_in(self, path: Path) -> bool:
        return any(problem.path == self.rel(path) for problem in self.problems)

    def claim_id(self, key: Any, path: Path, line: int, what: str) -> bool:
        if not isinstance(key, str) or not SLUG.fullmatch(key):
            self.problem(
                path, line, f"{what} id '{key}' must be lowercase letters, digits and dashes"
            )
            return False
        where = f"{self.rel(path)}:{line}"
        if key in self.seen_ids:
            self.problem(path, line, f"duplicate id '{key}' (first used at {self.seen_ids[key]})")
            return False
        self.seen_ids[key] = where
        return True

    # -- units and lessons ---------------------------------------------------------------
    def load(self) -> tuple[Curriculum, list[Problem]]:
        if not self.modules.is_dir():
            self.problem(self.modules, 1, "content folder not found")
            return self.curriculum, self.problems
        for folder in sorted(p for p in self.modules.iterdir() if p.is_dir()):
            if folder.name != PROGRAMS_FOLDER:
                self.load_unit(folder)
        if self.banks.is_dir():
            for folder in sorted(p for p in self.banks.iterdir() if p.is_dir()):
                self.load_bank(folder)
        for unit in self.curriculum.units.values():
            if self.has_problem_under(self.banks / unit.code):
                continue  # broken questions are missing from the count: the check would mislead
            drawable = [(q.topic, q.difficulty) for q in unit.questions]
            path = self.modules / unit.code / "unit.yaml"
            for message in draw_shortfalls(unit.blueprint, drawable):
                self.problem(path, unit.test_line, message)
        programs = self.modules / PROGRAMS_FOLDER
        if programs.is_dir():
            for path in sorted(programs.glob("*.yaml")):
                self.load_program(path)
        return self.curriculum, self.problems

    def load_unit(self, folder: Path) -> None:
        path = folder / "unit.yaml"
        if not path.exists():
            self.problem(folder, 1, "unit folder has no unit.yaml")
            return
        data = self.read_yaml(path)
        if not isinstance(data, LocatedDict):
            if data is not None or not self.has_problem_in(path):
                self.problem(path, 1, "unit.yaml must be a mapping (code: ..., title: ...)")
            return
        code = self.require(data, "code", str, path)
        if code is not None and code != folder.name:
            self.problem(
                path, data.line_of("code"), f"code '{code}' differs from folder '{folder.name}'"
            )
        values = {
            key: self.require(data, key, kind, path)
            for key, kind in [
                ("title", str),
                ("summary", str),
                ("order", int),
                ("estimated_minutes", int),
                ("objectives", list),
            ]
        }
        objectives = self.load_objectives(values["objectives"], folder.name, path)
        # Even with a wrong field the unit is registered under its folder name, so that its
        # lessons and questions are still checked (nothing is synced while any problem exists).
        unit = UnitSpec(
            code=folder.name,
            title=(values["title"] or "").strip(),
            summary=(values["summary"] or "").strip(),
            order=values["order"] or 0,
            estimated_minutes=values["estimated_minutes"] or 0,
            objectives=objectives,
            path=self.rel(path),
        )
        unit.blueprint, blueprint_problems = parse_blueprint(data.get("test"))
        unit.test_line = data.line_of("test")
        for line, message in blueprint_problems:
            self.problem(path, line, message)
        self.curriculum.units[folder.name] = unit
        lessons_dir = folder / "lessons"
        lesson_files = sorted(lessons_dir.glob("*.md")) if lessons_dir.is_dir() else []
        if not lesson_files:
            self.problem(path, 1, "unit has no lessons (modules/<unit>/lessons/*.md)")
        for lesson_path in lesson_files:
            lesson = self.load_lesson(lesson_path, unit)
            if lesson:
                unit.lessons.append(lesson)
        orders: dict[int, str] = {}
        for lesson in unit.lessons:
            if lesson.order in orders:
                self.problem(
                    lessons_dir / Path(lesson.path).name,
                    lesson.order_line,
                    f"order {lesson.order} is also used by '{orders[lesson.order]}'",
                )
            orders[lesson.order] = lesson.key
        unit.lessons.sort(key=lambda lesson: (lesson.order, lesson.key))

    def load_objectives(self, items: Any, unit_code: str, path: Path) -> list[tuple[str, str]]:
        objectives: list[tuple[str, str]] = []
        if not isinstance(items, list):
            return objectives
        for line, item in zip(items.item_lines, items, strict=True):
            if not isinstance(item, dict) or not item.get("id") or not item.get("text"):
                self.problem(path, line, "each objective needs 'id' and 'text'")
                continue
            key = item["id"]
            if not self.claim_id(key, path, line, "objective"):
                continue
            if not str(key).startswith(unit_code + "-"):
                self.problem(path, line, f"objective id '{key}' must start with '{unit_code}-'")
            self.objective_ids[key] = unit_code
            objectives.append((key, str(item["text"]).strip()))
        return objectives

    def load_lesson(self, path: Path, unit: UnitSpec) -> LessonSpec | None:
        try:
            # utf-8-sig: a byte-order mark (Windows Notepad) is not part of the text.
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            self.problem(path, 1, "file is not UTF-8 text")
            return None
        lines = text.replace("\r\n", "\n").split("\n")
        if not lines or lines[0].strip() != "---":
            self.problem(path, 1, "lesson must start with front matter between '---' lines")
            return None
        try:
            end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
        except StopIteration:
            self.problem(path, 1, "front matter is not closed with a '---' line")
            return None
        try:
            meta = parse_yaml("\n".join(lines[1:end]), first_line=2)
        except YamlProblem as error:
            self.problem(path, error.line, error.message)
            return None
        if not isinstance(meta, LocatedDict):
            self.problem(path, 2, "front matter must be a mapping (id: ..., title: ...)")
            return None
        meta_line = meta.line
        key = self.require(meta, "id", str, path)
        title = self.require(meta, "title", str, path)
        order = self.require(meta, "order", int, path)
        objectives = self.require(meta, "objectives", list, path)
        if key is None or title is None or order is None or objectives is None:
            return None
        if not self.claim_id(key, path, meta.line_of("id"), "lesson"):
            return None
        if not key.startswith(unit.code + "-"):
            self.problem(
                path, meta.line_of("id"), f"lesson id '{key}' must start with '{unit.code}-'"
            )
        if not objectives:
            self.problem(path, meta.line_of("objectives"), "a lesson needs at least one objective")
        unit_objectives = {objective_id for objective_id, _ in unit.objectives}
        for objective in objectives:
            if not isinstance(objective, str):
                self.problem(
                    path,
                    meta.line_of("objectives"),
                    "objectives must be a list of objective ids, e.g. [bkb-tujuan]",
                )
            elif objective not in unit_objectives:
                self.problem(
                    path,
                    meta.line_of("objectives"),
                    f"objective '{objective}' does not exist in {unit.code}/unit.yaml",
                )
        body = "\n".join(lines[end + 1 :]).strip() + "\n"
        if not body.strip():
            self.problem(path, end + 2, "lesson has no text after the front matter")
        images = self.load_images(path, lines, end + 1)
        del meta_line
        return LessonSpec(
            order_line=meta.line_of("order"),
            key=key,
            unit_code=unit.code,
            title=title.strip(),
            order=order,
            objectives=[str(o) for o in objectives],
            body=body,
            path=self.rel(path),
            images=images,
        )

    def load_images(self, path: Path, lines: list[str], first_body_line: int) -> list[ImageSpec]:
        images: dict[str, ImageSpec] = {}
        for index in range(first_body_line, len(lines)):
            for reference in IMAGE_REFERENCE.findall(lines[index]):
                line = index + 1
                if re.match(r"^[a-z]+:|^//", reference, re.IGNORECASE):
                    self.problem(
                        path, line, f"image '{reference}' must be a local file next to the lesson"
                    )
                    continue
                target = (path.parent / reference).resolve()
                media_type = IMAGE_TYPES.get(target.suffix.lower())
                if path.parent.resolve() not in target.parents:
                    self.problem(path, line, f"image '{reference}' must be in the lesson's folder")
                elif media_type is None:
                    self.problem(path, line, f"image '{reference}' must be PNG, JPEG, WebP or GIF")
                elif not target.is_file():
                    self.problem(path, line, f"image '{reference}' not found next to the lesson")
                else:
                    images[reference] = ImageSpec(reference, target.read_bytes(), media_type)
        return list(images.values())

    # -- question banks ------------------------------------------------------------------
    def load_bank(self, folder: Path) -> None:
        unit = self.curriculum.units.get(folder.name)
        files = sorted(folder.glob("*.yaml"))
        if unit is None:
            self.problem(folder, 1, f"question bank for unknown unit '{folder.name}'")
            return
        for path in sorted(folder.glob("*.yml")):
            self.problem(path, 1, "question bank files must end in .yaml")
        for path in files:
            data = self.read_yaml(path)
            if data is None and self.has_problem_in(path):
                continue
            if not isinstance(data, LocatedDict) or not isinstance(data.get("questions"), list):
                self.problem(path, 1, "a question bank file must have a 'questions:' list")
                continue
            items = data["questions"]
            for line, item in zip(items.item_lines, items, strict=True):
                question = self.load_question(item, line, path, unit)
                if question:
                    unit.questions.append(question)

    def load_question(self, q: Any, line: int, path: Path, unit: UnitSpec) -> QuestionSpec | None:
        if not isinstance(q, LocatedDict):
            self.problem(path, line, "each question must be a mapping (id: ..., type: ...)")
            return None
        key = self.require(q, "id", str, path)
        if key is None or not self.claim_id(key, path, q.line_of("id"), "question"):
            return None
        count = len(self.problems)
        kind = q.get("type")
        question_type = QUESTION_TYPES.get(kind) if isinstance(kind, str) else None
        if question_type is None:
            known = ", ".join(QUESTION_TYPES)
            self.problem(path, q.line_of("type"), f"unknown type '{kind}' (known: {known})")
        difficulty = q.get("difficulty")
        if difficulty not in DIFFICULTIES:
            self.problem(
                path,
                q.line_of("difficulty"),
                f"difficulty must be one of {', '.join(DIFFICULTIES)}, not '{difficulty}'",
            )
        topic = self.require(q, "topic", str, path)
        if topic is not None and not SLUG.fullmatch(topic):
            self.problem(path, q.line_of("topic"), f"topic '{topic}' must be a lowercase slug")
        objective = self.require(q, "objective", str, path)
        if objective is not None and self.objective_ids.get(objective) != unit.code:
            self.problem(
                path,
                q.line_of("objective"),
                f"objective '{objective}' does not exist in {unit.code}/unit.yaml",
            )
        stem = self.require(q, "stem", str, path)
        feedback = self.require(q, "feedback", str, path)
        if question_type is not None:
            unknown = set(q) - QUESTION_COMMON - question_type.fields
            for field_name in sorted(unknown):
                self.problem(
                    path,
                    q.line_of(field_name),
                    f"field '{field_name}' is not used by type '{kind}'",
                )
            for problem_line, message in question_type.check(q):
                self.problem(path, problem_line, message)
        if len(self.problems) > count:
            return None
        return QuestionSpec(
            key=key,
            unit_code=unit.code,
            type=kind,
            difficulty=difficulty,
            topic=topic,
            objective=objective,
            stem=stem.strip(),
            feedback=feedback.strip(),
            data=question_type.extract(q),
            path=self.rel(path),
            line=q.line,
        )

    # -- programs ------------------------------------------------------------------------
    def load_program(self, path: Path) -> None:
        data = self.read_yaml(path)
        if not isinstance(data, LocatedDict):
            if data is not None:
                self.problem(path, 1, "a program file must be a mapping (code: ..., units: ...)")
            return
        code = self.require(data, "code", str, path)
        title = self.require(data, "title", str, path)
        units = self.require(data, "units", list, path)
        years = self.require(data, "validity_years", int, path)
        issuer = self.require(data, "issuer", dict, path)
        if None in (code, title, units, years, issuer):
            return
        for line, unit_code in zip(units.item_lines, units, strict=True):
            if not isinstance(unit_code, str):
                self.problem(path, line, "units must be a list of unit codes, e.g. [bkb, bkl]")
            elif unit_code not in self.curriculum.units:
                self.problem(path, line, f"unit '{unit_code}' in the program does not exist")
        name = self.require(issuer, "name", str, path)
        place = self.require(issuer, "place", str, path)
        if name is None or place is None:
            return
        self.curriculum.programs[code] = ProgramSpec(
            code=code,
            title=title,
            units=[str(u) for u in units],
            validity_years=years,
            issuer_name=name,
            issuer_place=place,
            path=self.rel(path),
        )


def _kind_name(names: str) -> str:
    return {"str": "text", "int": "a whole number", "list": "a list", "dict": "a mapping"}.get(
        names, names
    )


def load_curriculum(
    modules: Path, banks: Path, *, root: Path | None = None
) -> tuple[Curriculum, list[Problem]]:
    """Parse the content folders; returns the curriculum and every problem found."""
    root = root or modules.parent
    return Loader(root, modules, banks).load()
