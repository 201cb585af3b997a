"""GIFT's marks, escapes and text prefixes, for reading and writing (pure: standard library only).

Parsing works on the raw text and looks only for unescaped marks; texts are unescaped last.
Writing escapes every mark, so a text can hold any character.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from lms.authoring.exchange_text import rich_text

FORMATS = {"html": "html", "markdown": "markdown", "moodle": "moodle_auto_format",
           "plain": "plain_text"}  # fmt: skip
FORMAT_PREFIX = re.compile(r"\[(html|markdown|moodle|plain)\]")
#: Moodle reads a weight such as %50% or %-33.33333% at the start of an answer.
_WEIGHT = re.compile(r"%(-?\d+(?:\.\d*)?)%")


def marks(raw: str, target: str, start: int = 0) -> Iterable[int]:
    """Where `target` stands unescaped in `raw`, from `start` on."""
    i = start
    while i < len(raw):
        if raw[i] == "\\":
            i += 2
        elif raw.startswith(target, i):
            yield i
            i += 1
        else:
            i += 1


def find(raw: str, target: str, start: int = 0) -> int:
    return next(iter(marks(raw, target, start)), -1)


def cut(raw: str, target: str) -> tuple[str, str | None]:
    """The text before the first unescaped `target`, and the text after it (None without one)."""
    at = find(raw, target)
    return (raw, None) if at < 0 else (raw[:at], raw[at + len(target) :])


def split(raw: str, separators: str) -> tuple[str, list[tuple[int, str]]]:
    """The text before the first unescaped separator, and the pieces starting at each one."""
    cuts = sorted({i for sep in separators for i in marks(raw, sep)})
    bounds = [*cuts, len(raw)]
    pieces = [(start, raw[start:end]) for start, end in itertools.pairwise(bounds)]
    return raw[: bounds[0]], pieces


def unescape(raw: str, extra: str = "") -> str:
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


def escape(text: str, extra: str = "") -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\\", "\\\\")
    text = text.replace("\n", "\\n")
    for char in "~=#{}:" + extra:
        text = text.replace(char, "\\" + char)
    return text


def read_text(raw: str, default_format: str, extra: str = "") -> str:
    """A text field: an optional [format] prefix, escapes, then HTML turned into text."""
    raw = raw.strip()
    text_format = default_format
    prefix = FORMAT_PREFIX.match(raw)
    if prefix:
        text_format = FORMATS[prefix.group(1)]
        raw = raw[prefix.end() :]
    return rich_text(unescape(raw, extra), text_format)


def read_weight(raw: str, default: float) -> tuple[float, str]:
    """The weight an answer starts with (%50%), else `default`; and the rest of the answer."""
    found = _WEIGHT.match(raw)
    return (float(found.group(1)), raw[found.end() :]) if found else (default, raw)
