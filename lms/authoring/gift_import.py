"""Reading a GIFT file into questions (pure: standard library only).

A file is split into questions at blank lines; each question gives its title, text, one answer
block and general feedback, and the comment lines before it give BinaKader's own fields. The
answer block itself is read by lms/authoring/gift_answers.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from lms.authoring.exchange import (
    DEFAULT_TOPIC,
    E_SECOND_BLOCK,
    E_STRAY_BRACE,
    E_UNCLOSED_BRACE,
    E_UNCLOSED_TITLE,
    E_UNKNOWN_DIRECTIVE,
    S_DESCRIPTION,
    S_MISSING_WORD,
    Collector,
    ExchangeQuestion,
    FileProblem,
    ImportResult,
    SkipQuestion,
    default_name,
    slugify,
    topic_from_category,
)
from lms.authoring.exchange_build import build_question
from lms.authoring.gift_answers import read_answers
from lms.authoring.gift_syntax import FORMAT_PREFIX, FORMATS, find, marks, read_text, unescape

_DIRECTIVE = re.compile(r"\$([A-Za-z]+):(.*)", re.DOTALL)
_META = re.compile(r"//\s*(difficulty|objective|unit)\s*:(.*)", re.IGNORECASE)
_GENERAL_FEEDBACK = "####"
#: Where Moodle puts the answer block of a question with text after it ("missing word").
_BLANK = "_____"

Lines = list[tuple[int, str]]


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
            topic = topic_from_category(unescape(directive.group(2)))
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
    line_at = _line_finder(body)
    title, start = _title(raw, line_at)
    opening, closing = _answer_block(raw, start, title, item, line_at)
    stem, stem_format, missing_word = _stem(raw[start:opening], raw[closing + 1 :])
    if not title:
        item.title = default_name(stem)
    block, general = _general_feedback(raw[opening + 1 : closing])
    type_, content, right_feedback = read_answers(
        block, stem_format, lambda position: line_at(opening + 1 + position)
    )
    if missing_word and type_ not in ("single", "short"):
        raise SkipQuestion(S_MISSING_WORD)
    meta = _meta(comments)
    if type_ == "numeric":
        content["unit"] = meta.get("unit", "")
    feedback = _feedback(general, right_feedback, stem_format)
    return build_question(
        type_=type_,
        key=_key(title),
        topic=topic,
        stem=stem,
        feedback=feedback,
        meta=meta,
        content=content,
    )


def _line_finder(body: Lines) -> Callable[[int], int]:
    """The file line of a position in the question's lines joined with newlines."""
    starts = []
    offset = 0
    for _n, line in body:
        starts.append(offset)
        offset += len(line) + 1

    def line_at(position: int) -> int:
        index = max(i for i, start in enumerate(starts) if start <= position)
        return body[index][0]

    return line_at


def _title(raw: str, line_at: Callable[[int], int]) -> tuple[str | None, int]:
    """The ::title:: of a question (None without one), and where its text starts."""
    if not raw.startswith("::"):
        return None, 0
    end = find(raw, "::", 2)
    if end < 0:
        raise FileProblem(line_at(0), E_UNCLOSED_TITLE)
    return unescape(raw[2:end]).strip(), end + 2


def _answer_block(
    raw: str, start: int, title: str | None, item: _Item, line_at: Callable[[int], int]
) -> tuple[int, int]:
    """Where the one answer block of a question opens and closes."""
    braces = sorted([*marks(raw, "{", start), *marks(raw, "}", start)])
    # Until the stem is read, the text before the answers names a question without a title.
    item.title = title or default_name(unescape(raw[start : braces[0] if braces else None]))
    if not braces:
        raise SkipQuestion(S_DESCRIPTION)
    opening = braces[0]
    if raw[opening] == "}":
        raise FileProblem(line_at(opening), E_STRAY_BRACE)
    if len(braces) < 2 or raw[braces[1]] == "{":
        raise FileProblem(line_at(opening), E_UNCLOSED_BRACE)
    if len(braces) > 2:
        third = braces[2]
        raise FileProblem(line_at(third), E_SECOND_BLOCK if raw[third] == "{" else E_STRAY_BRACE)
    return opening, braces[1]


def _stem(before: str, after: str) -> tuple[str, str, bool]:
    """The question text, its format, and whether the answer block stands inside the text."""
    missing_word = bool(after.strip())
    stem_raw = ((before + _BLANK + after) if missing_word else before).strip()
    prefix = FORMAT_PREFIX.match(stem_raw)
    stem_format = FORMATS[prefix.group(1)] if prefix else "moodle_auto_format"
    return read_text(stem_raw, stem_format), stem_format, missing_word


def _general_feedback(block: str) -> tuple[str, str | None]:
    """The answers of a block, and the general feedback after its last ####, as Moodle reads."""
    separators = list(marks(block, _GENERAL_FEEDBACK))
    if not separators:
        return block, None
    last = separators[-1]
    return block[:last], block[last + len(_GENERAL_FEEDBACK) :]


def _feedback(general: str | None, right_feedback: list[str], text_format: str) -> str:
    """The general feedback, or else the feedback of the right answers."""
    feedback = read_text(general, text_format) if general is not None else ""
    if feedback:
        return feedback
    texts = (read_text(raw_feedback, text_format) for raw_feedback in right_feedback)
    return "\n\n".join(text for text in texts if text)


def _key(title: str | None) -> str | None:
    return (slugify(title) or None) if title else None


def _meta(comments: list[str]) -> dict[str, str]:
    meta = {}
    for comment in comments:
        found = _META.match(comment)
        if found:
            meta[found.group(1).lower()] = unescape(found.group(2)).strip()
    return meta
