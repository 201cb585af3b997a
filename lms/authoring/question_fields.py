"""The question editor's fields, the key checked for consistency, turned into a question spec.

Questions go on through the same question-type registry as the bank files
(`lms/content/question_types.py`), so both paths accept the same content (pure).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from lms.assessment.blueprint import DIFFICULTIES
from lms.authoring.fields import (
    N_,
    OPTION_IDS,
    OPTION_ROWS,
    PAIR_ROWS,
    SLUG,
    Problems,
    choice_value,
    number_value,
    parse_number,
    text_value,
)
from lms.content.question_types import QUESTION_TYPES
from lms.content.spec import QuestionSpec
from lms.content.yamlnodes import parse_yaml


def blank_question(objective: str) -> dict[str, Any]:
    return {
        "type": "single",
        "difficulty": "sedang",
        "topic": "",
        "objective": objective,
        "stem": "",
        "feedback": "",
        "options": [""] * OPTION_ROWS,
        "correct": [],
        "scoring": "all-or-nothing",
        "truefalse": "",
        "short": "",
        "numeric_answer": "",
        "numeric_tolerance": "0",
        "numeric_unit": "",
        "pairs": [["", ""] for _ in range(PAIR_ROWS)],
    }


def question_fields(version: Any) -> dict[str, Any]:
    """The question editor's fields for a published question version."""
    fields = blank_question(version.objective)
    data = version.data
    fields.update(
        type=version.type,
        difficulty=version.difficulty,
        topic=version.topic,
        stem=version.stem_markdown,
        feedback=version.feedback_markdown,
    )
    if version.type in ("single", "multiple"):
        options = [text for _key, text in data["options"]]
        keys = [key for key, _text in data["options"]]
        answer = data["answer"] if version.type == "multiple" else [data["answer"]]
        fields["options"] = options + [""] * (OPTION_ROWS - len(options))
        fields["correct"] = [str(keys.index(a)) for a in answer if a in keys]
        fields["scoring"] = data.get("scoring", "all-or-nothing")
    elif version.type == "truefalse":
        fields["truefalse"] = "true" if data["answer"] else "false"
    elif version.type == "short":
        fields["short"] = "\n".join(data["answer"])
    elif version.type == "numeric":
        fields["numeric_answer"] = str(data["answer"]).replace(".", ",")
        fields["numeric_tolerance"] = str(data.get("tolerance", 0)).replace(".", ",")
        fields["numeric_unit"] = data.get("unit", "")
    elif version.type == "matching":
        pairs = [list(pair) for pair in data["pairs"]]
        fields["pairs"] = pairs + [["", ""] for _ in range(PAIR_ROWS - len(pairs))]
    return fields


def _rows(value: Any, size: int) -> list[Any]:
    rows = list(value) if isinstance(value, list) else []
    return (rows + [None] * size)[:size]


def _choice_key(fields: Mapping[str, Any], problems: Problems, multiple: bool) -> dict[str, Any]:
    texts = [
        t.strip() if isinstance(t, str) else "" for t in _rows(fields.get("options"), OPTION_ROWS)
    ]
    correct = {c for c in fields.get("correct") or [] if isinstance(c, str) and c.isdigit()}
    kept = [(index, text) for index, text in enumerate(texts) if text]
    low, high = (3, 8) if multiple else (2, 6)
    if not low <= len(kept) <= high:
        problems.add("options", N_("Tulis %(low)d sampai %(high)d pilihan."), low=low, high=high)
    if len({text for _i, text in kept}) != len(kept):
        problems.add("options", N_("Ada pilihan yang sama persis."))
    if any(not texts[int(c)] for c in correct if int(c) < len(texts)):
        problems.add("correct", N_("Pilihan yang ditandai benar masih kosong."))
    options = {OPTION_IDS[n]: text for n, (_index, text) in enumerate(kept)}
    ids = {str(index): OPTION_IDS[n] for n, (index, _text) in enumerate(kept)}
    answer = sorted(ids[c] for c in correct if c in ids)
    if multiple and not answer:
        problems.add("correct", N_("Tandai paling sedikit satu pilihan yang benar."))
    if not multiple and len(answer) != 1:
        problems.add("correct", N_("Tandai tepat satu pilihan yang benar."))
    if multiple:
        scoring = choice_value(fields, "scoring", ("all-or-nothing", "partial"), problems)
        return {"options": options, "answer": answer, "scoring": scoring}
    return {"options": options, "answer": answer[0] if answer else None}


def _truefalse_key(fields: Mapping[str, Any], problems: Problems) -> dict[str, Any]:
    value = text_value(fields, "truefalse")
    if value not in ("true", "false"):
        problems.add("truefalse", N_("Pilih kunci: Benar atau Salah."))
    return {"answer": value == "true"}


def _short_key(fields: Mapping[str, Any], problems: Problems) -> dict[str, Any]:
    answers = [line.strip() for line in text_value(fields, "short").splitlines() if line.strip()]
    if not answers:
        problems.add("short", N_("Tulis paling sedikit satu jawaban yang diterima."))
    return {"answer": answers}


def _numeric_key(fields: Mapping[str, Any], problems: Problems) -> dict[str, Any]:
    answer = parse_number(text_value(fields, "numeric_answer"))
    if answer is None:
        problems.add(
            "numeric_answer",
            N_("Kunci harus berupa angka tanpa pemisah ribuan, misalnya 1000 atau 2,5."),
        )
    tolerance = parse_number(text_value(fields, "numeric_tolerance") or "0")
    if tolerance is None or tolerance < 0:
        problems.add("numeric_tolerance", N_("Toleransi harus angka 0 atau lebih."))
    return {
        "answer": number_value(answer or 0.0),
        "tolerance": number_value(tolerance or 0.0),
        "unit": text_value(fields, "numeric_unit"),
    }


def _matching_key(fields: Mapping[str, Any], problems: Problems) -> dict[str, Any]:
    pairs = []
    for row in _rows(fields.get("pairs"), PAIR_ROWS):
        left, right = [*row, "", ""][:2] if isinstance(row, list) else ("", "")
        left = left.strip() if isinstance(left, str) else ""
        right = right.strip() if isinstance(right, str) else ""
        if left and right:
            pairs.append({"left": left, "right": right})
        elif left or right:
            problems.add("pairs", N_("Setiap pasangan perlu sisi kiri dan kanan."))
    if not 3 <= len(pairs) <= 8:
        problems.add("pairs", N_("Tulis 3 sampai 8 pasangan."))
    lefts, rights = [p["left"] for p in pairs], [p["right"] for p in pairs]
    if len(set(lefts)) != len(lefts) or len(set(rights)) != len(rights):
        problems.add("pairs", N_("Sisi kiri dan sisi kanan masing-masing harus berbeda."))
    return {"pairs": pairs}


KEY_PARSERS = {
    "single": lambda f, p: _choice_key(f, p, multiple=False),
    "multiple": lambda f, p: _choice_key(f, p, multiple=True),
    "truefalse": _truefalse_key,
    "short": _short_key,
    "numeric": _numeric_key,
    "matching": _matching_key,
}


def _common(fields: Mapping[str, Any], objectives: list[str], problems: Problems) -> dict[str, str]:
    """The fields every question type has, checked."""
    values = {name: text_value(fields, name) for name in ("topic", "objective", "stem", "feedback")}
    values["difficulty"] = choice_value(fields, "difficulty", DIFFICULTIES, problems)
    if not SLUG.fullmatch(values["topic"]) or len(values["topic"]) > 80:
        problems.add("topic", N_("Topik ditulis huruf kecil dan tanda hubung, misalnya 'kka'."))
    if values["objective"] not in objectives:
        problems.add("objective", N_("Pilih tujuan pembelajaran unit ini."))
    if not values["stem"]:
        problems.add("stem", N_("Pertanyaan wajib diisi."))
    if not values["feedback"]:
        problems.add("feedback", N_("Umpan balik wajib diisi (ditampilkan setelah uji)."))
    return values


def parse_question(
    fields: Mapping[str, Any], *, key: str, unit_code: str, objectives: list[str]
) -> tuple[QuestionSpec | None, Problems]:
    """The question from the editor, its key checked for consistency, or the problems."""
    problems = Problems()
    kind = text_value(fields, "type")
    if kind not in QUESTION_TYPES:
        problems.add("type", N_("Pilih jenis soal."))
        return None, problems
    common = _common(fields, objectives, problems)
    written = KEY_PARSERS[kind](fields, problems)
    if problems:
        return None, problems
    # The same check and the same stored shape as a question in a bank file.
    located = parse_yaml(yaml.safe_dump(written, allow_unicode=True, sort_keys=False))
    question_type = QUESTION_TYPES[kind]
    if question_type.check(located):
        problems.add("type", N_("Kunci jawaban tidak sesuai dengan jenis soal."))
        return None, problems
    data = question_type.extract(located)
    spec = QuestionSpec(key=key, unit_code=unit_code, type=kind, data=data, path="browser",
                        line=0, **common)  # fmt: skip
    return spec, problems
