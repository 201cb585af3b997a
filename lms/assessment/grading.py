"""Grading of question responses (pure: standard library only).

Each question type has one grader in GRADERS. A grader reads the `data` dict that
lms/content/question_types.py extracts for a question version (options and key) and:

- `check_response` turns what a kader submitted into the form that is stored, or raises
  ResponseShapeError with a message for the kader;
- `score` grades a stored (already checked) response.

A response of None means "not answered": it passes the check and scores 0.
Every question is worth one point, whatever its type.
"""

from __future__ import annotations

import math
import re
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

MAX_POINTS = 1.0
MAX_SHORT_LENGTH = 200
MAX_NUMBER_LENGTH = 30
#: Absorbs binary floating-point error (0.1 + 0.2 != 0.3) at a tolerance boundary.
EPSILON = 1e-9
#: Fractional scores are stored and shown with this many decimals.
POINT_DECIMALS = 4


@dataclass(frozen=True)
class Score:
    points: float
    max_points: float
    is_correct: bool

    def __post_init__(self) -> None:
        # Fail loudly on a grader bug rather than store an impossible result.
        if not 0 <= self.points <= self.max_points:
            raise ValueError(f"points {self.points} outside 0..{self.max_points}")
        if self.is_correct != (self.points == self.max_points):
            raise ValueError("is_correct must be true exactly when points == max_points")


def N_(message: str) -> str:
    """Mark a message for the translation catalogue without translating it here (pure module)."""
    return message


class ResponseShapeError(ValueError):
    """A response that does not fit its question.

    `message` is a Bahasa Indonesia msgid with %(name)s placeholders and `params` fills them:
    the web layer translates it through the catalogue; str() gives the Indonesian text.
    """

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


class QuestionGrader(Protocol):
    def check_response(self, data: dict[str, Any], response: Any) -> Any: ...

    def score(self, data: dict[str, Any], response: Any) -> Score: ...


def _score(points: float) -> Score:
    points = round(points, POINT_DECIMALS)
    return Score(points, MAX_POINTS, points == MAX_POINTS)


_UNANSWERED = _score(0.0)


def _quote(value: Any) -> str:
    # Messages echo the kader's input; a pasted essay must not become the message.
    text = str(value)
    return text if len(text) <= 30 else text[:29] + "…"


class _Grader(ABC):
    """None handling shared by every type; subclasses see only real responses."""

    def check_response(self, data: dict[str, Any], response: Any) -> Any:
        if response is None:
            return None
        return self._check(data, response)

    def score(self, data: dict[str, Any], response: Any) -> Score:
        if response is None:
            return _UNANSWERED
        return _score(self._points(data, response))

    @abstractmethod
    def _check(self, data: dict[str, Any], response: Any) -> Any:
        """The response normalised for storage, or ResponseShapeError."""

    @abstractmethod
    def _points(self, data: dict[str, Any], response: Any) -> float:
        """Points in [0, 1] for a normalised response."""


def _option_ids(data: dict[str, Any]) -> set[str]:
    return {option_id for option_id, _text in data["options"]}


def _check_option(data: dict[str, Any], choice: Any) -> str:
    if not isinstance(choice, str):
        raise ResponseShapeError(N_("Pilihan harus berupa kode pilihan, misalnya 'a'."))
    if choice not in _option_ids(data):
        raise ResponseShapeError(
            N_("Pilihan '%(choice)s' tidak ada pada soal ini."), choice=_quote(choice)
        )
    return choice


class SingleChoice(_Grader):
    def _check(self, data: dict[str, Any], response: Any) -> str:
        if not isinstance(response, str):
            raise ResponseShapeError(N_("Pilih tepat satu jawaban."))
        return _check_option(data, response)

    def _points(self, data: dict[str, Any], response: Any) -> float:
        return MAX_POINTS if response == data["answer"] else 0.0


class MultipleChoice(_Grader):
    def _check(self, data: dict[str, Any], response: Any) -> list[str]:
        if not isinstance(response, list):
            raise ResponseShapeError(N_("Jawaban harus berupa daftar pilihan."))
        chosen = [_check_option(data, choice) for choice in response]
        for choice in chosen:
            if chosen.count(choice) > 1:
                raise ResponseShapeError(
                    N_("Pilihan '%(choice)s' terpilih lebih dari sekali."), choice=_quote(choice)
                )
        # Sorted like the key, so equal choices are stored identically whatever the click order.
        return sorted(chosen)

    def _points(self, data: dict[str, Any], response: Any) -> float:
        chosen, keys = set(response), set(data["answer"])
        if data.get("scoring") != "partial" or not keys:
            return MAX_POINTS if chosen == keys else 0.0
        hits = len(chosen & keys)
        misses = len(chosen - keys)
        # Wrong picks cancel right ones so that ticking every box is not a winning strategy.
        return max(0.0, (hits - misses) / len(keys))


class TrueFalse(_Grader):
    def _check(self, data: dict[str, Any], response: Any) -> bool:
        # Only a real bool: "false" or 0 would be truthy/falsy by accident, not by choice.
        if not isinstance(response, bool):
            raise ResponseShapeError(N_("Jawaban harus Benar atau Salah."))
        return response

    def _points(self, data: dict[str, Any], response: Any) -> float:
        return MAX_POINTS if response is bool(data["answer"]) else 0.0


_APOSTROPHES = frozenset("'`\u2018\u2019\u02bc")


def normalise_text(text: str) -> str:
    """The form two short answers are compared in: case, punctuation and spacing ignored.

    Accents are kept, since they can distinguish words. Apostrophes are dropped so that
    "Jum'at" and "Jumat" agree; other punctuation separates words, so that
    "kartu-kembang" and "kartu kembang" agree.
    """
    # NFKC on both sides of casefold: full-width or composed/decomposed letters that look the
    # same to the kader must compare equal, and casefold can produce unnormalised sequences.
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    kept = []
    for char in folded:
        if char in _APOSTROPHES:
            continue
        kept.append(" " if unicodedata.category(char).startswith("P") else char)
    return " ".join("".join(kept).split())


def _comparable(text: str) -> str:
    # An answer made only of punctuation ("?!") would normalise to nothing and then match
    # every blank response; compare such answers by their folded text instead.
    return normalise_text(text) or " ".join(text.casefold().split())


class ShortText(_Grader):
    def _check(self, data: dict[str, Any], response: Any) -> str:
        if not isinstance(response, str):
            raise ResponseShapeError(N_("Jawaban harus berupa teks."))
        text = response.strip()
        if len(text) > MAX_SHORT_LENGTH:
            raise ResponseShapeError(
                N_("Jawaban terlalu panjang (paling banyak %(limit)d karakter)."),
                limit=MAX_SHORT_LENGTH,
            )
        return text

    def _points(self, data: dict[str, Any], response: Any) -> float:
        given = _comparable(response)
        if not given:
            return 0.0
        accepted = {_comparable(str(answer)) for answer in data["answer"]}
        return MAX_POINTS if given in accepted else 0.0


_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)")
#: "1.000" is a thousand to an Indonesian and one to an English reader: asked again, not guessed.
_DOT_THOUSANDS = re.compile(r"[+-]?[1-9][0-9]{0,2}\.[0-9]{3}")


def _finite(value: int | float) -> int | float:
    try:
        finite = math.isfinite(value)
    except OverflowError:  # an int too large for a float
        finite = False
    if not finite:
        raise ResponseShapeError(N_("Angka tersebut tidak dapat dinilai."))
    return value


def _parse_number(text: str) -> int | float:
    text = text.strip()
    if not text:
        raise ResponseShapeError(N_("Isi jawaban dengan angka."))
    if len(text) > MAX_NUMBER_LENGTH:
        raise ResponseShapeError(
            N_("Angka terlalu panjang (paling banyak %(limit)d karakter)."),
            limit=MAX_NUMBER_LENGTH,
        )
    if _DOT_THOUSANDS.fullmatch(text):
        raise ResponseShapeError(N_("Tulis angka tanpa pemisah ribuan, misalnya 1000 atau 19,5."))
    if _NUMBER.fullmatch(text) is None:
        if _NUMBER.fullmatch(text.replace(".", "").replace(",", "")):
            # Two separators can only be thousands grouping, which would be misread.
            raise ResponseShapeError(
                N_("Tulis angka tanpa pemisah ribuan, misalnya 1000 atau 19,5.")
            )
        raise ResponseShapeError(
            N_("'%(text)s' bukan angka. Tulis misalnya 19 atau 19,5."), text=_quote(text)
        )
    if "." in text or "," in text:
        return _finite(float(text.replace(",", ".")))
    return _finite(int(text))


class Numeric(_Grader):
    def _check(self, data: dict[str, Any], response: Any) -> int | float:
        # bool is an int subclass, but True is not the number 1 to a kader.
        if isinstance(response, bool):
            raise ResponseShapeError(N_("Jawaban harus berupa angka."))
        if isinstance(response, int | float):
            return _finite(response)
        if isinstance(response, str):
            return _parse_number(response)
        raise ResponseShapeError(N_("Jawaban harus berupa angka."))

    def _points(self, data: dict[str, Any], response: Any) -> float:
        answer = float(data["answer"])
        tolerance = float(data.get("tolerance") or 0)
        # Relative slack too, so the boundary holds for large answers as well as small ones.
        slack = tolerance + EPSILON * max(1.0, abs(answer))
        return MAX_POINTS if abs(float(response) - answer) <= slack else 0.0


_INDEX = re.compile(r"0|[1-9][0-9]{0,2}")


def _check_index(value: Any, count: int, side: str) -> str:
    if not isinstance(value, str) or _INDEX.fullmatch(value) is None or int(value) >= count:
        raise ResponseShapeError(
            N_("Butir kiri '%(value)s' tidak ada pada soal ini.")
            if side == "kiri"
            else N_("Butir kanan '%(value)s' tidak ada pada soal ini."),
            value=_quote(value),
        )
    return value


class Matching(_Grader):
    def _check(self, data: dict[str, Any], response: Any) -> dict[str, str]:
        if not isinstance(response, dict):
            raise ResponseShapeError(
                N_("Jawaban menjodohkan harus memasangkan nomor butir kiri dengan butir kanan.")
            )
        count = len(data["pairs"])
        pairs = {
            _check_index(left, count, "kiri"): _check_index(right, count, "kanan")
            for left, right in response.items()
        }
        return dict(sorted(pairs.items(), key=lambda pair: int(pair[0])))

    def _points(self, data: dict[str, Any], response: Any) -> float:
        count = len(data["pairs"])
        if not count:
            return 0.0
        right = sum(1 for index in range(count) if response.get(str(index)) == str(index))
        return right / count


GRADERS: dict[str, QuestionGrader] = {
    "single": SingleChoice(),
    "multiple": MultipleChoice(),
    "truefalse": TrueFalse(),
    "short": ShortText(),
    "numeric": Numeric(),
    "matching": Matching(),
}


def grader_for(question_type: str) -> QuestionGrader:
    try:
        return GRADERS[question_type]
    except (KeyError, TypeError):
        raise ValueError(f"unknown question type {question_type!r}") from None


def check_response(question_type: str, data: dict[str, Any], response: Any) -> Any:
    """The response as it should be stored; raises ResponseShapeError if it does not fit."""
    return grader_for(question_type).check_response(data, response)


def grade(question_type: str, data: dict[str, Any], response: Any) -> Score:
    """Score a response that went through check_response (or None: not answered)."""
    return grader_for(question_type).score(data, response)


def total(scores: Iterable[Score]) -> tuple[float, float]:
    """(points, max points) of several questions."""
    listed = list(scores)
    # fsum and rounding keep 0.3333 + 0.6667 from coming out as 0.9999999999999999.
    points = round(math.fsum(score.points for score in listed), POINT_DECIMALS)
    max_points = round(math.fsum(score.max_points for score in listed), POINT_DECIMALS)
    return points, max_points


def percent(points: float, max_points: float) -> float:
    """Points as a percentage of max_points, 0..100 with two decimals; 0 when nothing to score."""
    if max_points <= 0:
        return 0.0
    return round(100 * points / max_points, 2)


def is_pass(percent_value: float, pass_mark: float) -> bool:
    return percent_value >= pass_mark
