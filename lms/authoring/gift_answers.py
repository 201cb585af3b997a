"""The answer block {...} of a GIFT question: its type and answers (pure: standard library only).

The type is told by the answers, as Moodle's GIFT importer tells it: `#` numeric, `~` choice,
`=` with `->` matching, T/F true-false, `=` alone short answer. An answer that starts with
neither `=` nor `~` is an error here, where Moodle would guess.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lms.authoring.exchange import (
    E_EMPTY_ANSWER,
    E_MATCHING_ARROW,
    E_NOT_A_NUMBER,
    E_UNKNOWN_PREFIX,
    S_DISTRACTOR,
    S_ESSAY,
    S_NEGATIVE_TOLERANCE,
    S_NO_RIGHT,
    S_NUMERIC_ANSWERS,
    S_WILDCARD,
    FileProblem,
    SkipQuestion,
    quote,
)
from lms.authoring.exchange_build import Answers
from lms.authoring.exchange_weights import accepted, choice_kind, parse_number
from lms.authoring.gift_syntax import cut, find, marks, read_text, read_weight, split, unescape

_TRUEFALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}

#: The file line of a position in the block.
LineAt = Callable[[int], int]


def read_answers(block: str, text_format: str, at: LineAt) -> Answers:
    """Type, content-file data and raw feedback of the right answers, from an answer block."""
    stripped = block.strip()
    lead = len(block) - len(block.lstrip())
    if not stripped:
        raise SkipQuestion(S_ESSAY)
    if stripped.startswith("#"):
        return _numeric(stripped[1:], lambda p: at(lead + 1 + p))
    if find(stripped, "~") >= 0:
        return _choice(block, text_format, at)
    has_equals = find(stripped, "=") >= 0
    if has_equals and find(stripped, "->") >= 0:
        return _matching(block, text_format, at)
    answer, _wrong = cut(stripped, "#")
    if answer.strip().upper() in _TRUEFALSE:
        # {T#feedback if wrong#feedback if right}
        hashes = list(marks(stripped, "#"))
        right = stripped[hashes[1] + 1 :] if len(hashes) > 1 else ""
        return "truefalse", {"answer": _TRUEFALSE[answer.strip().upper()]}, [right]
    if has_equals:
        return _short(block, text_format, at)
    raise FileProblem(at(lead), E_UNKNOWN_PREFIX, text=quote(unescape(stripped)))


def _prefixed(block: str, separators: str, at: LineAt) -> list[tuple[int, str]]:
    """The answers of a block, each starting with one of `separators`; text before one is bad."""
    head, pieces = split(block, separators)
    if head.strip():
        lead = len(head) - len(head.lstrip())
        raise FileProblem(at(lead), E_UNKNOWN_PREFIX, text=quote(unescape(head)))
    return pieces


def _choice(block: str, text_format: str, at: LineAt) -> Answers:
    options, weights, feedback = [], [], []
    answers = _prefixed(block, "=~", at)
    for start, piece in answers:
        rest = piece[1:].strip()
        weight, rest = read_weight(rest, 0.0) if piece[0] == "~" else (100.0, rest)
        text, answer_feedback = cut(rest, "#")
        option = read_text(text, text_format)
        if not option:
            raise FileProblem(at(start), E_EMPTY_ANSWER)
        options.append(option)
        weights.append(weight)
        feedback.append(answer_feedback or "")
    # As in Moodle: "=" marks the one right answer, weights alone make a multiple response.
    single = any(piece[0] == "=" for _start, piece in answers)
    type_, keys, scoring = choice_kind(weights, single)
    content: dict[str, Any] = {"options": options, "answer": keys[0] if single else keys}
    if scoring:
        content["scoring"] = scoring
    return type_, content, [feedback[i] for i in keys]


def _short(block: str, text_format: str, at: LineAt) -> Answers:
    weighted = []
    for start, piece in _prefixed(block, "=", at):
        weight, rest = read_weight(piece[1:].strip(), 100.0)
        text, answer_feedback = cut(rest, "#")
        weighted.append((weight, (start, text, answer_feedback or "")))
    answers, feedback = [], []
    for start, text, answer_feedback in accepted(weighted):
        if find(text, "*") >= 0:  # Moodle's wildcard; \* is a plain asterisk
            raise SkipQuestion(S_WILDCARD)
        answer = read_text(text, text_format, extra="*>")
        if not answer:
            raise FileProblem(at(start), E_EMPTY_ANSWER)
        answers.append(answer)
        feedback.append(answer_feedback)
    if not answers:
        raise SkipQuestion(S_NO_RIGHT)
    return "short", {"answer": answers}, feedback[:1]


def _numeric(body: str, at: LineAt) -> Answers:
    wrong = find(body, "~")  # Moodle: what follows ~ is feedback for any other number
    if wrong >= 0:
        body = body[:wrong]
    head, pieces = split(body, "=")
    weighted = []
    for answer in [head] + [piece[1:] for _start, piece in pieces]:
        rest = answer.strip()
        if not rest:
            continue
        weight, rest = read_weight(rest, 100.0)
        value, answer_feedback = cut(rest, "#")
        weighted.append((weight, (value, answer_feedback or "")))
    if not weighted:
        raise FileProblem(at(0), E_EMPTY_ANSWER)
    right = accepted(weighted)
    if len(right) != 1:
        raise SkipQuestion(S_NUMERIC_ANSWERS, count=len(right))
    value_raw, answer_feedback = right[0]
    answer, tolerance = _number(unescape(value_raw).strip(), at)
    if tolerance < 0:
        raise SkipQuestion(S_NEGATIVE_TOLERANCE)
    return "numeric", {"answer": answer, "tolerance": tolerance}, [answer_feedback]


def _number(value_text: str, at: LineAt) -> tuple[int | float, int | float]:
    """Answer and tolerance of a numeric answer written `value:tolerance` or `low..high`."""
    if value_text.find("..") > 0:  # low..high
        low_text, high_text = value_text.split("..", 1)
        low, high = parse_number(low_text), parse_number(high_text)
        if low is None or high is None:
            raise FileProblem(at(0), E_NOT_A_NUMBER, text=quote(value_text))
        total = low + high
        answer = total // 2 if isinstance(total, int) and total % 2 == 0 else total / 2
        return answer, high - answer
    answer_text, colon, tolerance_text = value_text.partition(":")
    value = parse_number(answer_text)
    tolerance = parse_number(tolerance_text) if colon else 0
    if value is None or tolerance is None:
        raise FileProblem(at(0), E_NOT_A_NUMBER, text=quote(value_text))
    return value, tolerance


def _matching(block: str, text_format: str, at: LineAt) -> Answers:
    pairs = []
    for start, piece in _prefixed(block, "=", at):
        # Moodle reads no feedback in a matching pair: a # there is text.
        rest = piece[1:]
        arrow = find(rest, "->")
        if arrow < 0:
            raise FileProblem(at(start), E_MATCHING_ARROW)
        left = read_text(rest[:arrow], text_format, extra=">")
        right = unescape(rest[arrow + 2 :], extra=">").strip()
        if not left:
            raise SkipQuestion(S_DISTRACTOR)
        if not right:
            raise FileProblem(at(start), E_EMPTY_ANSWER)
        pairs.append((left, right))
    return "matching", {"pairs": pairs}, []
