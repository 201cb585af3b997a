"""Indonesian mobile numbers: one stored form (+62...) for the many ways people write them."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-().]")
#: National significant number of an Indonesian mobile: 8, then 8 to 11 more digits.
_MOBILE_NSN = re.compile(r"8\d{8,11}")


def normalise_phone(raw: str) -> str | None:
    """Return the number as +62 followed by the national number, or None if it is not one.

    Accepts 0812..., +62812..., 62812..., 812... with spaces, dashes, dots or brackets.
    """
    text = _SEPARATORS.sub("", raw or "")
    if text.startswith("+62"):
        national = text[3:]
    elif text.startswith("62"):
        national = text[2:]
    elif text.startswith("0"):
        national = text[1:]
    else:
        national = text
    if not _MOBILE_NSN.fullmatch(national):
        return None
    return "+62" + national


def format_phone(stored: str) -> str:
    """Show a stored number the way people in Indonesia write it: 0812-3456-7890."""
    if not stored.startswith("+62"):
        return stored
    local = "0" + stored[3:]
    groups = [local[:4], local[4:8], local[8:]]
    return "-".join(group for group in groups if group)
