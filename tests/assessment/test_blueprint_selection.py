"""Blueprints from unit.yaml and the reproducible draw (pure)."""

from __future__ import annotations

import random

import pytest

from lms.assessment.blueprint import Blueprint, DrawRule, draw_shortfalls, parse_blueprint
from lms.assessment.selection import Candidate, draw_questions, option_order


def test_defaults_match_the_bundled_standard():
    blueprint, problems = parse_blueprint(None)
    assert problems == []
    assert blueprint.question_count == 20 and blueprint.time_limit_minutes == 30
    assert blueprint.pass_mark == 70 and blueprint.attempts_allowed == 3
    assert blueprint.wait_hours == 24 and blueprint.unlock == "none"
    assert blueprint.review_level(passed=False) == "correctness"
    assert blueprint.review_level(passed=True) == "full"


def test_full_test_section():
    blueprint, problems = parse_blueprint(
        {
            "draw": [{"topic": "kka", "difficulty": "sulit", "count": 2}, {"count": 8}],
            "time_limit_minutes": 15, "pass_mark": 80, "attempts": "unlimited", "wait_hours": 0,
            "shuffle_questions": False, "shuffle_options": False,
            "review": {"failed": "score", "passed": "correctness"}, "unlock": "all-lessons-read",
        }
    )  # fmt: skip
    assert problems == []
    assert blueprint.draw == (DrawRule(2, "kka", "sulit"), DrawRule(8))
    assert blueprint.attempts_allowed is None and blueprint.question_count == 10
    assert blueprint.review_level(passed=False) == "score"
    assert Blueprint.from_json(blueprint.to_json()) == blueprint


@pytest.mark.parametrize(
    ("section", "fragment"),
    [
        ({"pass_mark": 150}, "'pass_mark' di 'test' harus bilangan bulat 1 sampai 100"),
        ({"attempts": 0}, "'attempts' di 'test' harus bilangan bulat 1 sampai 100"),
        ({"time_limit_minutes": "30"}, "'time_limit_minutes' di 'test' harus bilangan bulat"),
        ({"review": {"failed": "semua"}}, "'review' di 'test' harus salah satu dari score, "),
        ({"review": "semua"}, "'review' di 'test' harus berisi 'failed' dan 'passed'"),
        ({"unlock": "kapan-saja"}, "'unlock' di 'test' harus salah satu dari none, "),
        ({"draw": [{"count": 0}]}, "setiap aturan 'draw' harus punya 'count' 1 atau lebih"),
        ({"draw": [{"count": 2, "difficulty": "susah"}]},
         "'difficulty' di 'draw' harus salah satu dari mudah, sedang, sulit"),
        ({"draw": "semua"}, "'draw' di 'test' harus berupa daftar aturan"),
        ({"questions": 10, "draw": [{"count": 2}]}, "tulis 'questions' atau 'draw', jangan"),
        ({"shuffle_options": "ya"}, "'shuffle_options' di 'test' harus true atau false"),
        ({"wait_hours": -1}, "'wait_hours' di 'test' harus angka 0 atau lebih"),
        ({"waktu": 30}, "pengaturan 'waktu' di 'test' tidak dikenal"),
        ([30], "'test' harus berisi baris nama: nilai"),
    ],
)  # fmt: skip
def test_bad_test_settings_are_problems(section, fragment):
    _, problems = parse_blueprint(section)
    texts = [message % params if params else message for _, message, params in problems]
    assert any(fragment in text for text in texts), texts


def test_shortfall_when_bank_too_small():
    blueprint = Blueprint(draw=(DrawRule(3, "kka", "sulit"), DrawRule(5)))
    questions = [("kka", "sulit")] * 2 + [("ape", "mudah")] * 10
    shortfalls = draw_shortfalls(blueprint, questions)
    assert [message % params for message, params in shortfalls] == [
        "uji mengambil 3 soal (kka sulit) tetapi bank hanya punya 2"
    ]
    assert draw_shortfalls(Blueprint(draw=(DrawRule(12),)), questions) == []


def bank(topics=("a", "b", "c", "d"), per_topic=10) -> list[Candidate]:
    levels = ("mudah", "sedang", "sulit")
    return [
        Candidate(f"{topic}-{i:02d}", topic, levels[i % 3])
        for topic in topics
        for i in range(per_topic)
    ]


def test_draw_is_reproducible_from_the_seed():
    blueprint = Blueprint()
    first = draw_questions(blueprint, bank(), set(), seed=42)
    assert first == draw_questions(blueprint, list(reversed(bank())), set(), seed=42)
    assert first != draw_questions(blueprint, bank(), set(), seed=43)
    assert len(first) == 20 and len(set(first)) == 20


def test_general_rule_spreads_over_topics():
    drawn = draw_questions(Blueprint(), bank(), set(), seed=7)
    per_topic = {topic: sum(c.topic == topic for c in drawn) for topic in "abcd"}
    assert set(per_topic.values()) == {5}


def test_specific_rules_honoured():
    blueprint = Blueprint(draw=(DrawRule(3, "a", "sulit"), DrawRule(2, None, "mudah"), DrawRule(5)))
    drawn = draw_questions(blueprint, bank(), set(), seed=1)
    assert sum(c.topic == "a" and c.difficulty == "sulit" for c in drawn) >= 3
    assert len(drawn) == 10 and len(set(drawn)) == 10


@pytest.mark.parametrize("seed", range(20))
def test_previous_questions_avoided_while_the_bank_allows(seed):
    previous = {c.key for c in draw_questions(Blueprint(), bank(), set(), seed=seed)}
    again = draw_questions(Blueprint(), bank(), previous, seed=seed + 100)
    assert not previous & {c.key for c in again}
    small = bank(per_topic=6)  # 24 questions: a second draw of 20 must reuse some
    seen = {c.key for c in draw_questions(Blueprint(), small, set(), seed=seed)}
    reuse = draw_questions(Blueprint(), small, seen, seed=seed + 100)
    assert len(reuse) == 20 and len(seen & {c.key for c in reuse}) == 16


def test_option_order():
    data = {"options": [["a", "A"], ["b", "B"], ["c", "C"], ["d", "D"]]}
    assert option_order("single", data, False, random.Random(1)) == ["a", "b", "c", "d"]
    orders = {tuple(option_order("single", data, True, random.Random(s))) for s in range(20)}
    assert len(orders) > 1 and all(sorted(o) == ["a", "b", "c", "d"] for o in orders)
    pairs = {"pairs": [["1", "x"], ["2", "y"], ["3", "z"]]}
    for seed in range(20):
        order = option_order("matching", pairs, False, random.Random(seed))
        assert sorted(order) == ["0", "1", "2"] and order != ["0", "1", "2"]
    assert option_order("truefalse", {"answer": True}, True, random.Random(1)) == []
