"""Drawing a test's questions and fixing their order (pure, reproducible from a seed)."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

from lms.assessment.blueprint import Blueprint, DrawRule, specific_first


@dataclass(frozen=True)
class Candidate:
    """A drawable question: its stable key, topic and difficulty."""

    key: str
    topic: str
    difficulty: str


def draw_questions(
    blueprint: Blueprint, candidates: list[Candidate], previous: set[str], seed: int
) -> list[Candidate]:
    """The questions for one attempt, in the order they are shown.

    Questions seen in the previous attempt are used only when the bank has no fresh ones left
    for a rule; a general rule spreads its questions over the topics. The same candidates,
    previous set and seed always give the same draw.
    """
    rng = random.Random(seed)  # noqa: S311 - fairness, not secrecy: the seed is stored
    pool = sorted(candidates, key=lambda c: c.key)
    chosen: list[Candidate] = []
    for rule in sorted(blueprint.draw, key=specific_first):
        available = [c for c in pool if c not in chosen and rule.matches(c.topic, c.difficulty)]
        chosen += _take(rule, available, previous, rng)
    if blueprint.shuffle_questions:
        rng.shuffle(chosen)
    return chosen


def _take(
    rule: DrawRule, available: list[Candidate], previous: set[str], rng: random.Random
) -> list[Candidate]:
    fresh = [c for c in available if c.key not in previous]
    seen = [c for c in available if c.key in previous]
    rng.shuffle(fresh)
    rng.shuffle(seen)
    ordered = fresh + seen
    if rule.topic is not None:
        return ordered[: rule.count]
    # Round-robin over topics so a general rule covers the whole unit.
    by_topic: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in ordered:
        by_topic[candidate.topic].append(candidate)
    topics = sorted(by_topic)
    rng.shuffle(topics)
    picked: list[Candidate] = []
    while len(picked) < rule.count and any(by_topic.values()):
        for topic in topics:
            if by_topic[topic] and len(picked) < rule.count:
                picked.append(by_topic[topic].pop(0))
    return picked


def option_order(question_type: str, data: dict, shuffle: bool, rng: random.Random) -> list[str]:
    """The display order of a question's options (ids), or of a matching question's right side
    (pair indexes, always shuffled: in the file order every pair would be lined up)."""
    if question_type in ("single", "multiple"):
        ids = [option_id for option_id, _ in data["options"]]
        if shuffle:
            rng.shuffle(ids)
        return ids
    if question_type == "matching":
        indexes = [str(i) for i in range(len(data["pairs"]))]
        for _ in range(10):
            rng.shuffle(indexes)
            if indexes != sorted(indexes, key=int):
                break
        return indexes
    return []
