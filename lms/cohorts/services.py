"""State changes of training events: create, join with a code, enrol from a CSV file."""

from __future__ import annotations

import csv
import io
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.models import Role, User
from lms.accounts.phone import normalise_phone
from lms.cohorts.models import EventMembership, TrainingEvent
from lms.errors import FieldError
from lms.extensions import db

JOIN_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L: read aloud in a hall
JOIN_LENGTH = 6
CSV_MAX_ROWS = 2000


def visible_events(viewer: User) -> sa.Select:
    """A pelatih sees their own events; an admin sees all."""
    query = sa.select(TrainingEvent).order_by(
        TrainingEvent.starts_on.desc(), TrainingEvent.id.desc()
    )
    if not viewer.has_role(Role.ADMIN):
        query = query.where(TrainingEvent.owner_id == viewer.id)
    return query


def can_manage(viewer: User, event: TrainingEvent) -> bool:
    return viewer.has_role(Role.ADMIN) or event.owner_id == viewer.id


def _new_join_code(rng: secrets.SystemRandom | None = None) -> str:
    rng = rng or secrets.SystemRandom()
    for _attempt in range(20):
        code = "".join(rng.choice(JOIN_ALPHABET) for _ in range(JOIN_LENGTH))
        taken = db.session.scalar(
            sa.select(TrainingEvent.id).where(TrainingEvent.join_code == code)
        )
        if taken is None:
            return code
    raise RuntimeError("no free join code")


@dataclass
class EventData:
    name: str
    place: str
    kecamatan_code: str
    starts_on: date
    ends_on: date
    unit_codes: list[str]


def create_event(owner: User, data: EventData, *, now: datetime) -> TrainingEvent:
    """A pelatih or admin creates an event; it gets a fresh join code."""
    if data.ends_on < data.starts_on:
        raise FieldError("ends_on", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
    event = TrainingEvent(
        name=data.name.strip(),
        place=data.place.strip(),
        kecamatan_code=data.kecamatan_code,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        unit_codes=data.unit_codes,
        join_code=_new_join_code(),
        owner_id=owner.id,
        created_at=now,
    )
    db.session.add(event)
    db.session.flush()
    return event


def canonical_join_code(typed: str) -> str:
    return "".join(ch for ch in (typed or "").upper() if ch.isalnum())


def join_with_code(user: User, typed: str, *, now: datetime) -> TrainingEvent:
    """A kader joins the event whose code they typed (joining twice is harmless)."""
    code = canonical_join_code(typed)
    event = db.session.scalar(sa.select(TrainingEvent).where(TrainingEvent.join_code == code))
    if event is None:
        raise FieldError("code", _("Kode acara tidak ditemukan. Periksa kembali dengan pelatih."))
    _enrol(event, user, now=now, source="kode")
    return event


def _enrol(event: TrainingEvent, user: User, *, now: datetime, source: str) -> bool:
    exists = db.session.scalar(
        sa.select(EventMembership.id).where(
            EventMembership.event_id == event.id, EventMembership.user_id == user.id
        )
    )
    if exists is not None:
        return False
    db.session.add(
        EventMembership(event_id=event.id, user_id=user.id, joined_at=now, source=source)
    )
    return True


@dataclass
class CsvReport:
    enrolled: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    #: (line number, the row as written, why it was not enrolled)
    failed: list[tuple[int, str, str]] = field(default_factory=list)


def enrol_from_csv(event: TrainingEvent, data: bytes, *, now: datetime) -> CsvReport:
    """Enrol the registered kader whose mobile numbers the file lists; report every other row.

    The first column of each row is the number; a header row is allowed. Rows that fail are
    reported with their line and the rest are enrolled.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FieldError(
            "file", _("Berkas CSV harus disimpan dengan encoding UTF-8. Tidak ada yang diubah.")
        ) from error
    rows = list(csv.reader(io.StringIO(text), delimiter=_delimiter(text)))
    if len(rows) > CSV_MAX_ROWS:
        raise FieldError("file", _("Berkas terlalu panjang (paling banyak 2000 baris)."))
    report = CsvReport()
    for line, row in enumerate(rows, start=1):
        cell = (row[0] if row else "").strip()
        if not cell or (
            line == 1 and normalise_phone(cell) is None and not any(c.isdigit() for c in cell)
        ):
            continue  # blank line or header
        phone = normalise_phone(cell)
        if phone is None:
            report.failed.append((line, cell, _("bukan nomor HP")))
            continue
        user = db.session.scalar(sa.select(User).where(User.phone == phone))
        if user is None:
            report.failed.append((line, cell, _("belum terdaftar di BinaKader")))
        elif not user.has_role(Role.KADER) or not user.is_active:
            report.failed.append((line, cell, _("bukan akun kader yang aktif")))
        elif _enrol(event, user, now=now, source="csv"):
            report.enrolled.append(cell)
        else:
            report.already.append(cell)
    return report


def _delimiter(text: str) -> str:
    first = text.splitlines()[0] if text else ""
    return ";" if first.count(";") > first.count(",") else ","
