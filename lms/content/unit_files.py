"""Reads one unit folder: modules/<unit>/unit.yaml, its objectives and its lessons (pure)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lms.assessment.blueprint import parse_blueprint
from lms.content.lesson_files import load_lessons
from lms.content.loading import N_, Loader
from lms.content.spec import UnitSpec
from lms.content.yamlnodes import LocatedDict


def load_unit(loader: Loader, folder: Path) -> None:
    """Register the unit in `folder` with its lessons, recording every problem found."""
    path = folder / "unit.yaml"
    if not path.exists():
        loader.problem(folder, 1, N_("folder unit tidak berisi unit.yaml"))
        return
    data = loader.read_yaml(path)
    if not isinstance(data, LocatedDict):
        if data is not None or not loader.has_problem_in(path):
            message = N_("unit.yaml harus berisi baris nama: nilai (code: ..., title: ...)")
            loader.problem(path, 1, message)
        return
    unit = unit_spec(loader, data, folder, path)
    loader.curriculum.units[folder.name] = unit
    load_lessons(loader, folder, unit, path)


def unit_spec(loader: Loader, data: LocatedDict, folder: Path, path: Path) -> UnitSpec:
    """The unit that unit.yaml describes, its test blueprint included."""
    code = loader.require(data, "code", str, path)
    if code is not None and code != folder.name:
        message = N_("'code' (%(code)s) harus sama dengan nama folder unit (%(folder)s)")
        loader.problem(path, data.line_of("code"), message, code=code, folder=folder.name)
    values = {
        key: loader.require(data, key, kind, path)
        for key, kind in [
            ("title", str),
            ("summary", str),
            ("order", int),
            ("estimated_minutes", int),
            ("objectives", list),
        ]
    }
    objectives = load_objectives(loader, values["objectives"], folder.name, path)
    # Even with a wrong field the unit is registered under its folder name, so that its
    # lessons and questions are still checked (nothing is synced while any problem exists).
    unit = UnitSpec(
        code=folder.name,
        title=(values["title"] or "").strip(),
        summary=(values["summary"] or "").strip(),
        order=values["order"] or 0,
        estimated_minutes=values["estimated_minutes"] or 0,
        objectives=objectives,
        path=loader.rel(path),
    )
    unit.blueprint, blueprint_problems = parse_blueprint(data.get("test"))
    unit.test_line = data.line_of("test")
    for line, message, params in blueprint_problems:
        loader.problem(path, line, message, **params)
    return unit


def load_objectives(
    loader: Loader, items: Any, unit_code: str, path: Path
) -> list[tuple[str, str]]:
    objectives: list[tuple[str, str]] = []
    if not isinstance(items, list):
        return objectives
    for line, item in zip(items.item_lines, items, strict=True):
        if not isinstance(item, dict) or not item.get("id") or not item.get("text"):
            loader.problem(path, line, N_("setiap tujuan wajib punya 'id' dan 'text'"))
            continue
        key = item["id"]
        if not loader.claim_id(key, path, line, "objective"):
            continue
        if not str(key).startswith(unit_code + "-"):
            message = N_("id tujuan '%(key)s' harus diawali '%(prefix)s'")
            loader.problem(path, line, message, key=key, prefix=unit_code + "-")
        loader.objective_ids[key] = unit_code
        objectives.append((key, str(item["text"]).strip()))
    return objectives
