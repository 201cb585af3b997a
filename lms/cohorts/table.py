"""The event table: one row per enrolled kader, a few queries for the whole event (no N+1)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.accounts.models import User
from lms.assessment.models import Attempt, UnitPass
from lms.certification.models import Certificate
from lms.cohorts.models import EventMembership, TrainingEvent
from lms.content.models import Lesson, Unit
from lms.extensions import db
from lms.reference.regions import kecamatan_name
from lms.study.models import LessonCompletion


@dataclass
class UnitCell:
    lessons_read: int = 0
    lessons_total: int = 0
    attempts: int = 0
    best_percent: float | None = None
    passed: bool = False


@dataclass
class KaderRow:
    user_id: int
    name: str
    desa: str
    kecamatan: str
    units: dict[str, UnitCell] = field(default_factory=dict)
    #: valid / expired / revoked / None (no certificate)
    certificate: str | None = None


@dataclass
class EventTable:
    event: TrainingEvent
    units: list[Unit]
    rows: list[KaderRow]


SORT_KEYS = ("nama", "desa", "sertifikat")


def event_table(
    event: TrainingEvent, *, today: date, sort: str = "nama", descending: bool = False
) -> EventTable:
    units = list(db.session.scalars(sa.select(Unit).where(Unit.code.in_(event.unit_codes))))
    units.sort(key=lambda unit: event.unit_codes.index(unit.code))
    code_of = {unit.id: unit.code for unit in units}
    rows = _empty_rows(event, code_of)
    user_ids = list(rows)
    _count_lessons_read(rows, code_of, user_ids)
    _count_attempts(rows, code_of, user_ids)
    _mark_passes(rows, code_of, user_ids, today)
    _add_certificates(rows, user_ids, today)
    ordered = sorted(rows.values(), key=_sort_key(sort), reverse=descending)
    return EventTable(event, units, ordered)


def _empty_rows(event: TrainingEvent, code_of: dict[int, str]) -> dict[int, KaderRow]:
    """A row per member (by user id) with a cell per unit that knows only its lesson total."""
    members = db.session.scalars(
        sa.select(User).join(EventMembership, EventMembership.user_id == User.id)
        .where(EventMembership.event_id == event.id)
    ).all()  # fmt: skip
    totals = dict(
        db.session.execute(
            sa.select(Lesson.unit_id, sa.func.count(Lesson.id))
            .where(Lesson.unit_id.in_(list(code_of)), Lesson.is_retired.is_(False))
            .group_by(Lesson.unit_id)
        ).all()
    )
    return {
        user.id: KaderRow(
            user.id, user.full_name, user.desa or "", kecamatan_name(user.kecamatan_code),
            {code: UnitCell(lessons_total=totals.get(uid, 0)) for uid, code in code_of.items()},
        )
        for user in members
    }  # fmt: skip


def _count_lessons_read(
    rows: dict[int, KaderRow], code_of: dict[int, str], user_ids: list[int]
) -> None:
    read = db.session.execute(
        sa.select(LessonCompletion.user_id, Lesson.unit_id,
                  sa.func.count(sa.distinct(LessonCompletion.lesson_id)))
        .join(Lesson, Lesson.id == LessonCompletion.lesson_id)
        .where(LessonCompletion.user_id.in_(user_ids), Lesson.unit_id.in_(list(code_of)),
               Lesson.is_retired.is_(False))
        .group_by(LessonCompletion.user_id, Lesson.unit_id)
    )  # fmt: skip
    for user_id, unit_id, count in read:
        rows[user_id].units[code_of[unit_id]].lessons_read = count


def _count_attempts(
    rows: dict[int, KaderRow], code_of: dict[int, str], user_ids: list[int]
) -> None:
    """Each cell's number of attempts and best percent."""
    attempts = db.session.execute(
        sa.select(
            Attempt.user_id,
            Attempt.unit_id,
            sa.func.count(Attempt.id),
            sa.func.max(Attempt.percent),
        )
        .where(Attempt.user_id.in_(user_ids), Attempt.unit_id.in_(list(code_of)))
        .group_by(Attempt.user_id, Attempt.unit_id)
    )  # fmt: skip
    for user_id, unit_id, count, best in attempts:
        cell = rows[user_id].units[code_of[unit_id]]
        cell.attempts, cell.best_percent = count, best


def _mark_passes(
    rows: dict[int, KaderRow], code_of: dict[int, str], user_ids: list[int], today: date
) -> None:
    """A cell is passed when the kader holds a pass of the unit that is current today."""
    for unit_pass in db.session.scalars(
        sa.select(UnitPass).where(
            UnitPass.user_id.in_(user_ids), UnitPass.unit_id.in_(list(code_of))
        )
    ):
        if unit_pass.is_current(today):
            rows[unit_pass.user_id].units[code_of[unit_pass.unit_id]].passed = True


def _add_certificates(rows: dict[int, KaderRow], user_ids: list[int], today: date) -> None:
    """Each row's certificate status; ordered by issue time, so the latest certificate wins."""
    for certificate in db.session.scalars(
        sa.select(Certificate)
        .where(Certificate.user_id.in_(user_ids))
        .order_by(Certificate.issued_at)
    ):
        rows[certificate.user_id].certificate = certificate.status(today).value


def _sort_key(sort: str):
    if sort == "desa":
        return lambda row: (row.desa.casefold(), row.name.casefold())
    if sort == "sertifikat":
        order = {"valid": 0, "expired": 1, "revoked": 2, None: 3}
        return lambda row: (order[row.certificate], row.name.casefold())
    if sort.endswith("-nilai"):
        code = sort.removesuffix("-nilai")
        return lambda row: (
            -(row.units[code].best_percent or -1) if code in row.units else 1,
            row.name.casefold(),
        )
    if sort.endswith("-baca"):
        code = sort.removesuffix("-baca")
        return lambda row: (
            -(row.units[code].lessons_read) if code in row.units else 1,
            row.name.casefold(),
        )
    return lambda row: row.name.casefold()


CERTIFICATE_WORDS = {
    "valid": _l("Berlaku"), "expired": _l("Kedaluwarsa"), "revoked": _l("Dicabut"), None: "-",
}  # fmt: skip


def table_rows(table: EventTable) -> tuple[list[str], list[list[object]]]:
    """Headers and cells for CSV and XLSX export (numbers stay numbers)."""
    headers = [_("Nama"), _("Desa/Kelurahan"), _("Kecamatan")]
    for unit in table.units:
        headers += [
            _("%(unit)s: pelajaran dibaca", unit=unit.code),
            _("%(unit)s: percobaan", unit=unit.code),
            _("%(unit)s: nilai terbaik", unit=unit.code),
            _("%(unit)s: lulus", unit=unit.code),
        ]
    headers.append(_("Sertifikat"))
    cells = []
    for row in table.rows:
        line: list[object] = [row.name, row.desa, row.kecamatan]
        for unit in table.units:
            cell = row.units[unit.code]
            best = round(cell.best_percent, 1) if cell.best_percent is not None else ""
            passed = _("ya") if cell.passed else _("tidak")
            line += [f"{cell.lessons_read}/{cell.lessons_total}", cell.attempts, best, passed]
        line.append(str(CERTIFICATE_WORDS[row.certificate]))
        cells.append(line)
    return headers, cells
