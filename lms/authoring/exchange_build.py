"""A question read from a GIFT or Moodle XML file, made a BinaKader question (pure).

Both formats read a question into the same loose shape and hand it to `build_question`, which
checks it against what BinaKader can hold and gives it the exact type data of
lms/content/question_types.py. Only the standard library and that module are used.
"""

from __future__ import annotations

import string
from typing import Any

from lms.authoring.exchange import (
    DEFAULT_DIFFICULTY,
    DIFFICULTIES,
    S_DIFFICULTY,
    S_EMPTY_OPTION,
    S_EMPTY_STEM,
    S_OPTION_COUNT,
    S_PAIR_COUNT,
    S_PAIRS_DISTINCT,
    ExchangeQuestion,
    SkipQuestion,
    quote,
)
from lms.content.question_types import QUESTION_TYPES

#: Option ids are given in file order, as a content author would write them.
OPTION_IDS = string.ascii_lowercase
#: The option and pair counts that lms/content/question_types.py accepts; checked here first
#: only to give an Indonesian reason (its own checks still run on every imported question).
CHOICE_LIMITS = {"single": (2, 6), "multiple": (3, 8)}
PAIR_LIMITS = (3, 8)

#: What a format reads from the answers of a question: the type, `content` as build_question
#: takes it, and the feedback of the right answers (the question's feedback when it has none).
Answers = tuple[str, dict[str, Any], list[str]]


class _Fields(dict):
    """Just enough of yamlnodes.LocatedDict for the content checks: imports have no lines."""

    line = 0
    key_lines: dict[str, int] = {}

    def line_of(self, key: str) -> int:
        return 0


class _Items(list):
    line = 0

    @property
    def item_lines(self) -> list[int]:
        return [0] * len(self)


def build_question(
    *,
    type_: str,
    key: str | None,
    topic: str,
    stem: str,
    feedback: str,
    meta: dict[str, str],
    content: dict[str, Any],
) -> ExchangeQuestion:
    """Check a question read from a file and give it BinaKader's exact type data.

    `content` is the type data in the shape of a content file, except that choice options are a
    list of texts and keys are indexes into it (ids are given here): single {options, answer},
    multiple {options, answer, scoring}, truefalse/short/numeric as in a content file, matching
    {pairs: [(left, right), ...]}.
    """
    if not stem:
        raise SkipQuestion(S_EMPTY_STEM)
    difficulty = meta.get("difficulty", DEFAULT_DIFFICULTY)
    if difficulty not in DIFFICULTIES:
        raise SkipQuestion(S_DIFFICULTY, value=quote(difficulty))
    fields = _type_fields(type_, content)
    question_type = QUESTION_TYPES[type_]
    # The content checks stay the final word, so an import can never hold what a file cannot.
    problems = question_type.problems(fields)
    if problems:
        _line, message, params = problems[0]  # its own msgid, so it is shown translated
        raise SkipQuestion(message, **params)
    return ExchangeQuestion(
        key=key,
        type=type_,
        topic=topic,
        stem=stem,
        feedback=feedback,
        data=question_type.extract(fields),
        difficulty=difficulty,
        objective=meta.get("objective") or None,
    )


def _type_fields(type_: str, content: dict[str, Any]) -> Any:
    """The type data in the shape of a content file, as the content checks read it."""
    if type_ in CHOICE_LIMITS:
        return _choice_fields(type_, content)
    if type_ == "matching":
        return _matching_fields(content["pairs"])
    if type_ == "short" and not all(content["answer"]):
        raise SkipQuestion(S_EMPTY_OPTION)
    return _Fields(content)


def _choice_fields(type_: str, content: dict[str, Any]) -> _Fields:
    options = content["options"]
    low, high = CHOICE_LIMITS[type_]
    if not low <= len(options) <= high:
        raise SkipQuestion(S_OPTION_COUNT, low=low, high=high, count=len(options))
    if not all(options):
        raise SkipQuestion(S_EMPTY_OPTION)
    fields = _Fields(options=_Fields(zip(OPTION_IDS, options, strict=False)))
    answer = content["answer"]
    if type_ == "single":
        fields["answer"] = OPTION_IDS[answer]
    else:
        fields["answer"] = [OPTION_IDS[i] for i in answer]
        fields["scoring"] = content["scoring"]
    return fields


def _matching_fields(pairs: list[tuple[str, str]]) -> _Fields:
    low, high = PAIR_LIMITS
    if not low <= len(pairs) <= high:
        raise SkipQuestion(S_PAIR_COUNT, low=low, high=high, count=len(pairs))
    lefts, rights = {left for left, _ in pairs}, {right for _, right in pairs}
    if len(lefts) != len(pairs) or len(rights) != len(pairs):
        raise SkipQuestion(S_PAIRS_DISTINCT)
    return _Fields(pairs=_Items(_Fields(left=left, right=right) for left, right in pairs))
