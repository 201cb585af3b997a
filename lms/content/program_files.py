"""Reads the certification programs: modules/programs/*.yaml, which units each one asks (pure)."""

from __future__ import annotations

from pathlib import Path

from lms.content.loading import N_, Loader
from lms.content.spec import ProgramSpec
from lms.content.yamlnodes import LocatedDict

PROGRAMS_FOLDER = "programs"


def load_program(loader: Loader, path: Path) -> None:
    """Register the program in `path`; its units must already have been read."""
    data = loader.read_yaml(path)
    if not isinstance(data, LocatedDict):
        if data is not None:
            message = N_("berkas program harus berisi baris nama: nilai (code: ..., units: ...)")
            loader.problem(path, 1, message)
        return
    code = loader.require(data, "code", str, path)
    title = loader.require(data, "title", str, path)
    units = loader.require(data, "units", list, path)
    years = loader.require(data, "validity_years", int, path)
    issuer = loader.require(data, "issuer", dict, path)
    if None in (code, title, units, years, issuer):
        return
    for line, unit_code in zip(units.item_lines, units, strict=True):
        if not isinstance(unit_code, str):
            message = N_("'units' harus berupa daftar kode unit, misalnya [bkb, bkl]")
            loader.problem(path, line, message)
        elif unit_code not in loader.curriculum.units:
            message = N_("unit '%(unit)s' dalam program ini tidak ada")
            loader.problem(path, line, message, unit=unit_code)
    name = loader.require(issuer, "name", str, path)
    place = loader.require(issuer, "place", str, path)
    if name is None or place is None:
        return
    loader.curriculum.programs[code] = ProgramSpec(
        code=code,
        title=title,
        units=[str(u) for u in units],
        validity_years=years,
        issuer_name=name,
        issuer_place=place,
        path=loader.rel(path),
    )
