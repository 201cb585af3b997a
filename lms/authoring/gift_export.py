"""Writing questions as a GIFT file (pure: standard library only).

Every text is escaped and given an explicit format ([markdown] for texts, [plain] for options),
so that Moodle reads back exactly what BinaKader holds.
"""

from __future__ import annotations

from collections.abc import Iterable

from lms.authoring.exchange import ExchangeQuestion, category_path
from lms.authoring.exchange_weights import format_number, key_weights
from lms.authoring.gift_syntax import FORMAT_PREFIX, escape


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
    return f"[{text_format}]{text}" if FORMAT_PREFIX.match(text) else text


def _write(question: ExchangeQuestion) -> str:
    data = question.data
    lines = [f"// difficulty: {question.difficulty}"]
    if question.objective:
        lines.append(f"// objective: {escape(question.objective)}")
    if question.type == "numeric" and data["unit"]:
        lines.append(f"// unit: {escape(data['unit'])}")
    title = f"::{escape(question.key)}::" if question.key else ""
    head = f"{title}[markdown]{escape(question.stem)} {{"
    feedback = ""
    if question.feedback:
        feedback = "####" + escape(_protect(question.feedback, "markdown"))
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
    return escape(text, extra).replace("->", "-\\>")


def _answer_lines(question: ExchangeQuestion) -> list[str]:
    data = question.data
    if question.type == "single":
        # [plain]: options are plain text in BinaKader, and the prefix also keeps a text
        # starting with % or [ from being read as a weight or a format.
        return [
            ("=" if option_id == data["answer"] else "~") + "[plain]" + escape(text)
            for option_id, text in data["options"]
        ]
    if question.type == "multiple":
        right, wrong = key_weights(len(data["answer"]), data["scoring"] == "partial")
        return [
            f"~%{right if option_id in data['answer'] else wrong}%[plain]{escape(text)}"
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
