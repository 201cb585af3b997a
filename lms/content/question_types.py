"""Question types: what each needs in a content file and what is kept of it (pure).

Adding a type means adding one entry to QUESTION_TYPES.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lms.content.yamlnodes import LocatedDict

Problems = list[tuple[int, str]]


@dataclass(frozen=True)
class QuestionType:
    name: str
    label: str
    #: Fields this type allows besides the common ones.
    fields: frozenset[str]
    #: Checks the type-specific fields; returns (line, message) problems.
    check: Callable[[LocatedDict], Problems]
    #: The type-specific data kept in the database (options, key, pairs, ...).
    extract: Callable[[LocatedDict], dict[str, Any]]


def _options(q: LocatedDict, low: int, high: int, problems: Problems) -> dict[str, str]:
    options = q.get("options")
    if not isinstance(options, dict) or not options:
        problems.append((q.line_of("options"), "'options' must map option ids to texts (a: ...)"))
        return {}
    if not low <= len(options) <= high:
        problems.append(
            (q.line_of("options"), f"needs {low} to {high} options, has {len(options)}")
        )
    for key, text in options.items():
        if not isinstance(text, str | int | float) or not str(text).strip():
            problems.append((options.line_of(key), f"option '{key}' has no text"))
    return {str(key): str(text) for key, text in options.items()}


def _check_single(q: LocatedDict) -> Problems:
    problems: Problems = []
    options = _options(q, 2, 6, problems)
    answer = q.get("answer")
    if isinstance(answer, list):
        problems.append(
            (
                q.line_of("answer"),
                "a single-choice question has exactly one key; use type 'multiple' for several",
            )
        )
    elif options and str(answer) not in options:
        problems.append(
            (
                q.line_of("answer"),
                f"answer '{answer}' is not among the options ({', '.join(options)})",
            )
        )
    return problems


def _check_multiple(q: LocatedDict) -> Problems:
    problems: Problems = []
    options = _options(q, 3, 8, problems)
    answer = q.get("answer")
    if not isinstance(answer, list) or not answer:
        problems.append((q.line_of("answer"), "answer must be a list of option ids, e.g. [a, c]"))
        return problems
    for key in answer:
        if options and str(key) not in options:
            problems.append((q.line_of("answer"), f"answer '{key}' is not among the options"))
    if len(set(map(str, answer))) != len(answer):
        problems.append((q.line_of("answer"), "answer lists an option twice"))
    if q.get("scoring", "all-or-nothing") not in ("all-or-nothing", "partial"):
        problems.append((q.line_of("scoring"), "scoring must be 'all-or-nothing' or 'partial'"))
    return problems


def _check_truefalse(q: LocatedDict) -> Problems:
    if not isinstance(q.get("answer"), bool):
        return [(q.line_of("answer"), "answer must be true or false")]
    return []


def _check_short(q: LocatedDict) -> Problems:
    answer = q.get("answer")
    if (
        not isinstance(answer, list)
        or not answer
        or not all(isinstance(a, str | int | float) and str(a).strip() for a in answer)
    ):
        return [(q.line_of("answer"), "answer must be a list of accepted answers (text)")]
    return []


def _is_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value)


def _check_numeric(q: LocatedDict) -> Problems:
    problems: Problems = []
    if not _is_number(q.get("answer")):
        problems.append((q.line_of("answer"), "answer must be a number"))
    tolerance = q.get("tolerance", 0)
    if not _is_number(tolerance) or tolerance < 0:
        problems.append((q.line_of("tolerance"), "tolerance must be a number of 0 or more"))
    return problems


def _check_matching(q: LocatedDict) -> Problems:
    pairs = q.get("pairs")
    if not isinstance(pairs, list) or not 3 <= len(pairs) <= 8:
        return [(q.line_of("pairs"), "pairs must be a list of 3 to 8 {left, right} items")]
    problems: Problems = []
    for line, pair in zip(pairs.item_lines, pairs, strict=True):
        if not isinstance(pair, dict) or set(pair) != {"left", "right"}:
            problems.append((line, "each pair needs exactly 'left' and 'right'"))
    lefts = [str(p.get("left")) for p in pairs if isinstance(p, dict)]
    rights = [str(p.get("right")) for p in pairs if isinstance(p, dict)]
    if len(set(lefts)) != len(lefts) or len(set(rights)) != len(rights):
        problems.append((q.line_of("pairs"), "left items and right items must each be distinct"))
    if "answer" in q:
        problems.append(
            (q.line_of("answer"), "a matching question has no 'answer': the pairs are the key")
        )
    return problems


QUESTION_TYPES: dict[str, QuestionType] = {
    qt.name: qt
    for qt in [
        QuestionType(
            "single",
            "Pilihan ganda",
            frozenset({"options", "answer"}),
            _check_single,
            lambda q: {"options": _plain_options(q), "answer": str(q["answer"])},
        ),
        QuestionType(
            "multiple",
            "Pilihan ganda kompleks",
            frozenset({"options", "answer", "scoring"}),
            _check_multiple,
            lambda q: {
                "options": _plain_options(q),
                "answer": sorted(str(a) for a in q["answer"]),
                "scoring": q.get("scoring", "all-or-nothing"),
            },
        ),
        QuestionType(
            "truefalse",
            "Benar/salah",
            frozenset({"answer"}),
            _check_truefalse,
            lambda q: {"answer": bool(q["answer"])},
        ),
        QuestionType(
            "short",
            "Isian singkat",
            frozenset({"answer"}),
            _check_short,
            lambda q: {"answer": [str(a) for a in q["answer"]]},
        ),
        QuestionType(
            "numeric",
            "Isian angka",
            frozenset({"answer", "tolerance", "unit"}),
            _check_numeric,
            lambda q: {
                "answer": q["answer"],
                "tolerance": q.get("tolerance", 0),
                "unit": str(q.get("unit", "")),
            },
        ),
        QuestionType(
            "matching",
            "Menjodohkan",
            frozenset({"pairs"}),
            _check_matching,
            lambda q: {"pairs": [[str(p["left"]), str(p["right"])] for p in q["pairs"]]},
        ),
    ]
}


def _plain_options(q: LocatedDict) -> list[list[str]]:
    return [[str(key), str(text)] for key, text in q["options"].items()]
