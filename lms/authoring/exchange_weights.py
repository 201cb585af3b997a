"""Numbers and answer weights between Moodle and BinaKader (pure: standard library only).

Moodle grades each answer with a weight in percent of the question's point; BinaKader has keys
and a scoring rule instead. Reading turns weights into keys and scoring (or skips what does not
fit), writing gives the weights that make Moodle grade as BinaKader does.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

from lms.authoring.exchange import S_NO_RIGHT, S_ONE_RIGHT, S_PARTIAL, S_UNEVEN, SkipQuestion

#: Moodle writes weights with five decimals (33.33333): compare with some slack.
WEIGHT_SLACK = 0.01

_INTEGER = re.compile(r"[+-]?\d+")


def parse_number(text: str) -> int | float | None:
    text = text.strip()
    if _INTEGER.fullmatch(text):
        return int(text)
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def format_number(value: int | float) -> str:
    # repr() of a float is the shortest text that reads back as the same float.
    return str(value) if isinstance(value, int) else repr(float(value))


def format_weight(percent: float) -> str:
    """A weight the way Moodle lists its grades: 50, 33.33333, -12.5."""
    text = f"{percent:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def key_weights(keys: int, partial: bool) -> tuple[str, str]:
    """Weights of a right and of a wrong option of a `multiple` question.

    Right options share 100 so that all of them give full marks. With partial scoring each wrong
    pick cancels one right pick, which is what lms/assessment/grading.py does.
    """
    share = 100 / keys
    return format_weight(share), format_weight(-share) if partial else "0"


def full(weight: float) -> bool:
    return abs(weight - 100) < WEIGHT_SLACK


def choice_kind(weights: Sequence[float], single: bool) -> tuple[str, list[int], str | None]:
    """Type, keys and scoring of a choice question from its option weights (percent)."""
    if single:
        keys = [i for i, w in enumerate(weights) if full(w)]
        if len(keys) != 1:
            raise SkipQuestion(S_ONE_RIGHT, count=len(keys))
        if any(abs(w) >= WEIGHT_SLACK for i, w in enumerate(weights) if i != keys[0]):
            raise SkipQuestion(S_PARTIAL)
        return "single", keys, None
    keys = [i for i, w in enumerate(weights) if w >= WEIGHT_SLACK]
    if not keys:
        raise SkipQuestion(S_NO_RIGHT)
    key_weights_ = [weights[i] for i in keys]
    # BinaKader gives every key the same share of the point.
    if max(key_weights_) - min(key_weights_) > WEIGHT_SLACK or abs(sum(key_weights_) - 100) > 0.5:
        raise SkipQuestion(S_UNEVEN)
    partial = any(w <= -WEIGHT_SLACK for w in weights)
    return "multiple", keys, "partial" if partial else "all-or-nothing"


def accepted(weighted: Iterable[tuple[float, Any]]) -> list[Any]:
    """The full-credit answers of a short or numeric question.

    Answers worth nothing only carry feedback for a wrong response and are dropped; answers
    worth part of the point cannot be graded the same way in BinaKader.
    """
    kept = []
    for weight, answer in weighted:
        if full(weight):
            kept.append(answer)
        elif WEIGHT_SLACK <= weight < 100:
            raise SkipQuestion(S_PARTIAL)
    return kept
