"""A unit's test blueprint: what to draw and the rules of the test (pure).

It is written in the unit's `unit.yaml` under `test:`; every field has a default, so a unit
without a `test:` section gets the standard competency test.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

REVIEW_LEVELS = ("score", "correctness", "full")
UNLOCK_RULES = ("none", "all-lessons-read")
DIFFICULTIES = ("mudah", "sedang", "sulit")

#: A problem in the `test:` section: (line, Bahasa Indonesia msgid, its %(name)s parameters).
Found = tuple[int, str, dict[str, Any]]


def N_(message: str) -> str:
    """Mark a message for the translation catalogue without translating it here (pure module)."""
    return message


@dataclass(frozen=True)
class DrawRule:
    """Draw `count` questions of this topic and difficulty (None: any)."""

    count: int
    topic: str | None = None
    difficulty: str | None = None

    def matches(self, topic: str, difficulty: str) -> bool:
        return (self.topic in (None, topic)) and (self.difficulty in (None, difficulty))


@dataclass(frozen=True)
class Blueprint:
    draw: tuple[DrawRule, ...] = (DrawRule(20),)
    time_limit_minutes: int = 30
    pass_mark: int = 70
    #: None: unlimited attempts.
    attempts_allowed: int | None = 3
    wait_hours: float = 24
    shuffle_questions: bool = True
    shuffle_options: bool = True
    #: What a kader sees after submitting: score / correctness / full (answers and feedback).
    review_after_fail: str = "correctness"
    review_after_pass: str = "full"  # noqa: S105 - a review level, not a password
    unlock: str = "none"
    questions_per_page: int = 5
    #: Seconds after the deadline in which answers already in flight are still accepted.
    grace_seconds: int = 30

    @property
    def question_count(self) -> int:
        return sum(rule.count for rule in self.draw)

    def review_level(self, passed: bool) -> str:
        return self.review_after_pass if passed else self.review_after_fail

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Blueprint:
        if not data:
            return cls()
        values = dict(data)
        values["draw"] = tuple(DrawRule(**rule) for rule in values.get("draw", []))
        return cls(**values)


@dataclass
class _Reader:
    data: Any
    problems: list[Found] = field(default_factory=list)

    def line(self, key: str) -> int:
        line_of = getattr(self.data, "line_of", None)
        return line_of(key) if line_of else 1

    def add(self, line: int, message: str, /, **params: Any) -> None:
        self.problems.append((line, message, params))

    def integer(self, key: str, default: int, low: int, high: int) -> int:
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            message = N_("'%(key)s' di 'test' harus bilangan bulat %(low)d sampai %(high)d")
            self.add(self.line(key), message, key=key, low=low, high=high)
            return default
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            self.add(self.line(key), N_("'%(key)s' di 'test' harus true atau false"), key=key)
            return default
        return value

    def choice(self, key: str, value: Any, allowed: tuple[str, ...], default: str) -> str:
        if value not in allowed:
            message = N_("'%(key)s' di 'test' harus salah satu dari %(allowed)s")
            self.add(self.line(key), message, key=key, allowed=", ".join(allowed))
            return default
        return value


def parse_blueprint(data: Any) -> tuple[Blueprint, list[Found]]:
    """The blueprint from a unit.yaml `test:` mapping (None: all defaults), with problems."""
    if data is None:
        return Blueprint(), []
    if not isinstance(data, dict):
        message = N_("'test' harus berisi baris nama: nilai (questions: ..., pass_mark: ...)")
        return Blueprint(), [(getattr(data, "line", 1), message, {})]
    reader = _Reader(data)
    defaults = Blueprint()
    known = {
        "questions", "draw", "time_limit_minutes", "pass_mark", "attempts", "wait_hours",
        "shuffle_questions", "shuffle_options", "review", "unlock", "questions_per_page",
    }  # fmt: skip
    for key in sorted(set(data) - known):
        reader.add(reader.line(key), N_("pengaturan '%(key)s' di 'test' tidak dikenal"), key=key)
    draw = _parse_draw(data, reader)
    attempts_value = data.get("attempts", defaults.attempts_allowed)
    attempts: int | None
    attempts = None if attempts_value == "unlimited" else reader.integer("attempts", 3, 1, 100)
    review = data.get("review", {})
    if not isinstance(review, dict):
        reader.add(
            reader.line("review"), N_("'review' di 'test' harus berisi 'failed' dan 'passed'")
        )
        review = {}
    wait = data.get("wait_hours", defaults.wait_hours)
    if isinstance(wait, bool) or not isinstance(wait, int | float) or not 0 <= wait <= 24 * 365:
        reader.add(reader.line("wait_hours"), N_("'wait_hours' di 'test' harus angka 0 atau lebih"))
        wait = defaults.wait_hours
    blueprint = Blueprint(
        draw=draw,
        time_limit_minutes=reader.integer("time_limit_minutes", 30, 1, 600),
        pass_mark=reader.integer("pass_mark", 70, 1, 100),
        attempts_allowed=attempts,
        wait_hours=wait,
        shuffle_questions=reader.boolean("shuffle_questions", True),
        shuffle_options=reader.boolean("shuffle_options", True),
        review_after_fail=reader.choice(
            "review", review.get("failed", defaults.review_after_fail), REVIEW_LEVELS, "correctness"
        ),
        review_after_pass=reader.choice(
            "review", review.get("passed", defaults.review_after_pass), REVIEW_LEVELS, "full"
        ),
        unlock=reader.choice("unlock", data.get("unlock", "none"), UNLOCK_RULES, "none"),
        questions_per_page=reader.integer("questions_per_page", 5, 1, 50),
    )
    return blueprint, reader.problems


def _parse_draw(data: Any, reader: _Reader) -> tuple[DrawRule, ...]:
    if "draw" in data and "questions" in data:
        reader.add(reader.line("draw"), N_("tulis 'questions' atau 'draw', jangan keduanya"))
    if "draw" not in data:
        return (DrawRule(reader.integer("questions", 20, 1, 200)),)
    rules = data["draw"]
    if not isinstance(rules, list) or not rules:
        reader.add(reader.line("draw"), N_("'draw' di 'test' harus berupa daftar aturan"))
        return Blueprint().draw
    parsed = []
    item_lines = getattr(rules, "item_lines", [reader.line("draw")] * len(rules))
    for line, rule in zip(item_lines, rules, strict=True):
        count = rule.get("count") if isinstance(rule, dict) else None
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            reader.add(line, N_("setiap aturan 'draw' harus punya 'count' 1 atau lebih"))
            continue
        difficulty = rule.get("difficulty")
        if difficulty is not None and difficulty not in DIFFICULTIES:
            message = N_("'difficulty' di 'draw' harus salah satu dari %(allowed)s")
            reader.add(line, message, allowed=", ".join(DIFFICULTIES))
            continue
        parsed.append(DrawRule(count, rule.get("topic"), difficulty))
    return tuple(parsed) or Blueprint().draw


def draw_gaps(blueprint: Blueprint, questions: list[tuple[str, str]]) -> list[tuple[DrawRule, int]]:
    """Rules the bank cannot satisfy and how many questions each could get, given (topic,
    difficulty) of every drawable question."""
    gaps = []
    remaining = list(questions)
    for rule in sorted(blueprint.draw, key=specific_first):
        matching = [q for q in remaining if rule.matches(*q)]
        if len(matching) < rule.count:
            gaps.append((rule, len(matching)))
        for taken in matching[: rule.count]:
            remaining.remove(taken)
    return gaps


def draw_shortfalls(
    blueprint: Blueprint, questions: list[tuple[str, str]]
) -> list[tuple[str, dict[str, Any]]]:
    """The gaps as content-check messages: (Bahasa Indonesia msgid, its parameters)."""
    shortfalls = []
    for rule, available in draw_gaps(blueprint, questions):
        what = " ".join(filter(None, [rule.topic, rule.difficulty]))
        message = (
            N_("uji mengambil %(count)d soal (%(what)s) tetapi bank hanya punya %(available)d")
            if what
            else N_("uji mengambil %(count)d soal tetapi bank hanya punya %(available)d")
        )
        shortfalls.append((message, {"count": rule.count, "what": what, "available": available}))
    return shortfalls


def specific_first(rule: DrawRule) -> int:
    return -((rule.topic is not None) + (rule.difficulty is not None))
