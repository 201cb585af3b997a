"""The bookkeeping of one pass over the content folders (pure).

A `Loader` holds the curriculum read so far and every problem found, and the checks the
unit, lesson, bank and program readers share: paths relative to the content root, problems
as `path:line: message`, YAML files, required fields and unique slug ids.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lms.content.spec import Curriculum, Problem
from lms.content.yamlnodes import LocatedDict, YamlProblem, parse_yaml

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def N_(message: str) -> str:
    """Mark a message for the translation catalogue without translating it here (pure module)."""
    return message


#: What `Loader.require` says when a field is missing or of the wrong kind, per kind.
MISSING = {
    str: N_("wajib ada '%(key)s' (teks)"),
    int: N_("wajib ada '%(key)s' (bilangan bulat)"),
    list: N_("wajib ada '%(key)s' (daftar)"),
    dict: N_("wajib ada '%(key)s' (baris nama: nilai)"),
}
WRONG_KIND = {
    str: N_("'%(key)s' harus berupa teks"),
    int: N_("'%(key)s' harus bilangan bulat"),
    list: N_("'%(key)s' harus berupa daftar"),
    dict: N_("'%(key)s' harus berisi baris nama: nilai"),
}
#: What `Loader.claim_id` says about an id that is not a slug, per kind of id.
BAD_ID = {
    "objective": N_("id tujuan '%(key)s' hanya boleh berisi huruf kecil, angka dan tanda hubung"),
    "lesson": N_("id pelajaran '%(key)s' hanya boleh berisi huruf kecil, angka dan tanda hubung"),
    "question": N_("id soal '%(key)s' hanya boleh berisi huruf kecil, angka dan tanda hubung"),
}
NOT_UTF8 = N_("berkas bukan teks UTF-8 (simpan ulang dengan encoding UTF-8)")
UNKNOWN_OBJECTIVE = N_("tujuan '%(objective)s' tidak ada di %(unit)s/unit.yaml")


class Loader:
    """One pass over the content folders, collecting specs and problems."""

    def __init__(self, root: Path, modules: Path, banks: Path) -> None:
        self.root = root
        self.modules = modules
        self.banks = banks
        self.curriculum = Curriculum()
        self.problems: list[Problem] = []
        self.objective_ids: dict[str, str] = {}  # objective id -> unit code
        self.seen_ids: dict[str, str] = {}  # lesson/question id -> where first seen

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def problem(self, path: Path, line: int, message: str, /, **params: Any) -> None:
        """Record a problem; `message` is an msgid marked with N_, `params` fill it."""
        self.problems.append(Problem(self.rel(path), line, message, params))

    def read_yaml(self, path: Path) -> Any:
        try:
            return parse_yaml(path.read_text(encoding="utf-8"))
        except YamlProblem as error:
            self.problem(path, error.line, error.message, **error.params)
        except UnicodeDecodeError:
            self.problem(path, 1, NOT_UTF8)
        return None

    def require(self, data: LocatedDict, key: str, kind: type, path: Path) -> Any:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            self.problem(path, data.line, MISSING[kind], key=key)
            return None
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            self.problem(path, data.line_of(key), WRONG_KIND[kind], key=key)
            return None
        return value

    def has_problem_under(self, folder: Path) -> bool:
        prefix = self.rel(folder) + "/"
        return any(problem.path.startswith(prefix) for problem in self.problems)

    def has_problem_in(self, path: Path) -> bool:
        return any(problem.path == self.rel(path) for problem in self.problems)

    def claim_id(self, key: Any, path: Path, line: int, what: str) -> bool:
        if not isinstance(key, str) or not SLUG.fullmatch(key):
            self.problem(path, line, BAD_ID[what], key=key)
            return False
        where = f"{self.rel(path)}:{line}"
        if key in self.seen_ids:
            message = N_("id '%(key)s' sudah dipakai (pertama kali di %(where)s)")
            self.problem(path, line, message, key=key, where=self.seen_ids[key])
            return False
        self.seen_ids[key] = where
        return True
