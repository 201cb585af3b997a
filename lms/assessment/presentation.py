"""A drawn question as the kader sees it while answering: never the key or the feedback."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from lms.assessment.models import Attempt, AttemptQuestion


def question_view(question: AttemptQuestion) -> dict[str, Any]:
    """Everything needed to show and answer one question, and nothing that gives it away."""
    version = question.version
    data = version.data
    view: dict[str, Any] = {
        "position": question.position,
        "type": version.type,
        "stem_html": version.stem_html,
        "response": question.response,
        "seq": question.response_seq,
    }
    if version.type in ("single", "multiple"):
        texts = dict(data["options"])
        view["options"] = [{"id": key, "text": texts[key]} for key in question.option_order]
    elif version.type == "matching":
        view["left"] = [
            {"index": str(i), "text": left} for i, (left, _r) in enumerate(data["pairs"])
        ]
        view["right"] = [
            {"index": index, "text": data["pairs"][int(index)][1]}
            for index in question.option_order
        ]
    elif version.type == "numeric":
        view["unit"] = data.get("unit", "")
    return view


def seconds_left(attempt: Attempt, now: datetime) -> int:
    """Whole seconds until the deadline by the server's clock (0 when over)."""
    return max(0, int((attempt.deadline_at - now).total_seconds()))


def attempt_view(attempt: Attempt, now: datetime) -> dict[str, Any]:
    """The open attempt as the API shows it."""
    return {
        "id": attempt.id,
        "unit": attempt.unit.code,
        "number": attempt.number,
        "status": attempt.status,
        "started_at": attempt.started_at.isoformat(),
        "deadline_at": attempt.deadline_at.isoformat(),
        "seconds_left": seconds_left(attempt, now) if attempt.is_open else 0,
        "questions": [question_view(q) for q in attempt.questions],
    }
