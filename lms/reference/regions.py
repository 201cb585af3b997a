"""The kecamatan of Kabupaten Kutai Timur with their Kemendagri codes, read from a data file."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).with_name("kecamatan_kutai_timur.csv")


@cache
def kecamatan() -> dict[str, str]:
    """Kemendagri code -> name, sorted by name (the order people look for them in)."""
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {row["code"]: row["name"] for row in sorted(rows, key=lambda row: row["name"])}


def kecamatan_name(code: str | None) -> str:
    """The name for a code, or an empty string for none."""
    return kecamatan().get(code or "", "")
