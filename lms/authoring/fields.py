"""The unit and lesson editors' fields, checked and turned into content specs (pure).

An editor's fields are kept as a draft exactly as typed (a flat dict of strings and lists);
publishing runs them through these parsers (questions: `question_fields.py`). Every message is
an msgid in Bahasa Indonesia, translated where it is shown.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lms.assessment.blueprint import DIFFICULTIES, REVIEW_LEVELS, UNLOCK_RULES, Blueprint, DrawRule
from lms.content.spec import LessonSpec, UnitSpec

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
OPTION_ROWS = 8
PAIR_ROWS = 8
OPTION_IDS = "abcdefgh"


def N_(message: str) -> str:
    """Mark an msgid for extraction; it is translated where it is shown."""
    return message


#: The question types' names for people, in the order the editor offers them.
TYPE_LABELS = {
    "single": N_("Pilihan ganda"),
    "multiple": N_("Pilihan ganda kompleks"),
    "truefalse": N_("Benar/salah"),
    "short": N_("Isian singkat"),
    "numeric": N_("Isian angka"),
    "matching": N_("Menjodohkan"),
}


@dataclass
class Problems:
    """Messages (msgid, params) per field name."""

    by_field: dict[str, list[tuple[str, dict[str, Any]]]] = field(default_factory=dict)

    def add(self, field_name: str, message: str, /, **params: Any) -> None:
        self.by_field.setdefault(field_name, []).append((message, params))

    def __bool__(self) -> bool:
        return bool(self.by_field)


def text_value(fields: Mapping[str, Any], name: str) -> str:
    """The field's text, trimmed, with the line ends browsers send (CRLF) made plain."""
    value = fields.get(name, "")
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else ""


def _whole(fields: Mapping[str, Any], name: str, low: int, high: int, problems: Problems) -> int:
    text = text_value(fields, name)
    if not re.fullmatch(r"\d{1,6}", text) or not low <= int(text) <= high:
        problems.add(name, N_("Isi bilangan bulat %(low)d sampai %(high)d."), low=low, high=high)
        return low
    return int(text)


def parse_number(text: str) -> float | None:
    """A number as Indonesians write it (koma or dot as decimal mark); None when it is not one."""
    cleaned = text.strip().replace(" ", "")
    if re.fullmatch(r"-?[1-9]\d{0,2}(\.\d{3})+", cleaned):
        return None  # "1.000": a thousand in Indonesian, one in English; refuse to guess
    if re.fullmatch(r"-?\d+,\d+", cleaned):
        cleaned = cleaned.replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
        return None
    value = float(cleaned)
    return value if math.isfinite(value) else None


def number_value(value: float) -> int | float:
    return int(value) if value.is_integer() else value


# --- Units --------------------------------------------------------------------------------------


def unit_fields(unit: Any) -> dict[str, Any]:
    """The unit editor's fields for a unit as published."""
    blueprint = Blueprint.from_json(unit.test_blueprint)
    return {
        "title": unit.title,
        "summary": unit.summary,
        "order": str(unit.position),
        "estimated_minutes": str(unit.estimated_minutes),
        "objectives": "\n".join(f"{key}: {text}" for key, text in unit.objectives),
        "draw": "\n".join(
            " ".join([str(rule.count), rule.topic or "*", rule.difficulty or ""])
            .strip()
            .removesuffix(" *")
            for rule in blueprint.draw
        ),
        "time_limit_minutes": str(blueprint.time_limit_minutes),
        "pass_mark": str(blueprint.pass_mark),
        "attempts": str(blueprint.attempts_allowed or 0),
        "wait_hours": f"{blueprint.wait_hours:g}",
        "questions_per_page": str(blueprint.questions_per_page),
        "shuffle_questions": blueprint.shuffle_questions,
        "shuffle_options": blueprint.shuffle_options,
        "review_failed": blueprint.review_after_fail,
        "review_passed": blueprint.review_after_pass,
        "unlock": blueprint.unlock,
    }


def _objectives(text: str, code: str, problems: Problems) -> list[tuple[str, str]]:
    objectives: list[tuple[str, str]] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        key, colon, words = line.partition(":")
        key, words = key.strip(), words.strip()
        if not colon or not words or not SLUG.fullmatch(key):
            problems.add(
                "objectives",
                N_("Baris %(n)d: tulis 'kode-tujuan: teks tujuan'."),
                n=number,
            )
        elif not key.startswith(code + "-"):
            problems.add(
                "objectives",
                N_("Baris %(n)d: kode tujuan harus diawali '%(prefix)s'."),
                n=number,
                prefix=code + "-",
            )
        elif key in seen:
            problems.add("objectives", N_("Baris %(n)d: kode tujuan ganda."), n=number)
        else:
            seen.add(key)
            objectives.append((key, words))
    if not objectives and "objectives" not in problems.by_field:
        problems.add("objectives", N_("Tulis paling sedikit satu tujuan pembelajaran."))
    return objectives


def _draw_rules(text: str, problems: Problems) -> tuple[DrawRule, ...]:
    rules = []
    for number, line in enumerate(text.splitlines(), start=1):
        words = line.split()
        if not words:
            continue
        count = words[0]
        topic = words[1] if len(words) > 1 and words[1] != "*" else None
        difficulty = words[2] if len(words) > 2 else None
        if (
            not count.isdigit()
            or not 1 <= int(count) <= 200
            or len(words) > 3
            or (topic is not None and not SLUG.fullmatch(topic))
            or (difficulty is not None and difficulty not in DIFFICULTIES)
        ):
            problems.add(
                "draw",
                N_("Baris %(n)d: tulis 'jumlah [topik atau *] [mudah|sedang|sulit]'."),
                n=number,
            )
            continue
        rules.append(DrawRule(int(count), topic, difficulty))
    if not rules and "draw" not in problems.by_field:
        problems.add("draw", N_("Tulis paling sedikit satu aturan pengambilan soal."))
    return tuple(rules)


def choice_value(
    fields: Mapping[str, Any], name: str, allowed: tuple[str, ...], p: Problems
) -> str:
    value = text_value(fields, name)
    if value not in allowed:
        p.add(name, N_("Pilih salah satu pilihan."))
        return allowed[0]
    return value


def parse_unit(fields: Mapping[str, Any], code: str) -> tuple[UnitSpec | None, Problems]:
    """The unit's metadata and test blueprint from the editor, or the problems."""
    problems = Problems()
    title, summary = text_value(fields, "title"), text_value(fields, "summary")
    if not title:
        problems.add("title", N_("Judul wajib diisi."))
    elif len(title) > 200:
        problems.add("title", N_("Judul paling panjang 200 karakter."))
    if not summary:
        problems.add("summary", N_("Ringkasan wajib diisi."))
    attempts = _whole(fields, "attempts", 0, 100, problems)
    wait = parse_number(text_value(fields, "wait_hours"))
    if wait is None or not 0 <= wait <= 24 * 365:
        problems.add("wait_hours", N_("Isi jumlah jam, 0 atau lebih."))
        wait = 0
    blueprint = Blueprint(
        draw=_draw_rules(text_value(fields, "draw"), problems),
        time_limit_minutes=_whole(fields, "time_limit_minutes", 1, 600, problems),
        pass_mark=_whole(fields, "pass_mark", 1, 100, problems),
        attempts_allowed=attempts or None,
        wait_hours=number_value(wait),
        shuffle_questions=bool(fields.get("shuffle_questions")),
        shuffle_options=bool(fields.get("shuffle_options")),
        review_after_fail=choice_value(fields, "review_failed", REVIEW_LEVELS, problems),
        review_after_pass=choice_value(fields, "review_passed", REVIEW_LEVELS, problems),
        unlock=choice_value(fields, "unlock", UNLOCK_RULES, problems),
        questions_per_page=_whole(fields, "questions_per_page", 1, 50, problems),
    )
    spec = UnitSpec(
        code=code,
        title=title,
        summary=summary,
        order=_whole(fields, "order", 1, 999, problems),
        estimated_minutes=_whole(fields, "estimated_minutes", 1, 6000, problems),
        objectives=_objectives(text_value(fields, "objectives"), code, problems),
        path="browser",
        blueprint=blueprint,
    )
    return (None if problems else spec), problems


# --- Lessons ------------------------------------------------------------------------------------


def lesson_fields(version: Any) -> dict[str, Any]:
    return {
        "title": version.title,
        "order": str(version.position),
        "objectives": list(version.objectives),
        "body": version.body_markdown,
        "images": dict(version.images or {}),
    }


def parse_lesson(
    fields: Mapping[str, Any], *, key: str, unit_code: str, objectives: list[str]
) -> tuple[LessonSpec | None, Problems]:
    """The lesson from the editor (images are attached by the caller), or the problems."""
    problems = Problems()
    title = text_value(fields, "title")
    if not title:
        problems.add("title", N_("Judul wajib diisi."))
    elif len(title) > 200:
        problems.add("title", N_("Judul paling panjang 200 karakter."))
    chosen = [o for o in fields.get("objectives") or [] if isinstance(o, str)]
    if not chosen:
        problems.add("objectives", N_("Pilih paling sedikit satu tujuan pembelajaran."))
    elif any(o not in objectives for o in chosen):
        problems.add("objectives", N_("Tujuan yang dipilih tidak ada di unit ini."))
    body = (fields.get("body") or "").replace("\r\n", "\n").strip()
    if not body:
        problems.add("body", N_("Isi pelajaran wajib diisi."))
    spec = LessonSpec(
        key=key,
        unit_code=unit_code,
        title=title,
        order=_whole(fields, "order", 1, 999, problems),
        objectives=list(dict.fromkeys(chosen)),
        body=body + "\n",
        path="browser",
    )
    return (None if problems else spec), problems
