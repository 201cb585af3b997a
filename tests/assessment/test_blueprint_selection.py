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
        ({"pass_mark": 150}, "pass_mark"),
        ({"attempts": 0}, "attempts"),
        ({"time_limit_minutes": "30"}, "time_limit_minutes"),
        ({"review": {"failed": "semua"}}, "review"),
        ({"unlock": "kapan-saja"}, "unlock"),
        ({"draw": [{"count": 0}]}, "count"),
        ({"draw": [{"count": 2, "difficulty": "susah"}]}, "difficulty"),
        ({"questions": 10, "draw": [{"count": 2}]}, "either"),
        ({"shuffle_options": "ya"}, "shuffle_options"),
        ({"waktu": 30}, "unknown test setting 'waktu'"),
    ],
)
def test_bad_test_settings_are_problems(section, fragment):
    _, problems = parse_blueprint(section)
    assert any(fragment in message for _, message in problems), problems


def test_shortfall_when_bank_too_small():
    blueprint = Blueprint(draw=(DrawRule(3, "kka", "sulit"), DrawRule(5)))
    questions = [("kka", "sulit")] * 2 + [("ape", "mudah")] * 10
    assert draw_shortfalls(blueprint, questions) == [
        "test draws 3 question(s) (kka sulit) but the bank has 2"
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
