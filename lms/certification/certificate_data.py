"""What a certificate says: the facts the caller gathers, and how dates and scores are written.

Pure: the standard library only. Indonesian month names and the decimal comma are written out
here, so that the server's locale never decides what a certificate says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


@dataclass(frozen=True)
class UnitLine:
    """One competence unit the kader passed."""

    title: str
    passed_on: date
    percent: float  # score of the passing attempt, 0-100


@dataclass(frozen=True)
class CertificateData:
    """Everything printed on a certificate; the caller has already checked it."""

    program_title: str
    holder_name: str
    kecamatan: str
    desa: str
    units: tuple[UnitLine, ...]
    issued_on: date
    expires_on: date
    issuer_name: str
    issuer_place: str
    code_display: str
    verify_url: str


def format_date_id(day: date) -> str:
    """A date as written in Indonesian prose: 5 Januari 2026."""
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"


def format_percent(percent: float) -> str:
    """A score with the Indonesian decimal comma: 90%, 86,7%."""
    rounded = round(percent, 1)
    if rounded == int(rounded):
        return f"{int(rounded)}%"
    return f"{rounded:.1f}".replace(".", ",") + "%"
