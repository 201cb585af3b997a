"""GIFT, Moodle's plain-text question format: import and export (pure: standard library only).

What is read follows Moodle's own GIFT importer (question/format/gift/format.php): questions are
separated by blank lines, `//` starts a comment line, `::title::`, `$CATEGORY: path`, one answer
block `{...}` per question and the escapes \\~ \\= \\# \\{ \\} \\: \\n. It is stricter in one way:
an answer block whose answers do not start with `=` or `~` is an error, where Moodle would guess.

BinaKader's own fields travel as comment lines before the question, which Moodle ignores:
`// difficulty: sulit`, `// objective: bkb-kka` and, for numeric questions, `// unit: kg`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from typing import Any

from lms.authoring.exchange import (
    DEFAULT_TOPIC,
    E_EMPTY_ANSWER,
    E_MATCHING_ARROW,
    E_NOT_A_NUMBER,
    E_SECOND_BLOCK,
    E_STRAY_BRACE,
    E_UNCLOSED_BRACE,
    E_UNCLOSED_TITLE,
    E_UNKNOWN_DIRECTIVE,
    E_UNKNOWN_PREFIX,
    S_DESCRIPTION,
    S_DISTRACTOR,
    S_ESSAY,
    S_MISSING_WORD,
    S_NEGATIVE_TOLERANCE,
    S_NO_RIGHT,
    S_NUMERIC_ANSWERS,
    S_WILDCARD,
    Collector,
    ExchangeQuestion,
    FileProblem,
    ImportResult,
    SkipQuestion,
    accepted,
    build_question,
    category_path,
    choice_kind,
    default_name,
    format_number,
    key_weights,
    parse_number,
    quote,
    rich_text,
    slugify,
    topic_from_category,
)

_FORMATS = {"html": "html", "markdown": "markdown", "moodle": "moodle_auto_format",
            "plain": "plain_text"}  # fmt: skip
_FORMAT_PREFIX = re.compile(r"\[(html|markdown|moodle|plain)\]")
#: Moodle reads a weight such as %50% or %-33.33333% at the start of an answer.
_WEIGHT = re.compile(r"%(-?\d+(?:\.\d*)?)%")
_DIRECTIVE = re.compile(r"\$([A-Za-z]+):(.*)", re.DOTALL)
_META = re.compile(r"//\s*(difficulty|objective|unit)\s*:(.*)", re.IGNORECASE)
_TRUEFALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_GENERAL_FEEDBACK = "####"
#: Where Moodle puts the answer block of a question with text after it ("missing word").
_BLANK = "_____"

Lines = list[tuple[int, str]]


# --- Escapes -----------------------------------------------------------------------------------
# Parsing works on the raw text and looks only for unescaped marks; texts are unescaped last.


def _marks(raw: str, target: str, start: int = 0) -> Iterable[int]:
    i = start
    while i < len(raw):
        if raw[i] == "\\":
            i += 2
        elif raw.startswith(target, i):
            yield i
            i += 1
        else:
            i += 1


def _find(raw: str, target: str, start: int = 0) -> int:
    return next(iter(_marks(raw, target, start)), -1)


def _cut(raw: str, target: str) -> tuple[str, str | None]:
    at = _find(raw, target)
    return (raw, None) if at < 0 else (raw[:at], raw[at + len(target) :])


def _split(raw: str, separators: str) -> tuple[str, list[tuple[int, str]]]:
    """The text before the first unescaped separator, and the pieces starting at each one."""
    cuts = sorted({i for sep in separators for i in _marks(raw, sep)})
    bounds = [*cuts, len(raw)]
    pieces = [(start, raw[start:end]) for start, end in itertools.pairwise(bounds)]
    return raw[: bounds[0]], pieces


def _unescape(raw: str, extra: str = "") -> str:
    """Resolve GIFT escapes; `extra` are the marks BinaKader escapes in some answers (* and >)."""
    out = []
    i = 0
    while i < len(raw):
        char = raw[i]
        if char == "\\" and i + 1 < len(raw):
            following = raw[i + 1]
            if following == "n":
                out.append("\n")
            elif following in "\\~=#{}:" + extra:
                out.append(following)
            else:  # not an escape: Moodle keeps the backslash
                out.append(char + following)
            i += 2
        else:
            out.append(char)
            i += 1
    return "".join(out)


def _escape(text: str, extra: str = "") -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\\", "\\\\")
    text = text.replace("\n", "\\n")
    for char in "~=#{}:" + extra:
        text = text.replace(char, "\\" + char)
    return text


def _text(raw: str, default_format: str, extra: str = "") -> str:
    """A text field: an optional [format] prefix, escapes, then HTML turned into text."""
    raw = raw.strip()
    text_format = default_format
    prefix = _FORMAT_PREFIX.match(raw)
    if prefix:
        text_format = _FORMATS[prefix.group(1)]
        raw = raw[prefix.end() :]
    return rich_text(_unescape(raw, extra), text_format)


# --- Import ------------------------------------------------------------------------------------


def parse_gift(text: str) -> ImportResult:
    """Read a GIFT file. Never raises for bad input: problems are in the result."""
    collector = Collector()
    topic = DEFAULT_TOPIC
    number = 0
    for chunk in _chunks(text):
        comments = [line for _n, line in chunk if line.startswith("//")]
        body = [(n, line) for n, line in chunk if not line.startswith("//")]
        directive = _DIRECTIVE.match(body[0][1]) if body else None
        if directive and directive.group(1).upper() != "CATEGORY":
            problem = FileProblem(body[0][0], E_UNKNOWN_DIRECTIVE, directive=f"${directive[1]}:")
            collector.error(problem)
            continue
        if directive:
            topic = topic_from_category(_unescape(directive.group(2)))
            # Moodle wants a blank line after $CATEGORY; a question right below it is still read.
            body = body[1:]
        if not body:
            continue
        number += 1
        item = _Item(body[0][0])
        try:
            collector.questions.append(_question(body, comments, topic, item))
        except SkipQuestion as reason:
            collector.skip(number, item.title, item.line, reason)
        except FileProblem as problem:
            collector.error(problem)
    return collector.result()


def _chunks(text: str) -> Iterable[Lines]:
    """Questions: runs of non-blank lines, each line stripped as Moodle does."""
    chunk: Lines = []
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        if line.strip():
            chunk.append((number, line.strip()))
        elif chunk:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Item:
    """Where a question is, for its Skipped entry; the title is known once the text is read."""

    def __init__(self, line: int) -> None:
        self.line = line
        self.title = ""


def _question(body: Lines, comments: list[str], topic: str, item: _Item) -> ExchangeQuestion:
    raw = "\n".join(line for _n, line in body)
    starts = []
    offset = 0
    for _n, line in body:
        starts.append(offset)
        offset += len(line) + 1

    def line_at(position: int) -> int:
        index = max(i for i, start in enumerate(starts) if start <= position)
        return body[index][0]

    start, title = 0, None
    if raw.startswith("::"):
        end = _find(raw, "::", 2)
        if end < 0:
            raise FileProblem(line_at(0), E_UNCLOSED_TITLE)
        title = _unescape(raw[2:end]).strip()
        start = end + 2
    braces = sorted([*_marks(raw, "{", start), *_marks(raw, "}", start)])
    # Until the stem is read, the text before the answers names a question without a title.
    item.title = title or default_name(_unescape(raw[start : braces[0] if braces else None]))
    if not braces:
        raise SkipQuestion(S_DESCRIPTION)
    opening = braces[0]
    if raw[opening] == "}":
        raise FileProblem(line_at(opening), E_STRAY_BRACE)
    if len(braces) < 2 or raw[braces[1]] == "{":
        raise FileProblem(line_at(opening), E_UNCLOSED_BRACE)
    closing = braces[1]
    if len(braces) > 2:
        third = braces[2]
        raise FileProblem(line_at(third), E_SECOND_BLOCK if raw[third] == "{" else E_STRAY_BRACE)

    before, after = raw[start:opening], raw[closing + 1 :]
    missing_word = bool(after.strip())
    stem_raw = (before + _BLANK + after) if missing_word else before
    stem_raw = stem_raw.strip()
    stem_format = "moodle_auto_format"
    prefix = _FORMAT_PREFIX.match(stem_raw)
    if prefix:
        stem_format = _FORMATS[prefix.group(1)]
    stem = _text(stem_raw, stem_format)
    if not title:
        item.title = default_name(stem)

    block = raw[opening + 1 : closing]
    general = None
    separators = list(_marks(block, _GENERAL_FEEDBACK))
    if separators:  # the last one, as Moodle does
        general = block[separators[-1] + len(_GENERAL_FEEDBACK) :]
        block = block[: separators[-1]]

    def at(position: int) -> int:
        return line_at(opening + 1 + position)

    type_, content, right_feedback = _answers(block, stem_format, at)
    if missing_word and type_ not in ("single", "short"):
        raise SkipQuestion(S_MISSING_WORD)
    meta = _meta(comments)
    if type_ == "numeric":
        content["unit"] = meta.get("unit", "")
    feedback = _text(general, stem_format) if general is not None else ""
    if not feedback:
        texts = (_text(raw_feedback, stem_format) for raw_feedback in right_feedback)
        feedback = "\n\n".join(text for text in texts if text)
    return build_question(
        type_=type_,
        key=_key(title),
        topic=topic,
        stem=stem,
        feedback=feedback,
        meta=meta,
        content=content,
    )


def _key(title: str | None) -> str | None:
    return (slugify(title) or None) if title else None


def _meta(comments: list[str]) -> dict[str, str]:
    meta = {}
    for comment in comments:
        found = _META.match(comment)
        if found:
            meta[found.group(1).lower()] = _unescape(found.group(2)).strip()
    return meta


def _answers(
    block: str, text_format: str, at: Callable[[int], int]
) -> tuple[str, dict[str, Any], list[str]]:
    """Type, content-file data and raw feedback of the right answers, from an answer block."""
    stripped = block.strip()
    lead = len(block) - len(block.lstrip())
    if not stripped:
        raise SkipQuestion(S_ESSAY)
    if stripped.startswith("#"):
        return _numeric(stripped[1:], lambda p: at(lead + 1 + p))
    if _find(stripped, "~") >= 0:
        return _choice(block, text_format, at)
    has_equals = _find(stripped, "=") >= 0
    if has_equals and _find(stripped, "->") >= 0:
        return _matching(block, text_format, at)
    answer, _wrong = _cut(stripped, "#")
    if answer.strip().upper() in _TRUEFALSE:
        # {T#feedback if wrong#feedback if right}
        hashes = list(_marks(stripped, "#"))
        right = stripped[hashes[1] + 1 :] if len(hashes) > 1 else ""
        return "truefalse", {"answer": _TRUEFALSE[answer.strip().upper()]}, [right]
    if has_equals:
        return _short(block, text_format, at)
    raise FileProblem(at(lead), E_UNKNOWN_PREFIX, text=quote(_unescape(stripped)))


def _prefixed(block: str, separators: str, at: Callable[[int], int]) -> list[tuple[int, str]]:
    """The answers of a block, each starting with one of `separators`; text before one is bad."""
    head, pieces = _split(block, separators)
    if head.strip():
        lead = len(head) - len(head.lstrip())
        raise FileProblem(at(lead), E_UNKNOWN_PREFIX, text=quote(_unescape(head)))
    return pieces


def _choice(
    block: str, text_format: str, at: Callable[[int], int]
) -> tuple[str, dict[str, Any], list[str]]:
    options, weights, feedback = [], [], []
    answers = _prefixed(block, "=~", at)
    for start, piece in answers:
        rest = piece[1:].strip()
        weight = 100.0 if piece[0] == "=" else 0.0
        found = _WEIGHT.match(rest) if piece[0] == "~" else None
        if found:
            weight, rest = float(found.group(1)), rest[found.end() :]
        text, answer_feedback = _cut(rest, "#")
        option = _text(text, text_format)
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


def _short(
    block: str, text_format: str, at: Callable[[int], int]
) -> tuple[str, dict[str, Any], list[str]]:
    weighted = []
    for start, piece in _prefixed(block, "=", at):
        rest = piece[1:].strip()
        weight = 100.0
        found = _WEIGHT.match(rest)
        if found:
            weight, rest = float(found.group(1)), rest[found.end() :]
        text, answer_feedback = _cut(rest, "#")
        weighted.append((weight, (start, text, answer_feedback or "")))
    answers, feedback = [], []
    for start, text, answer_feedback in accepted(weighted):
        if _find(text, "*") >= 0:  # Moodle's wildcard; \* is a plain asterisk
            raise SkipQuestion(S_WILDCARD)
        answer = _text(text, text_format, extra="*>")
        if not answer:
            raise FileProblem(at(start), E_EMPTY_ANSWER)
        answers.append(answer)
        feedback.append(answer_feedback)
    if not answers:
        raise SkipQuestion(S_NO_RIGHT)
    return "short", {"answer": answers}, feedback[:1]


def _numeric(body: str, at: Callable[[int], int]) -> tuple[str, dict[str, Any], list[str]]:
    wrong = _find(body, "~")  # Moodle: what follows ~ is feedback for any other number
    if wrong >= 0:
        body = body[:wrong]
    head, pieces = _split(body, "=")
    answers = [head] + [piece[1:] for _start, piece in pieces]
    weighted = []
    for answer in answers:
        rest = answer.strip()
        if not rest:
            continue
        weight = 100.0
        found = _WEIGHT.match(rest)
        if found:
            weight, rest = float(found.group(1)), rest[found.end() :]
        value, answer_feedback = _cut(rest, "#")
        weighted.append((weight, (value, answer_feedback or "")))
    if not weighted:
        raise FileProblem(at(0), E_EMPTY_ANSWER)
    right = accepted(weighted)
    if len(right) != 1:
        raise SkipQuestion(S_NUMERIC_ANSWERS, count=len(right))
    value_raw, answer_feedback = right[0]
    value_text = _unescape(value_raw).strip()
    answer: int | float | None
    if value_text.find("..") > 0:  # low..high
        low_text, high_text = value_text.split("..", 1)
        low, high = parse_number(low_text), parse_number(high_text)
        if low is None or high is None:
            raise FileProblem(at(0), E_NOT_A_NUMBER, text=quote(value_text))
        total = low + high
        answer = total // 2 if isinstance(total, int) and total % 2 == 0 else total / 2
        tolerance = high - answer
    else:
        answer_text, _colon, tolerance_text = value_text.partition(":")
        answer = parse_number(answer_text)
        parsed = parse_number(tolerance_text) if _colon else 0
        if answer is None or parsed is None:
            raise FileProblem(at(0), E_NOT_A_NUMBER, text=quote(value_text))
        tolerance = parsed
    if tolerance < 0:
        raise SkipQuestion(S_NEGATIVE_TOLERANCE)
    return "numeric", {"answer": answer, "tolerance": tolerance}, [answer_feedback]


def _matching(
    block: str, text_format: str, at: Callable[[int], int]
) -> tuple[str, dict[str, Any], list[str]]:
    pairs = []
    for start, piece in _prefixed(block, "=", at):
        # Moodle reads no feedback in a matching pair: a # there is text.
        rest = piece[1:]
        arrow = _find(rest, "->")
        if arrow < 0:
            raise FileProblem(at(start), E_MATCHING_ARROW)
        left = _text(rest[:arrow], text_format, extra=">")
        right = _unescape(rest[arrow + 2 :], extra=">").strip()
        if not left:
            raise SkipQuestion(S_DISTRACTOR)
        if not right:
            raise FileProblem(at(start), E_EMPTY_ANSWER)
        pairs.append((left, right))
    return "matching", {"pairs": pairs}, []


# --- Export ------------------------------------------------------------------------------------


def export_gift(questions: Iterable[ExchangeQuestion]) -> str:
    """A GIFT file of the questions, with a $CATEGORY line whenever the topic changes."""
    blocks = []
    topic = None
    for question in questions:
        if question.topic != topic:
            topic = question.topic
            blocks.append(f"$CATEGORY: {category_path(topic)}\n")
        blocks.append(_write(question))
    return "\n".join(blocks)


def _protect(text: str, text_format: str) -> str:
    # A text that itself starts like "[html]" would lose those characters to the format prefix.
    return f"[{text_format}]{text}" if _FORMAT_PREFIX.match(text) else text


def _write(question: ExchangeQuestion) -> str:
    data = question.data
    lines = [f"// difficulty: {question.difficulty}"]
    if question.objective:
        lines.append(f"// objective: {_escape(question.objective)}")
    if question.type == "numeric" and data["unit"]:
        lines.append(f"// unit: {_escape(data['unit'])}")
    title = f"::{_escape(question.key)}::" if question.key else ""
    head = f"{title}[markdown]{_escape(question.stem)} {{"
    feedback = ""
    if question.feedback:
        feedback = "####" + _escape(_protect(question.feedback, "markdown"))
    if question.type == "truefalse":
        lines.append(f"{head}{'TRUE' if data['answer'] else 'FALSE'}{feedback}}}")
    elif question.type == "numeric":
        number = f"{format_number(data['answer'])}:{format_number(data['tolerance'])}"
        lines.append(f"{head}#{number}{feedback}}}")
    else:
        lines.append(head)
        lines.extend(f"\t{answer}" for answer in _answer_lines(question))
        if feedback:
            lines.append(f"\t{feedback}")
        lines.append("}")
    return "\n".join(lines) + "\n"


def _arrowless(text: str, extra: str = "") -> str:
    # Moodle takes an answer block with "->" for a matching question and splits a pair at the
    # first "->"; BinaKader writes "-\\>" instead (Moodle then shows the backslash).
    return _escape(text, extra).replace("->", "-\\>")


def _answer_lines(question: ExchangeQuestion) -> list[str]:
    data = question.data
    if question.type == "single":
        # [plain]: options are plain text in BinaKader, and the prefix also keeps a text
        # starting with % or [ from being read as a weight or a format.
        return [
            ("=" if option_id == data["answer"] else "~") + "[plain]" + _escape(text)
            for option_id, text in data["options"]
        ]
    if question.type == "multiple":
        right, wrong = key_weights(len(data["answer"]), data["scoring"] == "partial")
        return [
            f"~%{right if option_id in data['answer'] else wrong}%[plain]{_escape(text)}"
            for option_id, text in data["options"]
        ]
    if question.type == "short":
        # * is Moodle's wildcard and "->" would make the block a matching question.
        lines = []
        for answer in data["answer"]:
            text = _arrowless(_protect(answer, "plain"), extra="*")
            lines.append(("=%100%" if text.startswith("%") else "=") + text)
        return lines
    if question.type == "matching":
        pairs = data["pairs"]
        return [f"=[plain]{_arrowless(left)} -> {_arrowless(right)}" for left, right in pairs]
    raise ValueError(f"question type {question.type!r} cannot be exported")
