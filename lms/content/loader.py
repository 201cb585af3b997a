"""Reads modules/ and question_banks/ into a Curriculum, with every problem found (pure).

Every problem is reported as `path:line: message`; nothing stops at the first one. Messages
are Bahasa Indonesia msgids with %(name)s parameters (see `Problem`), translated where shown.

The reading is split by file: `unit_files` (unit.yaml), `lesson_files` (lessons and their
images), `bank_files` (question banks), `program_files` (programs); `loading` holds the
bookkeeping they share. This module runs them in order.
"""

from __future__ import annotations

from pathlib import Path

from lms.content.bank_files import check_test_draws, load_bank
from lms.content.lesson_files import IMAGE_REFERENCE, IMAGE_TYPES
from lms.content.loading import N_, SLUG, Loader
from lms.content.program_files import PROGRAMS_FOLDER, load_program
from lms.content.spec import Curriculum, Problem
from lms.content.unit_files import load_unit

__all__ = ["IMAGE_REFERENCE", "IMAGE_TYPES", "SLUG", "Loader", "load_curriculum"]


def load_curriculum(
    modules: Path, banks: Path, *, root: Path | None = None
) -> tuple[Curriculum, list[Problem]]:
    """Parse the content folders; returns the curriculum and every problem found."""
    loader = Loader(root or modules.parent, modules, banks)
    if not modules.is_dir():
        loader.problem(modules, 1, N_("folder konten tidak ditemukan"))
        return loader.curriculum, loader.problems
    for folder in sorted(p for p in modules.iterdir() if p.is_dir()):
        if folder.name != PROGRAMS_FOLDER:
            load_unit(loader, folder)
    if banks.is_dir():
        for folder in sorted(p for p in banks.iterdir() if p.is_dir()):
            load_bank(loader, folder)
    check_test_draws(loader)
    programs = modules / PROGRAMS_FOLDER
    if programs.is_dir():
        for path in sorted(programs.glob("*.yaml")):
            load_program(loader, path)
    return loader.curriculum, loader.problems
