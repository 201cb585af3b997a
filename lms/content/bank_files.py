"""Reads question banks: question_banks/<unit>/*.yaml, one question at a time (pure).

Also checks that each unit's test blueprint can be drawn from the questions its bank holds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lms.assessment.blueprint import DIFFICULTIES, draw_shortfalls
from lms.content.loading import N_, SLUG, UNKNOWN_OBJECTIVE, Loader
from lms.content.question_types import QUESTION_TYPES, QuestionType
from lms.content.spec import QuestionSpec, UnitSpec
from lms.content.yamlnodes import LocatedDict

QUESTION_COMMON = {"id", "type", "difficulty", "topic", "objective", "stem", "feedback"}


def load_bank(loader: Loader, folder: Path) -> None:
    """Add the questions in `folder` to the unit of the same name."""
    unit = loader.curriculum.units.get(folder.name)
    files = sorted(folder.glob("*.yaml"))
    if unit is None:
        message = N_("bank soal untuk unit '%(unit)s' yang tidak ada")
        loader.problem(folder, 1, message, unit=folder.name)
        return
    for path in sorted(folder.glob("*.yml")):
        loader.problem(path, 1, N_("nama berkas bank soal harus berakhiran .yaml"))
    for path in files:
        data = loader.read_yaml(path)
        if data is None and loader.has_problem_in(path):
            continue
        if not isinstance(data, LocatedDict) or not isinstance(data.get("questions"), list):
            loader.problem(path, 1, N_("berkas bank soal harus berisi daftar 'questions:'"))
            continue
        items = data["questions"]
        for line, item in zip(items.item_lines, items, strict=True):
            question = load_question(loader, item, line, path, unit)
            if question:
                unit.questions.append(question)


def load_question(
    loader: Loader, q: Any, line: int, path: Path, unit: UnitSpec
) -> QuestionSpec | None:
    """The question `q`, or None (with its problems recorded) if anything is wrong with it."""
    if not isinstance(q, LocatedDict):
        message = N_("setiap soal harus berisi baris nama: nilai (id: ..., type: ...)")
        loader.problem(path, line, message)
        return None
    key = loader.require(q, "id", str, path)
    if key is None or not loader.claim_id(key, path, q.line_of("id"), "question"):
        return None
    count = len(loader.problems)
    kind = q.get("type")
    question_type = QUESTION_TYPES.get(kind) if isinstance(kind, str) else None
    if question_type is None:
        message = N_("type '%(type)s' tidak dikenal (yang ada: %(known)s)")
        loader.problem(path, q.line_of("type"), message, type=kind, known=", ".join(QUESTION_TYPES))
    difficulty, topic, objective = classification(loader, q, path, unit)
    stem = loader.require(q, "stem", str, path)
    feedback = loader.require(q, "feedback", str, path)
    if question_type is not None:
        check_type_fields(loader, q, question_type, path)
    if len(loader.problems) > count:
        return None
    return QuestionSpec(
        key=key,
        unit_code=unit.code,
        type=kind,
        difficulty=difficulty,
        topic=topic,
        objective=objective,
        stem=stem.strip(),
        feedback=feedback.strip(),
        data=question_type.extract(q),
        path=loader.rel(path),
        line=q.line,
    )


def classification(
    loader: Loader, q: LocatedDict, path: Path, unit: UnitSpec
) -> tuple[Any, str | None, str | None]:
    """The question's difficulty, topic and objective, each checked."""
    difficulty = q.get("difficulty")
    if difficulty not in DIFFICULTIES:
        message = N_("'difficulty' harus salah satu dari %(allowed)s, bukan '%(value)s'")
        allowed = ", ".join(DIFFICULTIES)
        loader.problem(path, q.line_of("difficulty"), message, allowed=allowed, value=difficulty)
    topic = loader.require(q, "topic", str, path)
    if topic is not None and not SLUG.fullmatch(topic):
        message = N_("'topic' (%(topic)s) hanya boleh berisi huruf kecil, angka dan tanda hubung")
        loader.problem(path, q.line_of("topic"), message, topic=topic)
    objective = loader.require(q, "objective", str, path)
    if objective is not None and loader.objective_ids.get(objective) != unit.code:
        line = q.line_of("objective")
        loader.problem(path, line, UNKNOWN_OBJECTIVE, objective=objective, unit=unit.code)
    return difficulty, topic, objective


def check_type_fields(
    loader: Loader, q: LocatedDict, question_type: QuestionType, path: Path
) -> None:
    """Only the fields the question's type uses, each as that type wants it."""
    kind = q.get("type")
    for field_name in sorted(set(q) - QUESTION_COMMON - question_type.fields):
        message = N_("'%(field)s' tidak dipakai pada soal type '%(type)s'")
        loader.problem(path, q.line_of(field_name), message, field=field_name, type=kind)
    for problem_line, message, params in question_type.problems(q):
        loader.problem(path, problem_line, message, **params)


def check_test_draws(loader: Loader) -> None:
    """Each unit's test blueprint asks for no more questions than its bank holds."""
    for unit in loader.curriculum.units.values():
        if loader.has_problem_under(loader.banks / unit.code):
            continue  # broken questions are missing from the count: the check would mislead
        drawable = [(q.topic, q.difficulty) for q in unit.questions]
        path = loader.modules / unit.code / "unit.yaml"
        for message, params in draw_shortfalls(unit.blueprint, drawable):
            loader.problem(path, unit.test_line, message, **params)
