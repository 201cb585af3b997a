"""What an editor shows beside the form: the lesson as a kader reads it, the question as it
appears in a test, and the problems found so far (checked, not yet refused)."""

from __future__ import annotations

import random
from typing import Any

from flask_babel import gettext as _

from lms.authoring import drafts
from lms.authoring.fields import Problems, parse_lesson, parse_unit
from lms.authoring.question_fields import parse_question
from lms.content.models import Unit
from lms.content.rendering import render_markdown
from lms.content.spec import QuestionSpec
from lms.content.sync import IMAGE_URL_PREFIX


def lesson_html(markdown: str, images: dict[str, Any]) -> str:
    """The lesson body as the kader's page renders it (uploaded images resolved)."""

    def url(name: str) -> str:
        digest = images.get(name)
        return f"{IMAGE_URL_PREFIX}{digest}" if isinstance(digest, str) else name

    return render_markdown(markdown, url)


def question_view(spec: QuestionSpec) -> dict[str, Any]:
    """The question in the shape the test page renders (lms/assessment/presentation.py)."""
    data = spec.data
    view: dict[str, Any] = {
        "position": 1,
        "type": spec.type,
        "stem_html": render_markdown(spec.stem),
        "response": None,
        "seq": 0,
    }
    if spec.type in ("single", "multiple"):
        view["options"] = [{"id": key, "text": text} for key, text in data["options"]]
    elif spec.type == "matching":
        view["left"] = [
            {"index": str(i), "text": left} for i, (left, _r) in enumerate(data["pairs"])
        ]
        order = [str(i) for i in range(len(data["pairs"]))]
        random.Random(spec.key).shuffle(order)  # noqa: S311 - as in a test, the answers are not in line
        view["right"] = [{"index": i, "text": data["pairs"][int(i)][1]} for i in order]
    elif spec.type == "numeric":
        view["unit"] = data.get("unit", "")
    return view


def key_text(spec: QuestionSpec) -> str:
    """The key in words, for the author to check against the question."""
    data = spec.data
    if spec.type in ("single", "multiple"):
        texts = dict(data["options"])
        answers = data["answer"] if spec.type == "multiple" else [data["answer"]]
        return "; ".join(f"{key}. {texts[key]}" for key in answers)
    if spec.type == "truefalse":
        return _("Benar") if data["answer"] else _("Salah")
    if spec.type == "short":
        return " / ".join(data["answer"])
    if spec.type == "numeric":
        tolerance = f" ± {data['tolerance']}" if data["tolerance"] else ""
        return f"{data['answer']}{tolerance} {data['unit']}".strip()
    return "; ".join(f"{left} → {right}" for left, right in data["pairs"])


def messages(problems: Problems) -> dict[str, list[str]]:
    return {
        name: [_(message, **params) for message, params in messages]
        for name, messages in problems.by_field.items()
    }


def build(kind: str, unit: Unit, key: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Template context for the editor's preview; `problems` lists what publishing would refuse."""
    objectives = drafts.unit_objective_ids(unit)
    if kind == "lesson":
        _spec, problems = parse_lesson(payload, key=key, unit_code=unit.code, objectives=objectives)
        return {
            "preview_html": lesson_html(payload.get("body") or "", payload.get("images") or {}),
            "problems": messages(problems),
        }
    if kind == "question":
        spec, problems = parse_question(
            payload, key=key, unit_code=unit.code, objectives=objectives
        )
        if spec is None:
            return {"problems": messages(problems)}
        return {
            "preview": question_view(spec),
            "preview_key": key_text(spec),
            "preview_feedback": render_markdown(spec.feedback),
            "problems": {},
        }
    _spec, problems = parse_unit(payload, unit.code)
    return {"problems": messages(problems)}
