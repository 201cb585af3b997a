"""A simulated kader: its phone connections, and the deterministic plan of the answers it saves
(right and wrong answers written the way a phone might send them, second, late and racing saves).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from lms.assessment import grading

from .client import Client


def right_answer(kind: str, data: dict[str, Any], rng: random.Random) -> Any:
    """The correct response, written the way a phone might send it (the server normalises)."""
    if kind == "short":
        return f"  {data['answer'][0].upper()} "
    if kind == "matching":
        pairs = [(str(i), str(i)) for i in range(len(data["pairs"]))]
        return dict(reversed(pairs))
    if kind == "multiple":
        return list(reversed(data["answer"]))
    if kind == "numeric" and rng.random() < 0.5:
        return str(data["answer"]).replace(".", ",")
    return data["answer"]


def wrong_answer(kind: str, data: dict[str, Any], rng: random.Random) -> Any:
    """A response that scores less than full marks (sometimes partial marks)."""
    if kind == "single":
        return next(key for key, _ in data["options"] if key != data["answer"])
    if kind == "multiple":
        if len(data["answer"]) > 1 and rng.random() < 0.5:
            return data["answer"][:-1]
        return [next(key for key, _ in data["options"] if key not in data["answer"])]
    if kind == "truefalse":
        return not data["answer"]
    if kind == "short":
        return "jawaban yang keliru"
    if kind == "numeric":
        return data["answer"] + 1000 + 10 * float(data.get("tolerance") or 0)
    count = len(data["pairs"])
    if rng.random() < 0.5:  # two swapped: partial marks
        pairs = {str(i): str(i) for i in range(count)}
        pairs["0"], pairs["1"] = "1", "0"
        return pairs
    return {str(i): str((i + 1) % count) for i in range(count)}


@dataclass
class Save:
    position: int
    response: Any
    seq: int
    #: What the server must answer: False for a late save older than one already applied.
    applied: bool
    #: The stored (normalised) value the server must report after this save.
    stored_after: Any = None
    #: An older save of the same answer sent at the same moment on a second connection (a
    #: phone retrying): whichever the server takes first, the newer value must win.
    racing: Save | None = None


@dataclass
class Kader:
    index: int
    user_id: int
    phone: str
    client: Client
    attempt_id: int | None = None
    questions: dict[int, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    saves: list[Save] = field(default_factory=list)
    #: position -> (stored value, seq) the database must hold after the save phase.
    expected: dict[int, tuple[Any, int]] = field(default_factory=dict)
    #: positions with a save that failed (counted as errors, not as lost answers).
    failed_positions: set[int] = field(default_factory=set)
    ack_mismatches: int = 0
    saved_twice: int = 0
    saved_late: int = 0
    saved_racing: int = 0
    #: Submits the same attempt twice at the same moment (a double tap or a retry).
    double_submit: bool = False
    submit_results: list[dict[str, Any]] = field(default_factory=list)
    second: Client | None = None

    def second_client(self) -> Client:
        if self.second is None:
            self.second = Client(self.client.port)
            self.second.token = self.client.token
        return self.second


def plan_saves(kader: Kader) -> None:
    """A deterministic mix per kader: accuracy from 45 % to 100 % so grades vary; ~20 % of
    answers saved twice (the second time with a higher seq, half of them at the end: the kader
    went back), ~10 % delivered out of order (the newer save arrives first, the older one late
    and must come back applied=false), ~5 % sent as a racing pair (older and newer at the same
    moment on two connections). Every tenth kader submits twice at the same moment."""
    rng = random.Random(7919 * (kader.index + 1))  # noqa: S311 - reproducible, not a secret
    accuracy = 0.45 + 0.55 * (kader.index % 12) / 11
    positions = list(kader.questions)
    rng.shuffle(positions)
    now_saves: list[Save] = []
    later: list[Save] = []
    for position in positions:
        kind, data = kader.questions[position]
        correct = rng.random() < accuracy
        final = right_answer(kind, data, rng) if correct else wrong_answer(kind, data, rng)
        other = wrong_answer(kind, data, rng) if correct else right_answer(kind, data, rng)
        plan_answer(kader, position, final, other, rng.random(), now_saves, later)
    kader.saves = now_saves + later
    kader.double_submit = kader.index % 10 == 3


def plan_answer(
    kader: Kader,
    position: int,
    final: Any,
    other: Any,
    roll: float,
    now_saves: list[Save],
    later: list[Save],
) -> None:
    """The saves of one answer, by `roll`: saved twice (the second save now or at the end),
    the newer save first and an older one late, a racing pair, or saved once. `final` is what
    the database must hold at the end, `other` the value of the older save."""
    kind, data = kader.questions[position]
    stored_final = grading.check_response(kind, data, final)
    stored_other = grading.check_response(kind, data, other)
    if roll < 0.2:
        now_saves.append(Save(position, other, 1, True, stored_other))
        (later if roll < 0.1 else now_saves).append(Save(position, final, 2, True, stored_final))
        kader.expected[position] = (stored_final, 2)
        kader.saved_twice += 1
    elif roll < 0.3:
        now_saves.append(Save(position, final, 2, True, stored_final))
        now_saves.append(Save(position, other, 1, False, stored_final))
        kader.expected[position] = (stored_final, 2)
        kader.saved_late += 1
    elif roll < 0.35:
        older = Save(position, other, 1, True, stored_other)
        now_saves.append(Save(position, final, 2, True, stored_final, racing=older))
        kader.expected[position] = (stored_final, 2)
        kader.saved_racing += 1
    else:
        now_saves.append(Save(position, final, 1, True, stored_final))
        kader.expected[position] = (stored_final, 1)
