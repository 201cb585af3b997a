"""The pure grader: scoring rules, response shapes and invariants of every question type."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from lms.assessment import grading
from lms.assessment.grading import (
    GRADERS,
    ResponseShapeError,
    Score,
    check_response,
    grade,
    grader_for,
    is_pass,
    normalise_text,
    percent,
    total,
)
from lms.content.question_types import QUESTION_TYPES
from lms.content.yamlnodes import parse_yaml

TYPES = ["single", "multiple", "truefalse", "short", "numeric", "matching"]

SINGLE = {"options": [["a", "Posyandu"], ["b", "Puskesmas"], ["c", "Balai desa"]], "answer": "b"}
MULTIPLE = {
    "options": [["a", "Pil"], ["b", "Vitamin"], ["c", "Suntik"], ["d", "Jamu"]],
    "answer": ["a", "c"],
    "scoring": "all-or-nothing",
}
PARTIAL = {**MULTIPLE, "scoring": "partial"}
PARTIAL_THREE_KEYS = {**MULTIPLE, "answer": ["a", "b", "c"], "scoring": "partial"}
TRUE = {"answer": True}
FALSE = {"answer": False}
SHORT = {"answer": ["Kartu Kembang Anak", "KKA"]}
SHORT_SPECIAL = {"answer": ["Jum'at", "Café", "?!"]}
NUMERIC = {"answer": 19, "tolerance": 0, "unit": "tahun"}
NUMERIC_TOLERANT = {"answer": 2.5, "tolerance": 0.5, "unit": "kg"}
NUMERIC_FLOAT = {"answer": 0.3, "tolerance": 0.1, "unit": ""}
NUMERIC_NEGATIVE = {"answer": -2, "tolerance": 0, "unit": "derajat"}
MATCHING = {
    "pairs": [
        ["Pil", "Diminum setiap hari"],
        ["Suntik", "Tiap 1 atau 3 bulan"],
        ["IUD", "Dipasang di rahim"],
        ["Implan", "Dipasang di lengan"],
    ]
}
MATCHING_THREE = {"pairs": MATCHING["pairs"][:3]}


# --- Scoring tables -------------------------------------------------------------------------

SCORING_CASES = [
    ("single", SINGLE, "b", 1.0),
    ("single", SINGLE, "a", 0.0),
    ("single", SINGLE, None, 0.0),
    ("multiple", MULTIPLE, ["a", "c"], 1.0),
    ("multiple", MULTIPLE, ["c", "a"], 1.0),
    ("multiple", MULTIPLE, ["a"], 0.0),
    ("multiple", MULTIPLE, ["a", "c", "d"], 0.0),
    ("multiple", MULTIPLE, ["b", "d"], 0.0),
    ("multiple", MULTIPLE, [], 0.0),
    ("multiple", MULTIPLE, None, 0.0),
    ("multiple", PARTIAL, ["a", "c"], 1.0),
    ("multiple", PARTIAL, ["c", "a"], 1.0),
    ("multiple", PARTIAL, ["a"], 0.5),
    ("multiple", PARTIAL, ["a", "c", "b"], 0.5),
    ("multiple", PARTIAL, ["a", "b"], 0.0),
    ("multiple", PARTIAL, ["a", "b", "c", "d"], 0.0),
    ("multiple", PARTIAL, ["b", "d"], 0.0),
    ("multiple", PARTIAL, ["b"], 0.0),
    ("multiple", PARTIAL, [], 0.0),
    ("multiple", PARTIAL_THREE_KEYS, ["a"], 0.3333),
    ("multiple", PARTIAL_THREE_KEYS, ["a", "b"], 0.6667),
    ("multiple", PARTIAL_THREE_KEYS, ["a", "b", "d"], 0.3333),
    ("multiple", PARTIAL_THREE_KEYS, ["d"], 0.0),
    ("truefalse", TRUE, True, 1.0),
    ("truefalse", TRUE, False, 0.0),
    ("truefalse", FALSE, False, 1.0),
    ("truefalse", FALSE, True, 0.0),
    ("truefalse", TRUE, None, 0.0),
    ("short", SHORT, "Kartu Kembang Anak", 1.0),
    ("short", SHORT, "  kartu-kembang anak! ", 1.0),
    ("short", SHORT, "KARTU   KEMBANG\tANAK", 1.0),
    ("short", SHORT, "kartu kembang, anak.", 1.0),
    ("short", SHORT, "kka", 1.0),
    ("short", SHORT, "Kartu Kembang", 0.0),
    ("short", SHORT, "Kartu Kembang Anak Indonesia", 0.0),
    ("short", SHORT, "kartukembanganak", 0.0),
    ("short", SHORT, "", 0.0),
    ("short", SHORT, "   ", 0.0),
    ("short", SHORT, "!!!", 0.0),
    ("short", SHORT, None, 0.0),
    ("short", SHORT_SPECIAL, "jumat", 1.0),
    ("short", SHORT_SPECIAL, "JUM\u2019AT", 1.0),
    ("short", SHORT_SPECIAL, "CAFÉ", 1.0),
    ("short", SHORT_SPECIAL, "Cafe\u0301", 1.0),
    ("short", SHORT_SPECIAL, "cafe", 0.0),
    ("short", SHORT_SPECIAL, "?!", 1.0),
    ("short", SHORT_SPECIAL, "", 0.0),
    ("numeric", NUMERIC, 19, 1.0),
    ("numeric", NUMERIC, 19.0, 1.0),
    ("numeric", NUMERIC, "19", 1.0),
    ("numeric", NUMERIC, " 19 ", 1.0),
    ("numeric", NUMERIC, "19,0", 1.0),
    ("numeric", NUMERIC, "19.0", 1.0),
    ("numeric", NUMERIC, "+19", 1.0),
    ("numeric", NUMERIC, "19,5", 0.0),
    ("numeric", NUMERIC, "-19", 0.0),
    ("numeric", NUMERIC, 20, 0.0),
    ("numeric", NUMERIC, None, 0.0),
    ("numeric", NUMERIC_TOLERANT, "2,5", 1.0),
    ("numeric", NUMERIC_TOLERANT, "2.5", 1.0),
    ("numeric", NUMERIC_TOLERANT, " 2,7 ", 1.0),
    ("numeric", NUMERIC_TOLERANT, "3", 1.0),
    ("numeric", NUMERIC_TOLERANT, "2", 1.0),
    ("numeric", NUMERIC_TOLERANT, 3.0, 1.0),
    ("numeric", NUMERIC_TOLERANT, "3,01", 0.0),
    ("numeric", NUMERIC_TOLERANT, "1,99", 0.0),
    ("numeric", NUMERIC_TOLERANT, ",5", 0.0),
    ("numeric", NUMERIC_FLOAT, "0,4", 1.0),
    ("numeric", NUMERIC_FLOAT, 0.2, 1.0),
    ("numeric", NUMERIC_FLOAT, "0,41", 0.0),
    ("numeric", NUMERIC_NEGATIVE, "-2", 1.0),
    ("numeric", NUMERIC_NEGATIVE, "2", 0.0),
    ("matching", MATCHING, {"0": "0", "1": "1", "2": "2", "3": "3"}, 1.0),
    ("matching", MATCHING, {"3": "3", "2": "2", "1": "1", "0": "0"}, 1.0),
    ("matching", MATCHING, {"0": "0", "1": "1", "2": "3", "3": "2"}, 0.5),
    ("matching", MATCHING, {"0": "0", "1": "1"}, 0.5),
    ("matching", MATCHING, {"0": "0"}, 0.25),
    ("matching", MATCHING, {"0": "0", "1": "0", "2": "0", "3": "0"}, 0.25),
    ("matching", MATCHING, {"0": "1", "1": "0", "2": "3", "3": "2"}, 0.0),
    ("matching", MATCHING, {}, 0.0),
    ("matching", MATCHING, None, 0.0),
    ("matching", MATCHING_THREE, {"0": "0"}, 0.3333),
    ("matching", MATCHING_THREE, {"0": "0", "1": "1", "2": "0"}, 0.6667),
]


@pytest.mark.parametrize(("question_type", "data", "response", "points"), SCORING_CASES)
def test_scoring_table(question_type, data, response, points):
    stored = check_response(question_type, data, response)
    assert grade(question_type, data, stored) == Score(points, 1.0, points == 1.0)


@pytest.mark.parametrize("question_type", TYPES)
def test_unanswered_passes_the_check_and_scores_zero(question_type):
    data = next(case[1] for case in SCORING_CASES if case[0] == question_type)
    assert check_response(question_type, data, None) is None
    assert grade(question_type, data, None) == Score(0.0, 1.0, False)
    assert GRADERS[question_type].score(data, None) == Score(0.0, 1.0, False)


# --- Normalised responses -------------------------------------------------------------------

NORMALISED_CASES = [
    ("single", SINGLE, "c", "c"),
    ("multiple", MULTIPLE, ["d", "a", "c"], ["a", "c", "d"]),
    ("multiple", MULTIPLE, [], []),
    ("truefalse", TRUE, False, False),
    ("short", SHORT, "  Kartu  Kembang ", "Kartu  Kembang"),
    ("numeric", NUMERIC, "19", 19),
    ("numeric", NUMERIC, " -2 ", -2),
    ("numeric", NUMERIC, "19,5", 19.5),
    ("numeric", NUMERIC, "19.5", 19.5),
    ("numeric", NUMERIC, "19,", 19.0),
    ("numeric", NUMERIC, ",5", 0.5),
    ("numeric", NUMERIC, 7, 7),
    ("numeric", NUMERIC, 7.25, 7.25),
    ("matching", MATCHING, {"3": "0", "0": "2", "1": "2"}, {"0": "2", "1": "2", "3": "0"}),
]


@pytest.mark.parametrize(("question_type", "data", "response", "stored"), NORMALISED_CASES)
def test_check_returns_the_form_to_store(question_type, data, response, stored):
    result = check_response(question_type, data, response)
    assert result == stored
    assert type(result) is type(stored)
    if isinstance(stored, dict):
        assert list(result) == list(stored)


# --- Shape errors ---------------------------------------------------------------------------

SHAPE_ERRORS = [
    ("single", SINGLE, ["b"], "satu jawaban"),
    ("single", SINGLE, 1, "satu jawaban"),
    ("single", SINGLE, True, "satu jawaban"),
    ("single", SINGLE, {"b": True}, "satu jawaban"),
    ("single", SINGLE, "x", "Pilihan 'x' tidak ada pada soal ini."),
    ("single", SINGLE, "B", "Pilihan 'B' tidak ada pada soal ini."),
    ("single", SINGLE, "", "Pilihan '' tidak ada pada soal ini."),
    ("single", SINGLE, "z" * 500, "Pilihan 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzz…' tidak ada"),
    ("multiple", MULTIPLE, "a", "daftar pilihan"),
    ("multiple", MULTIPLE, {"a"}, "daftar pilihan"),
    ("multiple", MULTIPLE, ("a", "c"), "daftar pilihan"),
    ("multiple", MULTIPLE, {"a": True}, "daftar pilihan"),
    ("multiple", MULTIPLE, ["a", "a"], "Pilihan 'a' terpilih lebih dari sekali."),
    ("multiple", MULTIPLE, ["a", "x"], "Pilihan 'x' tidak ada pada soal ini."),
    ("multiple", MULTIPLE, [1], "kode pilihan"),
    ("multiple", MULTIPLE, [None], "kode pilihan"),
    ("multiple", MULTIPLE, [["a"]], "kode pilihan"),
    ("truefalse", TRUE, "true", "Benar atau Salah"),
    ("truefalse", TRUE, "Benar", "Benar atau Salah"),
    ("truefalse", TRUE, 1, "Benar atau Salah"),
    ("truefalse", TRUE, 0, "Benar atau Salah"),
    ("truefalse", TRUE, [True], "Benar atau Salah"),
    ("short", SHORT, 5, "berupa teks"),
    ("short", SHORT, ["KKA"], "berupa teks"),
    ("short", SHORT, b"KKA", "berupa teks"),
    ("short", SHORT, "x" * 201, "terlalu panjang (paling banyak 200 karakter)"),
    ("numeric", NUMERIC, True, "berupa angka"),
    ("numeric", NUMERIC, False, "berupa angka"),
    ("numeric", NUMERIC, [19], "berupa angka"),
    ("numeric", NUMERIC, {"value": 19}, "berupa angka"),
    ("numeric", NUMERIC, "", "Isi jawaban dengan angka."),
    ("numeric", NUMERIC, "   ", "Isi jawaban dengan angka."),
    ("numeric", NUMERIC, "abc", "'abc' bukan angka"),
    ("numeric", NUMERIC, "19 tahun", "bukan angka"),
    ("numeric", NUMERIC, "1 000", "bukan angka"),
    ("numeric", NUMERIC, "1e3", "bukan angka"),
    ("numeric", NUMERIC, "0x1A", "bukan angka"),
    ("numeric", NUMERIC, "1_000", "bukan angka"),
    ("numeric", NUMERIC, "\u0661\u0669", "bukan angka"),
    ("numeric", NUMERIC, "inf", "bukan angka"),
    ("numeric", NUMERIC, "nan", "bukan angka"),
    ("numeric", NUMERIC, "-", "bukan angka"),
    ("numeric", NUMERIC, ",", "bukan angka"),
    ("numeric", NUMERIC, "1.000.000", "tanpa pemisah ribuan"),
    ("numeric", NUMERIC, "1.000", "tanpa pemisah ribuan"),
    ("numeric", NUMERIC, "-12.500", "tanpa pemisah ribuan"),
    ("numeric", NUMERIC, "1.000,5", "tanpa pemisah ribuan"),
    ("numeric", NUMERIC, "1" * 31, "terlalu panjang (paling banyak 30 karakter)"),
    ("numeric", NUMERIC, float("nan"), "tidak dapat dinilai"),
    ("numeric", NUMERIC, float("inf"), "tidak dapat dinilai"),
    ("numeric", NUMERIC, float("-inf"), "tidak dapat dinilai"),
    ("numeric", NUMERIC, 10**400, "tidak dapat dinilai"),
    ("matching", MATCHING, [["0", "0"]], "memasangkan"),
    ("matching", MATCHING, "0:0", "memasangkan"),
    ("matching", MATCHING, {"4": "0"}, "Butir kiri '4' tidak ada pada soal ini."),
    ("matching", MATCHING, {"0": "4"}, "Butir kanan '4' tidak ada pada soal ini."),
    ("matching", MATCHING, {"-1": "0"}, "Butir kiri '-1'"),
    ("matching", MATCHING, {"00": "0"}, "Butir kiri '00'"),
    ("matching", MATCHING, {"a": "0"}, "Butir kiri 'a'"),
    ("matching", MATCHING, {"0": " 1"}, "Butir kanan ' 1'"),
    ("matching", MATCHING, {0: "0"}, "Butir kiri '0'"),
    ("matching", MATCHING, {"0": 0}, "Butir kanan '0'"),
    ("matching", MATCHING, {"0": True}, "Butir kanan 'True'"),
    ("matching", MATCHING, {"0": None}, "Butir kanan 'None'"),
    ("matching", MATCHING_THREE, {"3": "0"}, "Butir kiri '3'"),
]


@pytest.mark.parametrize(("question_type", "data", "response", "message"), SHAPE_ERRORS)
def test_malformed_response_rejected_with_a_message(question_type, data, response, message):
    with pytest.raises(ResponseShapeError, match=re.escape(message)):
        check_response(question_type, data, response)


def test_shape_error_is_a_value_error():
    assert issubclass(ResponseShapeError, ValueError)


# --- Registry -------------------------------------------------------------------------------


def test_every_content_question_type_has_a_grader():
    assert set(GRADERS) == set(QUESTION_TYPES) == set(TYPES)
    for question_type in TYPES:
        assert grader_for(question_type) is GRADERS[question_type]


@pytest.mark.parametrize("unknown", ["essay", "", "Single"])
def test_unknown_type_is_a_value_error_not_a_key_error(unknown):
    for call in (
        lambda: grader_for(unknown),
        lambda: check_response(unknown, {}, None),
        lambda: grade(unknown, {}, None),
    ):
        with pytest.raises(ValueError, match="unknown question type") as raised:
            call()
        assert not isinstance(raised.value, KeyError)


QUESTION_YAML = {
    "single": ("options:\n  a: Posyandu\n  b: Puskesmas\nanswer: b\n", "b", "a"),
    "multiple": (
        "options:\n  a: Pil\n  b: Jamu\n  c: Suntik\nanswer: [c, a]\nscoring: partial\n",
        ["a", "c"],
        ["b"],
    ),
    "truefalse": ("answer: false\n", False, True),
    "short": ("answer: [Kartu Kembang Anak, KKA]\n", "kartu-kembang anak", "KMS"),
    "numeric": ("answer: 19\ntolerance: 0.5\nunit: tahun\n", "19,5", "20"),
    "matching": (
        "pairs:\n  - {left: Pil, right: Harian}\n  - {left: Suntik, right: Bulanan}\n"
        "  - {left: Implan, right: Tahunan}\n",
        {"0": "0", "1": "1", "2": "2"},
        {"0": "1", "1": "0"},
    ),
}


@pytest.mark.parametrize("question_type", TYPES)
def test_grades_what_the_content_loader_extracts(question_type):
    text, right, wrong = QUESTION_YAML[question_type]
    data = QUESTION_TYPES[question_type].extract(parse_yaml(text))
    assert QUESTION_TYPES[question_type].check(parse_yaml(text)) == []
    assert grade(question_type, data, check_response(question_type, data, right)).is_correct
    assert grade(question_type, data, check_response(question_type, data, wrong)).points == 0.0


# --- Text normalisation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("  Kartu-Kembang   Anak! ", "kartu kembang anak"),
        ("KKA", "kka"),
        ("a/b, c.", "a b c"),
        ("(Posyandu)", "posyandu"),
        ("Jum'at", "jumat"),
        ("Jum\u2019at", "jumat"),
        ("Café", "café"),
        ("Cafe\u0301", "café"),
        ("\uff2b\uff2b\uff21", "kka"),
        ("Straße", "strasse"),
        ("1+1=2", "1+1=2"),
        ("line\nbreak\ttab", "line break tab"),
        ("\t \n", ""),
        ("", ""),
    ],
)
def test_normalise_text(text, normalised):
    assert normalise_text(text) == normalised


@given(st.text(max_size=50))
def test_normalise_text_is_idempotent(text):
    once = normalise_text(text)
    assert normalise_text(once) == once
    assert once == once.strip()
    assert "  " not in once


# --- Totals ---------------------------------------------------------------------------------


def _score(points: float) -> Score:
    return Score(points, 1.0, points == 1.0)


def test_total_adds_points_and_maxima():
    assert total([]) == (0.0, 0.0)
    assert total([_score(1.0), _score(0.3333), _score(0.6667), _score(0.0)]) == (2.0, 4.0)
    assert total(iter([_score(0.5)])) == (0.5, 1.0)


@pytest.mark.parametrize(
    ("points", "max_points", "expected"),
    [(2, 3, 66.67), (1, 3, 33.33), (0, 0, 0.0), (0, 5, 0.0), (5, 5, 100.0), (7, 10, 70.0),
     (0.6667, 1, 66.67)],
)  # fmt: skip
def test_percent(points, max_points, expected):
    assert percent(points, max_points) == expected


@pytest.mark.parametrize(
    ("percent_value", "pass_mark", "passed"),
    [(70.0, 70, True), (69.99, 70, False), (100.0, 70, True), (0.0, 0, True), (0.0, 1, False)],
)
def test_is_pass(percent_value, pass_mark, passed):
    assert is_pass(percent_value, pass_mark) is passed


def test_seven_of_ten_passes_a_seventy_percent_mark():
    assert is_pass(percent(*total([_score(1.0)] * 7 + [_score(0.0)] * 3)), 70)


@pytest.mark.parametrize(
    ("points", "max_points", "is_correct"),
    [(1.5, 1.0, False), (-0.1, 1.0, False), (1.0, 1.0, False), (0.5, 1.0, True),
     (float("nan"), 1.0, False)],
)  # fmt: skip
def test_impossible_scores_cannot_be_built(points, max_points, is_correct):
    with pytest.raises(ValueError):
        Score(points, max_points, is_correct)


# --- Purity ---------------------------------------------------------------------------------


def test_grading_uses_the_standard_library_only():
    tree = ast.parse(Path(grading.__file__).read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "relative import of an lms module"
            imported.add(node.module or "")
    roots = {name.split(".")[0] for name in imported}
    assert not roots & {"flask", "flask_sqlalchemy", "sqlalchemy", "lms"}
    assert roots <= set(sys.stdlib_module_names) | {"__future__"}


# --- Properties -----------------------------------------------------------------------------

option_ids = st.text(min_size=1, max_size=4)


def options(min_size: int, max_size: int) -> st.SearchStrategy[list[list[str]]]:
    return st.lists(option_ids, min_size=min_size, max_size=max_size, unique=True).map(
        lambda ids: [[option_id, f"Pilihan {n}"] for n, option_id in enumerate(ids)]
    )


@st.composite
def single_data(draw: st.DrawFn) -> dict[str, Any]:
    opts = draw(options(2, 6))
    return {"options": opts, "answer": draw(st.sampled_from([o for o, _ in opts]))}


@st.composite
def multiple_data(draw: st.DrawFn, scoring: str | None = None) -> dict[str, Any]:
    opts = draw(options(3, 8))
    keys = draw(st.lists(st.sampled_from([o for o, _ in opts]), min_size=1, unique=True))
    return {
        "options": opts,
        "answer": sorted(keys),
        "scoring": scoring or draw(st.sampled_from(["all-or-nothing", "partial"])),
    }


accepted_answer = st.text(min_size=1, max_size=200).filter(lambda text: text.strip())
number = st.one_of(
    st.integers(-(10**6), 10**6), st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
)


@st.composite
def matching_data(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(3, 8))
    side = st.lists(st.text(min_size=1, max_size=10), min_size=count, max_size=count, unique=True)
    return {"pairs": [list(pair) for pair in zip(draw(side), draw(side), strict=True)]}


DATA: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "single": single_data(),
    "multiple": multiple_data(),
    "truefalse": st.builds(dict, answer=st.booleans()),
    "short": st.builds(dict, answer=st.lists(accepted_answer, min_size=1, max_size=4)),
    "numeric": st.builds(
        dict,
        answer=number,
        tolerance=st.one_of(st.just(0), st.floats(0, 100)),
        unit=st.sampled_from(["", "tahun", "kg"]),
    ),
    "matching": matching_data(),
}


def _ids(data: dict[str, Any]) -> list[str]:
    return [option_id for option_id, _text in data["options"]]


def responses(question_type: str, data: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Any well-shaped response (what a working form could send), answered or not."""
    if question_type == "single":
        shaped = st.sampled_from(_ids(data))
    elif question_type == "multiple":
        shaped = st.lists(st.sampled_from(_ids(data)), unique=True)
    elif question_type == "truefalse":
        shaped = st.booleans()
    elif question_type == "short":
        shaped = st.text(max_size=200)
    elif question_type == "numeric":
        shaped = st.one_of(
            st.integers(-(10**9), 10**9),
            st.floats(allow_nan=False, allow_infinity=False),
            # "1.000" is refused as ambiguous (a thousand or one), so not generated here.
            st.from_regex(r"[+-]?[0-9]{1,12}([.,][0-9]{1,8})?", fullmatch=True).filter(
                lambda text: not re.fullmatch(r"[+-]?[1-9][0-9]{0,2}\.[0-9]{3}", text)
            ),
        )
    else:
        indexes = st.sampled_from([str(i) for i in range(len(data["pairs"]))])
        shaped = st.dictionaries(indexes, indexes)
    return st.none() | shaped


@pytest.mark.parametrize("question_type", TYPES)
@given(draw=st.data())
def test_score_always_within_bounds(question_type, draw):
    data = draw.draw(DATA[question_type])
    stored = check_response(question_type, data, draw.draw(responses(question_type, data)))
    assert check_response(question_type, data, stored) == stored  # storing is idempotent
    score = grade(question_type, data, stored)
    assert score.max_points == 1.0
    assert 0.0 <= score.points <= score.max_points
    assert score.is_correct == (score.points == score.max_points)


@pytest.mark.parametrize("question_type", ["single", "multiple"])
@given(draw=st.data())
def test_option_order_never_changes_a_score(question_type, draw):
    data = draw.draw(DATA[question_type])
    response = draw.draw(responses(question_type, data))
    shuffled = {**data, "options": draw.draw(st.permutations(data["options"]))}
    assert check_response(question_type, shuffled, response) == check_response(
        question_type, data, response
    )
    assert grade(question_type, shuffled, check_response(question_type, shuffled, response)) == (
        grade(question_type, data, check_response(question_type, data, response))
    )


@given(draw=st.data())
def test_pair_order_never_changes_a_matching_score(draw):
    data = draw.draw(matching_data())
    response = draw.draw(responses("matching", data))
    count = len(data["pairs"])
    order = draw.draw(st.permutations(range(count)))
    # Pair `old` now sits at position new_position[old], on the left and on the right alike.
    new_position = {old: new for new, old in enumerate(order)}
    shuffled = {"pairs": [data["pairs"][old] for old in order]}
    remapped = None
    if response is not None:
        remapped = {
            str(new_position[int(left)]): str(new_position[int(right)])
            for left, right in response.items()
        }
    before = grade("matching", data, check_response("matching", data, response))
    after = grade("matching", shuffled, check_response("matching", shuffled, remapped))
    assert before == after


def key_response(question_type: str, data: dict[str, Any], draw: st.DataObject) -> Any:
    """The response a kader who knows the key would give, in any order or written form."""
    answer = data.get("answer")
    if question_type == "multiple":
        return draw.draw(st.permutations(answer))
    if question_type == "short":
        return draw.draw(st.sampled_from(answer))
    if question_type == "numeric" and isinstance(answer, int):
        return draw.draw(st.sampled_from([answer, str(answer), f"{answer},0"]))
    if question_type == "matching":
        return {str(i): str(i) for i in range(len(data["pairs"]))}
    return answer


@pytest.mark.parametrize("question_type", TYPES)
@given(draw=st.data())
def test_the_key_scores_full_marks(question_type, draw):
    data = draw.draw(DATA[question_type])
    response = key_response(question_type, data, draw)
    stored = check_response(question_type, data, response)
    assert grade(question_type, data, stored) == Score(1.0, 1.0, True)


@given(data=DATA["numeric"], fraction=st.floats(-1, 1))
def test_anything_within_tolerance_scores_full_marks(data, fraction):
    value = data["answer"] + fraction * data["tolerance"]
    assert grade("numeric", data, check_response("numeric", data, value)).is_correct


@given(draw=st.data())
def test_partial_credit_never_rises_with_a_wrong_choice(draw):
    data = draw.draw(multiple_data(scoring="partial"))
    chosen = draw.draw(st.lists(st.sampled_from(_ids(data)), unique=True))
    wrong = [o for o in _ids(data) if o not in data["answer"] and o not in chosen]
    assume(wrong)
    extra = draw.draw(st.sampled_from(wrong))
    before = grade("multiple", data, check_response("multiple", data, chosen))
    after = grade("multiple", data, check_response("multiple", data, [*chosen, extra]))
    assert after.points <= before.points
    assert not after.is_correct
