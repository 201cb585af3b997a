"""Reading the questions of a Moodle XML file (pure: standard library only).

Each <question> is read by the reader of its Moodle type into the shape build_question takes;
categories set the topic of the questions after them. BinaKader's own fields come from Moodle
tags ("difficulty:sulit", "objective:bkb-kka"), the key from <idnumber> or else <name>.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from lms.authoring.exchange import (
    DEFAULT_TOPIC,
    E_FRACTION,
    E_NOT_A_NUMBER,
    E_ROOT,
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
    default_name,
    quote,
    slugify,
    topic_from_category,
)
from lms.authoring.exchange_build import Answers, build_question
from lms.authoring.exchange_text import html_to_text, rich_text
from lms.authoring.exchange_weights import accepted, choice_kind, parse_number
from lms.authoring.moodle_xml_file import Lines, read_xml

_WILDCARD = re.compile(r"(?<!\\)\*")
_TRUE_WORDS = ("true", "benar")
_FALSE_WORDS = ("false", "salah")


def parse_moodle_xml(data: bytes) -> ImportResult:
    """Read a Moodle XML file. Never raises for bad input: problems are in the result."""
    collector = Collector()
    try:
        root, lines = read_xml(data)
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
    if question_type not in _READERS:
        raise SkipQuestion(S_UNSUPPORTED_TYPE, type=quote(question_type or "?"))
    stem = _rich(element.find("questiontext"))
    meta = _meta(element)
    type_, content, right_feedback = _READERS[question_type](element, lines)
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


def _meta(element: ET.Element) -> dict[str, str]:
    meta: dict[str, str] = {}
    for tag in element.findall("tags/tag"):
        name, colon, value = (tag.findtext("text") or "").partition(":")
        if colon and name.strip().lower() in META_KEYS:
            meta[name.strip().lower()] = value.strip()
    return meta


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


def _multichoice(element: ET.Element, lines: Lines) -> Answers:
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


def _truefalse(element: ET.Element, lines: Lines) -> Answers:
    for weight, answer in _answers(element, lines):
        word = (answer.findtext("text") or "").strip().lower()
        if weight >= 100 and word in _TRUE_WORDS + _FALSE_WORDS:
            feedback = _rich(answer.find("feedback"))
            return "truefalse", {"answer": word in _TRUE_WORDS}, [feedback]
    raise SkipQuestion(S_NO_RIGHT)


def _shortanswer(element: ET.Element, lines: Lines) -> Answers:
    answers, feedback = [], []
    for answer in accepted(_answers(element, lines)):
        if _WILDCARD.search(answer.findtext("text") or ""):
            raise SkipQuestion(S_WILDCARD)
        answers.append(_rich(answer).replace("\\*", "*"))
        feedback.append(_rich(answer.find("feedback")))
    if not answers:
        raise SkipQuestion(S_NO_RIGHT)
    return "short", {"answer": answers}, feedback[:1]


def _numerical(element: ET.Element, lines: Lines) -> Answers:
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


def _matching(element: ET.Element, lines: Lines) -> Answers:
    pairs = []
    for sub in element.findall("subquestion"):
        left = _rich(sub)
        right = (sub.findtext("answer/text") or "").strip()
        if not left and right:
            raise SkipQuestion(S_DISTRACTOR)
        if left or right:
            pairs.append((left, right))
    return "matching", {"pairs": pairs}, []


#: The Moodle question types BinaKader can hold; any other is skipped.
_READERS: dict[str, Callable[[ET.Element, Lines], Answers]] = {
    "multichoice": _multichoice,
    "truefalse": _truefalse,
    "shortanswer": _shortanswer,
    "numerical": _numerical,
    "matching": _matching,
}
