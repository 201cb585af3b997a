"""Reading answers from the plain (no-JavaScript) test form."""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

from lms.assessment.models import AttemptQuestion

MAX_FIELD = 200


def field_name(position: int, part: int | None = None) -> str:
    return f"q{position}" if part is None else f"q{position}_{part}"


def read_answer(question: AttemptQuestion, form: MultiDict) -> Any:
    """The raw response for one question from the form, or None when left empty."""
    kind, name = question.version.type, field_name(question.position)
    if kind == "multiple":
        chosen = [value[:MAX_FIELD] for value in form.getlist(name) if value]
        return chosen or None
    if kind == "matching":
        pairs = {
            str(i): form.get(field_name(question.position, i), "")[:MAX_FIELD]
            for i in range(len(question.version.data["pairs"]))
        }
        chosen = {left: right for left, right in pairs.items() if right}
        return chosen or None
    value = form.get(name, "").strip()[:MAX_FIELD]
    if not value:
        return None
    if kind == "truefalse":
        return {"true": True, "false": False}.get(value, value)
    return value
