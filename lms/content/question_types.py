"""Question types: what each needs in a content file and what is kept of it (pure).

Adding a type means adding one entry to QUESTION_TYPES.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lms.content.yamlnodes import LocatedDict

#: A problem: (line, Bahasa Indonesia msgid, its %(name)s parameters).
Found = tuple[int, str, dict[str, Any]]
Problems = list[Found]


def N_(message: str) -> str:
    """Mark a message for the translation catalogue without translating it here (pure module)."""
    return message


def _at(line: int, message: str, /, **params: Any) -> Found:
    return (line, message, params)


@dataclass(frozen=True)
class QuestionType:
    name: str
    label: str
    #: Fields this type allows besides the common ones.
    fields: frozenset[str]
    #: Checks the type-specific fields; returns (line, msgid, params) problems.
    problems: Callable[[LocatedDict], Problems]
    #: The type-specific data kept in the database (options, key, pairs, ...).
    extract: Callable[[LocatedDict], dict[str, Any]]

    def check(self, q: LocatedDict) -> list[tuple[int, str]]:
        """The problems as (line, text in Bahasa Indonesia), for callers that only show them."""
        return [
            (line, message % params if params else message)
            for line, message, params in self.problems(q)
        ]


def _options(q: LocatedDict, low: int, high: int, problems: Problems) -> dict[str, str]:
    options = q.get("options")
    if not isinstance(options, dict) or not options:
        message = N_("'options' harus berisi id pilihan dan teksnya (a: ...)")
        problems.append(_at(q.line_of("options"), message))
        return {}
    if not low <= len(options) <= high:
        message = N_("perlu %(low)d sampai %(high)d pilihan, ada %(count)d")
        problems.append(_at(q.line_of("options"), message, low=low, high=high, count=len(options)))
    for key, text in options.items():
        if not isinstance(text, str | int | float) or not str(text).strip():
            message = N_("pilihan '%(option)s' tidak punya teks")
            problems.append(_at(options.line_of(key), message, option=key))
    return {str(key): str(text) for key, text in options.items()}


def _check_single(q: LocatedDict) -> Problems:
    problems: Problems = []
    options = _options(q, 2, 6, problems)
    answer = q.get("answer")
    if isinstance(answer, list):
        message = N_(
            "soal pilihan ganda hanya punya satu kunci; untuk beberapa kunci pakai type 'multiple'"
        )
        problems.append(_at(q.line_of("answer"), message))
    elif options and str(answer) not in options:
        problems.append(_not_an_option(q, answer, options))
    return problems


def _not_an_option(q: LocatedDict, answer: Any, options: dict[str, str]) -> Found:
    message = N_("jawaban '%(answer)s' tidak ada di antara pilihan (%(options)s)")
    return _at(q.line_of("answer"), message, answer=answer, options=", ".join(options))


def _check_multiple(q: LocatedDict) -> Problems:
    problems: Problems = []
    options = _options(q, 3, 8, problems)
    answer = q.get("answer")
    if not isinstance(answer, list) or not answer:
        message = N_("'answer' harus berupa daftar id pilihan, misalnya [a, c]")
        problems.append(_at(q.line_of("answer"), message))
        return problems
    for key in answer:
        if options and str(key) not in options:
            problems.append(_not_an_option(q, key, options))
    if len(set(map(str, answer))) != len(answer):
        problems.append(_at(q.line_of("answer"), N_("'answer' menyebut satu pilihan dua kali")))
    if q.get("scoring", "all-or-nothing") not in ("all-or-nothing", "partial"):
        message = N_("'scoring' harus 'all-or-nothing' atau 'partial'")
        problems.append(_at(q.line_of("scoring"), message))
    return problems


def _check_truefalse(q: LocatedDict) -> Problems:
    if not isinstance(q.get("answer"), bool):
        return [_at(q.line_of("answer"), N_("'answer' harus true atau false"))]
    return []


def _check_short(q: LocatedDict) -> Problems:
    answer = q.get("answer")
    if (
        not isinstance(answer, list)
        or not answer
        or not all(isinstance(a, str | int | float) and str(a).strip() for a in answer)
    ):
        message = N_("'answer' harus berupa daftar jawaban yang diterima (teks)")
        return [_at(q.line_of("answer"), message)]
    return []


def _is_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value)


def _check_numeric(q: LocatedDict) -> Problems:
    problems: Problems = []
    if not _is_number(q.get("answer")):
        problems.append(_at(q.line_of("answer"), N_("'answer' harus berupa angka")))
    tolerance = q.get("tolerance", 0)
    if not _is_number(tolerance) or tolerance < 0:
        message = N_("'tolerance' harus angka 0 atau lebih")
        problems.append(_at(q.line_of("tolerance"), message))
    return problems


def _check_matching(q: LocatedDict) -> Problems:
    pairs = q.get("pairs")
    if not isinstance(pairs, list) or not 3 <= len(pairs) <= 8:
        message = N_("'pairs' harus berupa daftar 3 sampai 8 pasangan {left, right}")
        return [_at(q.line_of("pairs"), message)]
    problems: Problems = []
    for line, pair in zip(pairs.item_lines, pairs, strict=True):
        if not isinstance(pair, dict) or set(pair) != {"left", "right"}:
            problems.append(_at(line, N_("setiap pasangan harus berisi tepat 'left' dan 'right'")))
    lefts = [str(p.get("left")) for p in pairs if isinstance(p, dict)]
    rights = [str(p.get("right")) for p in pairs if isinstance(p, dict)]
    if len(set(lefts)) != len(lefts) or len(set(rights)) != len(rights):
        message = N_("setiap 'left' harus berbeda satu sama lain, begitu juga setiap 'right'")
        problems.append(_at(q.line_of("pairs"), message))
    if "answer" in q:
        message = N_("soal menjodohkan tidak memakai 'answer': pasangan itulah kuncinya")
        problems.append(_at(q.line_of("answer"), message))
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
