"""Moodle XML question files: import and export (pure: standard library only).

The file is read with expat directly rather than through ElementTree.parse so that each
<question> keeps its line number for the report, and so that a DOCTYPE or entity declaration
(the vehicle of "billion laughs" and external-entity attacks, never part of a Moodle export) is
refused outright. Only UTF-8 is accepted: Moodle writes nothing else.

BinaKader's difficulty and objective travel as Moodle tags ("difficulty:sulit",
"objective:bkb-kka"), the key as the question's <idnumber> and, for Moodle, also as its <name>.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import Any
from xml.parsers import expat

from lms.authoring.exchange import (
    DEFAULT_TOPIC,
    E_DOCTYPE,
    E_ENCODING,
    E_FRACTION,
    E_NOT_A_NUMBER,
    E_NOT_UTF8,
    E_ROOT,
    E_XML,
    META_KEYS,
    S_DISTRACTOR,
    S_MEDIA,
    S_NEGATIVE_TOLERANCE,
    S_NO_RIGHT,
    S_NUMERIC_ANSWERS,
    S_UNSUPPORTED_TYPE,
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
    html_to_text,
    key_weights,
    parse_number,
    quote,
    rich_text,
    slugify,
    topic_from_category,
)

_SUPPORTED = ("multichoice", "truefalse", "shortanswer", "numerical", "matching")
_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_WILDCARD = re.compile(r"(?<!\\)\*")
#: XML 1.0 cannot hold these characters at all, not even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_TRUE_WORDS = ("true", "benar")
_FALSE_WORDS = ("false", "salah")

Lines = dict[ET.Element, int]


# --- Import ------------------------------------------------------------------------------------


class _Refused(Exception):
    pass


def _read(data: bytes) -> tuple[ET.Element, Lines]:
    declared = _DECLARED_ENCODING.match(data.removeprefix(b"\xef\xbb\xbf")[:200])
    if declared and declared.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8"):
        raise FileProblem(1, E_ENCODING, encoding=declared.group(1).decode("ascii"))
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FileProblem(data[: error.start].count(b"\n") + 1, E_NOT_UTF8) from error

    builder = ET.TreeBuilder()
    lines: Lines = {}
    parser = expat.ParserCreate()

    def start(tag: str, attributes: dict[str, str]) -> None:
        lines[builder.start(tag, attributes)] = parser.CurrentLineNumber

    def refuse(*_args: Any) -> None:
        raise _Refused

    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(data, True)
    except _Refused as error:
        raise FileProblem(parser.CurrentLineNumber, E_DOCTYPE) from error
    except expat.ExpatError as error:
        detail = expat.ErrorString(error.code) or str(error)
        raise FileProblem(error.lineno, E_XML, detail=detail) from error
    return builder.close(), lines


def parse_moodle_xml(data: bytes) -> ImportResult:
    """Read a Moodle XML file. Never raises for bad input: problems are in the result."""
    collector = Collector()
    try:
        root, lines = _read(data)
        if root.tag != "quiz":
            raise FileProblem(lines.get(root), E_ROOT, tag=quote(root.tag))
    except FileProblem as problem:
        collector.error(problem)
        return collector.result()
    topic = DEFAULT_TOPIC
    number = 0
    for element in root.iter("question"):
        question_type = element.get("type", "")
        if question_type == "category":
            topic = topic_from_category(element.findtext("category/text") or "")
            continue
        number += 1
        try:
            collector.questions.append(_question(element, question_type, topic, lines))
        except SkipQuestion as reason:
            collector.skip(number, _title(element), lines.get(element), reason)
        except FileProblem as problem:
            collector.error(problem)
    return collector.result()


def _title(element: ET.Element) -> str:
    name = (element.findtext("name/text") or "").strip()
    if name:
        return name
    text, _media = html_to_text(element.findtext("questiontext/text") or "")
    return default_name(text)


def _rich(element: ET.Element | None) -> str:
    """A text field: <x format="..."><text>...</text></x>."""
    if element is None:
        return ""
    if element.find("file") is not None:  # an image or other file embedded in the question
        raise SkipQuestion(S_MEDIA)
    return rich_text(element.findtext("text") or "", element.get("format", "moodle_auto_format"))


def _question(
    element: ET.Element, question_type: str, topic: str, lines: Lines
) -> ExchangeQuestion:
    if question_type not in _SUPPORTED:
        raise SkipQuestion(S_UNSUPPORTED_TYPE, type=quote(question_type or "?"))
    stem = _rich(element.find("questiontext"))
    meta: dict[str, str] = {}
    for tag in element.findall("tags/tag"):
        name, colon, value = (tag.findtext("text") or "").partition(":")
        if colon and name.strip().lower() in META_KEYS:
            meta[name.strip().lower()] = value.strip()
    readers = {
        "multichoice": _multichoice,
        "truefalse": _truefalse,
        "shortanswer": _shortanswer,
        "numerical": _numerical,
        "matching": _matching,
    }
    type_, content, right_feedback = readers[question_type](element, lines)
    feedback = _rich(element.find("generalfeedback")) or "\n\n".join(
        text for text in right_feedback if text
    )
    return build_question(
        type_=type_,
        key=_key(element, stem),
        topic=topic,
        stem=stem,
        feedback=feedback,
        meta=meta,
        content=content,
    )


def _key(element: ET.Element, stem: str) -> str | None:
    idnumber = (element.findtext("idnumber") or "").strip()
    if idnumber:
        return slugify(idnumber) or None
    name = (element.findtext("name/text") or "").strip()
    # The name BinaKader gives a question without a key is not a key.
    if not name or name == default_name(stem):
        return None
    return slugify(name) or None


def _answers(element: ET.Element, lines: Lines) -> list[tuple[float, ET.Element]]:
    answers = []
    for answer in element.findall("answer"):
        text = answer.get("fraction", "0")
        fraction = parse_number(text)
        if fraction is None:
            raise FileProblem(lines.get(answer), E_FRACTION, text=quote(text))
        answers.append((float(fraction), answer))
    return answers


Read = tuple[str, dict[str, Any], list[str]]


def _multichoice(element: ET.Element, lines: Lines) -> Read:
    single = (element.findtext("single") or "true").strip().lower() in ("true", "1")
    answers = _answers(element, lines)
    type_, keys, scoring = choice_kind([weight for weight, _ in answers], single)
    content: dict[str, Any] = {
        "options": [_rich(answer) for _, answer in answers],
        "answer": keys[0] if single else keys,
    }
    if scoring:
        content["scoring"] = scoring
    return type_, content, [_rich(answers[i][1].find("feedback")) for i in keys]


def _truefalse(element: ET.Element, lines: Lines) -> Read:
    for weight, answer in _answers(element, lines):
        word = (answer.findtext("text") or "").strip().lower()
        if weight >= 100 and word in _TRUE_WORDS + _FALSE_WORDS:
            feedback = _rich(answer.find("feedback"))
            return "truefalse", {"answer": word in _TRUE_WORDS}, [feedback]
    raise SkipQuestion(S_NO_RIGHT)


def _shortanswer(element: ET.Element, lines: Lines) -> Read:
    answers, feedback = [], []
    for answer in accepted(_answers(element, lines)):
        if _WILDCARD.search(answer.findtext("text") or ""):
            raise SkipQuestion(S_WILDCARD)
        answers.append(_rich(answer).replace("\\*", "*"))
        feedback.append(_rich(answer.find("feedback")))
    if not answers:
        raise SkipQuestion(S_NO_RIGHT)
    return "short", {"answer": answers}, feedback[:1]


def _numerical(element: ET.Element, lines: Lines) -> Read:
    # An answer "*" is Moodle's "any other number", there only for its feedback.
    graded = [(w, a) for w, a in _answers(element, lines) if (a.findtext("text") or "") != "*"]
    right = accepted(graded)
    if len(right) != 1:
        raise SkipQuestion(S_NUMERIC_ANSWERS, count=len(right))
    answer = right[0]
    numbers = []
    for text in (answer.findtext("text") or "", answer.findtext("tolerance") or "0"):
        number = parse_number(text)
        if number is None:
            raise FileProblem(lines.get(answer), E_NOT_A_NUMBER, text=quote(text))
        numbers.append(number)
    value, tolerance = numbers
    if tolerance < 0:
        raise SkipQuestion(S_NEGATIVE_TOLERANCE)
    unit = ""
    for candidate in element.findall("units/unit"):
        # The unit the answer is written in; others only convert and are not kept.
        if parse_number(candidate.findtext("multiplier") or "") == 1:
            unit = (candidate.findtext("unit_name") or "").strip()
            break
    content = {"answer": value, "tolerance": tolerance, "unit": unit}
    return "numeric", content, [_rich(answer.find("feedback"))]


def _matching(element: ET.Element, lines: Lines) -> Read:
    pairs = []
    for sub in element.findall("subquestion"):
        left = _rich(sub)
        right = (sub.findtext("answer/text") or "").strip()
        if not left and right:
            raise SkipQuestion(S_DISTRACTOR)
        if left or right:
            pairs.append((left, right))
    return "matching", {"pairs": pairs}, []


# --- Export ------------------------------------------------------------------------------------


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
    types = {"single": "multichoice", "multiple": "multichoice", "truefalse": "truefalse",
             "short": "shortanswer", "numeric": "numerical", "matching": "matching"}  # fmt: skip
    if question.type not in types:
        raise ValueError(f"question type {question.type!r} cannot be exported")
    element = ET.Element("question", type=types[question.type])
    # Moodle needs a name; without a key it gets the start of the text, as Moodle would do.
    _add(element, "name", question.key or default_name(question.stem))
    _add(element, "questiontext", question.stem, "markdown")
    _add(element, "generalfeedback", question.feedback, "markdown")
    _value(element, "defaultgrade", "1")
    _value(element, "penalty", "0")
    _value(element, "hidden", "0")
    _value(element, "idnumber", question.key or "")
    data = question.data
    if question.type in ("single", "multiple"):
        single = question.type == "single"
        _value(element, "single", "true" if single else "false")
        _value(element, "shuffleanswers", "true")
        _value(element, "answernumbering", "abc")
        keys = [data["answer"]] if single else data["answer"]
        right, wrong = key_weights(len(keys), data.get("scoring") == "partial")
        for option_id, text in data["options"]:
            # Options are plain text in BinaKader, not Markdown.
            _answer(element, right if option_id in keys else wrong, text, "plain_text")
    elif question.type == "truefalse":
        _answer(element, "100" if data["answer"] else "0", "true", "moodle_auto_format")
        _answer(element, "0" if data["answer"] else "100", "false", "moodle_auto_format")
    elif question.type == "short":
        _value(element, "usecase", "0")
        for text in data["answer"]:
            # * is Moodle's wildcard; \* is a plain asterisk.
            _answer(element, "100", text.replace("*", "\\*"), "moodle_auto_format")
    elif question.type == "numeric":
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
    else:
        _value(element, "shuffleanswers", "true")
        for left, right in data["pairs"]:
            sub = _text(ET.SubElement(element, "subquestion"), left, "plain_text")
            _add(sub, "answer", right)
    tags = [f"difficulty:{question.difficulty}"]
    if question.objective:
        tags.append(f"objective:{question.objective}")
    tag_list = ET.SubElement(element, "tags")
    for tag in tags:
        _add(tag_list, "tag", tag)
    return element
