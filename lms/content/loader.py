"""Reads modules/ and question_banks/ into a Curriculum, with every problem found (pure).

Every problem is reported as `path:line: message`; nothing stops at the first one. Messages
are Bahasa Indonesia msgids with %(name)s parameters (see `Problem`), translated where shown.
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


def N_(message: str) -> str:
    """Mark a message for the translation catalogue without translating it here (pure module)."""
    return message


#: What `Loader.require` says when a field is missing or of the wrong kind, per kind.
MISSING = {
    str: N_("wajib ada '%(key)s' (teks)"),
    int: N_("wajib ada '%(key)s' (bilangan bulat)"),
    list: N_("wajib ada '%(key)s' (daftar)"),
    dict: N_("wajib ada '%(key)s' (baris nama: nilai)"),
}
WRONG_KIND = {
    str: N_("'%(key)s' harus berupa teks"),
    int: N_("'%(key)s' harus bilangan bulat"),
    list: N_("'%(key)s' harus berupa daftar"),
    dict: N_("'%(key)s' harus berisi baris nama: nilai"),
}
#: What `Loader.claim_id` says about an id that is not a slug, per kind of id.
BAD_ID = {
    "objective": N_("id tujuan '%(key)s' hanya boleh berisi huruf kecil, angka dan tanda hubung"),
    "lesson": N_("id pelajaran '%(key)s' hanya boleh berisi huruf kecil, angka dan tanda hubung"),
    "question": N_("id soal '%(key)s' hanya boleh berisi huruf kecil, angka dan tanda hubung"),
}
NOT_UTF8 = N_("berkas bukan teks UTF-8 (simpan ulang dengan encoding UTF-8)")
UNKNOWN_OBJECTIVE = N_("tujuan '%(objective)s' tidak ada di %(unit)s/unit.yaml")


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

    def problem(self, path: Path, line: int, message: str, /, **params: Any) -> None:
        """Record a problem; `message` is an msgid marked with N_, `params` fill it."""
        self.problems.append(Problem(self.rel(path), line, message, params))

    def read_yaml(self, path: Path) -> Any:
        try:
            return parse_yaml(path.read_text(encoding="utf-8"))
        except YamlProblem as error:
            self.problem(path, error.line, error.message, **error.params)
        except UnicodeDecodeError:
            self.problem(path, 1, NOT_UTF8)
        return None

    def require(self, data: LocatedDict, key: str, kind: type, path: Path) -> Any:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            self.problem(path, data.line, MISSING[kind], key=key)
            return None
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            self.problem(path, data.line_of(key), WRONG_KIND[kind], key=key)
            return None
        return value

    def has_problem_under(self, folder: Path) -> bool:
        prefix = self.rel(folder) + "/"
        return any(problem.path.startswith(prefix) for problem in self.problems)

    def has_problem_in(self, path: Path) -> bool:
        return any(problem.path == self.rel(path) for problem in self.problems)

    def claim_id(self, key: Any, path: Path, line: int, what: str) -> bool:
        if not isinstance(key, str) or not SLUG.fullmatch(key):
            self.problem(path, line, BAD_ID[what], key=key)
            return False
        where = f"{self.rel(path)}:{line}"
        if key in self.seen_ids:
            message = N_("id '%(key)s' sudah dipakai (pertama kali di %(where)s)")
            self.problem(path, line, message, key=key, where=self.seen_ids[key])
            return False
        self.seen_ids[key] = where
        return True

    # -- units and lessons ---------------------------------------------------------------
    def load(self) -> tuple[Curriculum, list[Problem]]:
        if not self.modules.is_dir():
            self.problem(self.modules, 1, N_("folder konten tidak ditemukan"))
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
            for message, params in draw_shortfalls(unit.blueprint, drawable):
                self.problem(path, unit.test_line, message, **params)
        programs = self.modules / PROGRAMS_FOLDER
        if programs.is_dir():
            for path in sorted(programs.glob("*.yaml")):
                self.load_program(path)
        return self.curriculum, self.problems

    def load_unit(self, folder: Path) -> None:
        path = folder / "unit.yaml"
        if not path.exists():
            self.problem(folder, 1, N_("folder unit tidak berisi unit.yaml"))
            return
        data = self.read_yaml(path)
        if not isinstance(data, LocatedDict):
            if data is not None or not self.has_problem_in(path):
                message = N_("unit.yaml harus berisi baris nama: nilai (code: ..., title: ...)")
                self.problem(path, 1, message)
            return
        code = self.require(data, "code", str, path)
        if code is not None and code != folder.name:
            message = N_("'code' (%(code)s) harus sama dengan nama folder unit (%(folder)s)")
            self.problem(path, data.line_of("code"), message, code=code, folder=folder.name)
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
        for line, message, params in blueprint_problems:
            self.problem(path, line, message, **params)
        self.curriculum.units[folder.name] = unit
        lessons_dir = folder / "lessons"
        lesson_files = sorted(lessons_dir.glob("*.md")) if lessons_dir.is_dir() else []
        if not lesson_files:
            message = N_("unit belum punya pelajaran (modules/%(unit)s/lessons/*.md)")
            self.problem(path, 1, message, unit=folder.name)
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
                    N_("'order' %(order)d juga dipakai pelajaran '%(other)s'"),
                    order=lesson.order,
                    other=orders[lesson.order],
                )
            orders[lesson.order] = lesson.key
        unit.lessons.sort(key=lambda lesson: (lesson.order, lesson.key))

    def load_objectives(self, items: Any, unit_code: str, path: Path) -> list[tuple[str, str]]:
        objectives: list[tuple[str, str]] = []
        if not isinstance(items, list):
            return objectives
        for line, item in zip(items.item_lines, items, strict=True):
            if not isinstance(item, dict) or not item.get("id") or not item.get("text"):
                self.problem(path, line, N_("setiap tujuan wajib punya 'id' dan 'text'"))
                continue
            key = item["id"]
            if not self.claim_id(key, path, line, "objective"):
                continue
            if not str(key).startswith(unit_code + "-"):
                message = N_("id tujuan '%(key)s' harus diawali '%(prefix)s'")
                self.problem(path, line, message, key=key, prefix=unit_code + "-")
            self.objective_ids[key] = unit_code
            objectives.append((key, str(item["text"]).strip()))
        return objectives

    def load_lesson(self, path: Path, unit: UnitSpec) -> LessonSpec | None:
        try:
            # utf-8-sig: a byte-order mark (Windows Notepad) is not part of the text.
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            self.problem(path, 1, NOT_UTF8)
            return None
        lines = text.replace("\r\n", "\n").split("\n")
        if not lines or lines[0].strip() != "---":
            message = N_(
                "pelajaran harus diawali keterangan (front matter) di antara dua baris '---'"
            )
            self.problem(path, 1, message)
            return None
        try:
            end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
        except StopIteration:
            self.problem(path, 1, N_("front matter tidak ditutup dengan baris '---'"))
            return None
        try:
            meta = parse_yaml("\n".join(lines[1:end]), first_line=2)
        except YamlProblem as error:
            self.problem(path, error.line, error.message, **error.params)
            return None
        if not isinstance(meta, LocatedDict):
            message = N_("front matter harus berisi baris nama: nilai (id: ..., title: ...)")
            self.problem(path, 2, message)
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
            message = N_("id pelajaran '%(key)s' harus diawali '%(prefix)s'")
            self.problem(path, meta.line_of("id"), message, key=key, prefix=unit.code + "-")
        if not objectives:
            message = N_("pelajaran wajib punya paling sedikit satu tujuan")
            self.problem(path, meta.line_of("objectives"), message)
        unit_objectives = {objective_id for objective_id, _ in unit.objectives}
        for objective in objectives:
            if not isinstance(objective, str):
                message = N_("'objectives' harus berupa daftar id tujuan, misalnya [bkb-tujuan]")
                self.problem(path, meta.line_of("objectives"), message)
            elif objective not in unit_objectives:
                self.problem(
                    path,
                    meta.line_of("objectives"),
                    UNKNOWN_OBJECTIVE,
                    objective=objective,
                    unit=unit.code,
                )
        body = "\n".join(lines[end + 1 :]).strip() + "\n"
        if not body.strip():
            self.problem(path, end + 2, N_("pelajaran tidak berisi teks setelah front matter"))
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
                    message = N_(
                        "gambar '%(image)s' harus berupa berkas di folder pelajaran, "
                        "bukan alamat internet"
                    )
                    self.problem(path, line, message, image=reference)
                    continue
                target = (path.parent / reference).resolve()
                media_type = IMAGE_TYPES.get(target.suffix.lower())
                if path.parent.resolve() not in target.parents:
                    message = N_("gambar '%(image)s' harus berada di folder pelajaran")
                elif media_type is None:
                    message = N_("gambar '%(image)s' harus berformat PNG, JPEG, WebP atau GIF")
                elif not target.is_file():
                    message = N_("gambar '%(image)s' tidak ditemukan di folder pelajaran")
                else:
                    images[reference] = ImageSpec(reference, target.read_bytes(), media_type)
                    continue
                self.problem(path, line, message, image=reference)
        return list(images.values())

    # -- question banks ------------------------------------------------------------------
    def load_bank(self, folder: Path) -> None:
        unit = self.curriculum.units.get(folder.name)
        files = sorted(folder.glob("*.yaml"))
        if unit is None:
            message = N_("bank soal untuk unit '%(unit)s' yang tidak ada")
            self.problem(folder, 1, message, unit=folder.name)
            return
        for path in sorted(folder.glob("*.yml")):
            self.problem(path, 1, N_("nama berkas bank soal harus berakhiran .yaml"))
        for path in files:
            data = self.read_yaml(path)
            if data is None and self.has_problem_in(path):
                continue
            if not isinstance(data, LocatedDict) or not isinstance(data.get("questions"), list):
                self.problem(path, 1, N_("berkas bank soal harus berisi daftar 'questions:'"))
                continue
            items = data["questions"]
            for line, item in zip(items.item_lines, items, strict=True):
                question = self.load_question(item, line, path, unit)
                if question:
                    unit.questions.append(question)

    def load_question(self, q: Any, line: int, path: Path, unit: UnitSpec) -> QuestionSpec | None:
        if not isinstance(q, LocatedDict):
            message = N_("setiap soal harus berisi baris nama: nilai (id: ..., type: ...)")
            self.problem(path, line, message)
            return None
        key = self.require(q, "id", str, path)
        if key is None or not self.claim_id(key, path, q.line_of("id"), "question"):
            return None
        count = len(self.problems)
        kind = q.get("type")
        question_type = QUESTION_TYPES.get(kind) if isinstance(kind, str) else None
        if question_type is None:
            message = N_("type '%(type)s' tidak dikenal (yang ada: %(known)s)")
            self.problem(
                path, q.line_of("type"), message, type=kind, known=", ".join(QUESTION_TYPES)
            )
        difficulty = q.get("difficulty")
        if difficulty not in DIFFICULTIES:
            message = N_("'difficulty' harus salah satu dari %(allowed)s, bukan '%(value)s'")
            allowed = ", ".join(DIFFICULTIES)
            self.problem(path, q.line_of("difficulty"), message, allowed=allowed, value=difficulty)
        topic = self.require(q, "topic", str, path)
        if topic is not None and not SLUG.fullmatch(topic):
            message = N_(
                "'topic' (%(topic)s) hanya boleh berisi huruf kecil, angka dan tanda hubung"
            )
            self.problem(path, q.line_of("topic"), message, topic=topic)
        objective = self.require(q, "objective", str, path)
        if objective is not None and self.objective_ids.get(objective) != unit.code:
            self.problem(
                path, q.line_of("objective"), UNKNOWN_OBJECTIVE, objective=objective, unit=unit.code
            )
        stem = self.require(q, "stem", str, path)
        feedback = self.require(q, "feedback", str, path)
        if question_type is not None:
            unknown = set(q) - QUESTION_COMMON - question_type.fields
            for field_name in sorted(unknown):
                message = N_("'%(field)s' tidak dipakai pada soal type '%(type)s'")
                self.problem(path, q.line_of(field_name), message, field=field_name, type=kind)
            for problem_line, message, params in question_type.problems(q):
                self.problem(path, problem_line, message, **params)
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
                message = N_(
                    "berkas program harus berisi baris nama: nilai (code: ..., units: ...)"
                )
                self.problem(path, 1, message)
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
                message = N_("'units' harus berupa daftar kode unit, misalnya [bkb, bkl]")
                self.problem(path, line, message)
            elif unit_code not in self.curriculum.units:
                self.problem(
                    path, line, N_("unit '%(unit)s' dalam program ini tidak ada"), unit=unit_code
                )
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


def load_curriculum(
    modules: Path, banks: Path, *, root: Path | None = None
) -> tuple[Curriculum, list[Problem]]:
    """Parse the content folders; returns the curriculum and every problem found."""
    root = root or modules.parent
    return Loader(root, modules, banks).load()
