"""Writing questions as a Moodle XML file (pure: standard library only).

Texts are written as Markdown (options as plain text), the key as <idnumber> and, because Moodle
needs one, as <name>; difficulty and objective as Moodle tags. The grading settings are the ones
that make Moodle grade as BinaKader does.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable

from lms.authoring.exchange import ExchangeQuestion, category_path, default_name
from lms.authoring.exchange_weights import format_number, key_weights

#: XML 1.0 cannot hold these characters at all, not even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def export_moodle_xml(questions: Iterable[ExchangeQuestion]) -> bytes:
    """A Moodle XML file of the questions, with a category whenever the topic changes.

    Raises ValueError for text XML cannot hold (control characters).
    """
    quiz = ET.Element("quiz")
    topic = None
    for question in questions:
        if question.topic != topic:
            topic = question.topic
            category = ET.SubElement(quiz, "question", type="category")
            _text(ET.SubElement(category, "category"), category_path(topic))
        quiz.append(_write(question))
    ET.indent(quiz)
    # <text></text> rather than <text />, as Moodle itself writes empty texts.
    body = ET.tostring(quiz, encoding="unicode", short_empty_elements=False)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def _checked(text: str) -> str:
    # XML parsers turn CR into LF; writing LF keeps the text the same through a round trip.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = _NOT_XML.search(text)
    if bad:
        raise ValueError(f"U+{ord(bad.group()):04X} cannot be written to XML: {text[:40]!r}")
    return text


def _text(parent: ET.Element, text: str, text_format: str | None = None) -> ET.Element:
    if text_format:
        parent.set("format", text_format)
    _value(parent, "text", text)
    return parent


def _add(parent: ET.Element, tag: str, text: str, text_format: str | None = None) -> None:
    _text(ET.SubElement(parent, tag), text, text_format)


def _value(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, tag).text = _checked(value)


def _answer(parent: ET.Element, fraction: str, text: str, text_format: str) -> ET.Element:
    answer = _text(ET.SubElement(parent, "answer", fraction=fraction), text, text_format)
    _add(answer, "feedback", "", "markdown")
    return answer


def _write(question: ExchangeQuestion) -> ET.Element:
    if question.type not in _WRITERS:
        raise ValueError(f"question type {question.type!r} cannot be exported")
    moodle_type, write_answers = _WRITERS[question.type]
    element = ET.Element("question", type=moodle_type)
    # Moodle needs a name; without a key it gets the start of the text, as Moodle would do.
    _add(element, "name", question.key or default_name(question.stem))
    _add(element, "questiontext", question.stem, "markdown")
    _add(element, "generalfeedback", question.feedback, "markdown")
    _value(element, "defaultgrade", "1")
    _value(element, "penalty", "0")
    _value(element, "hidden", "0")
    _value(element, "idnumber", question.key or "")
    write_answers(element, question)
    tags = [f"difficulty:{question.difficulty}"]
    if question.objective:
        tags.append(f"objective:{question.objective}")
    tag_list = ET.SubElement(element, "tags")
    for tag in tags:
        _add(tag_list, "tag", tag)
    return element


def _choice(element: ET.Element, question: ExchangeQuestion) -> None:
    data = question.data
    single = question.type == "single"
    _value(element, "single", "true" if single else "false")
    _value(element, "shuffleanswers", "true")
    _value(element, "answernumbering", "abc")
    keys = [data["answer"]] if single else data["answer"]
    right, wrong = key_weights(len(keys), data.get("scoring") == "partial")
    for option_id, text in data["options"]:
        # Options are plain text in BinaKader, not Markdown.
        _answer(element, right if option_id in keys else wrong, text, "plain_text")


def _truefalse(element: ET.Element, question: ExchangeQuestion) -> None:
    answer = question.data["answer"]
    _answer(element, "100" if answer else "0", "true", "moodle_auto_format")
    _answer(element, "0" if answer else "100", "false", "moodle_auto_format")


def _short(element: ET.Element, question: ExchangeQuestion) -> None:
    _value(element, "usecase", "0")
    for text in question.data["answer"]:
        # * is Moodle's wildcard; \* is a plain asterisk.
        _answer(element, "100", text.replace("*", "\\*"), "moodle_auto_format")


def _numeric(element: ET.Element, question: ExchangeQuestion) -> None:
    data = question.data
    answer = _answer(element, "100", format_number(data["answer"]), "moodle_auto_format")
    _value(answer, "tolerance", format_number(data["tolerance"]))
    if data["unit"]:
        unit = ET.SubElement(ET.SubElement(element, "units"), "unit")
        _value(unit, "multiplier", "1")
        _value(unit, "unit_name", data["unit"])
    # Units optional: the kader may type the unit, the number alone is graded.
    _value(element, "unitgradingtype", "0")
    _value(element, "unitpenalty", "0.1")
    _value(element, "showunits", "0" if data["unit"] else "3")
    _value(element, "unitsleft", "0")


def _matching(element: ET.Element, question: ExchangeQuestion) -> None:
    _value(element, "shuffleanswers", "true")
    for left, right in question.data["pairs"]:
        sub = _text(ET.SubElement(element, "subquestion"), left, "plain_text")
        _add(sub, "answer", right)


#: BinaKader's question types, the Moodle type each is written as, and how its answers are.
_WRITERS: dict[str, tuple[str, Callable[[ET.Element, ExchangeQuestion], None]]] = {
    "single": ("multichoice", _choice),
    "multiple": ("multichoice", _choice),
    "truefalse": ("truefalse", _truefalse),
    "short": ("shortanswer", _short),
    "numeric": ("numerical", _numeric),
    "matching": ("matching", _matching),
}
