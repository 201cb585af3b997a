"""A unit and its question bank as a zip in the repository's file format: export and import.

The zip unpacks into `modules/<code>/...` and `question_banks/<code>/...`, so a pelatih can
edit it offline, and a developer can unzip it over the repository to bring the site's edits
into the files. Importing reads the same layout with the content loader, so the rules are the
ones `flask content check` applies.
"""

from __future__ import annotations

import io
import re
import stat
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.models import Role, User
from lms.audit.models import record
from lms.authoring.archive_files import read_text
from lms.authoring.permissions import can_edit_unit
from lms.content.loader import SLUG, load_curriculum
from lms.content.models import Lesson, Question, Unit
from lms.content.spec import Curriculum, UnitSpec
from lms.content.sync import SyncReport, sync_curriculum
from lms.extensions import db

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ENTRIES = 1000
CONTENT_FOLDERS = ("modules", "question_banks")
#: What file managers add to a zip on their own; skipped rather than refused.
CLUTTER = re.compile(r"(^|/)(__MACOSX/|\.DS_Store$|Thumbs\.db$|desktop\.ini$)")
# Column sizes in lms/content/models.py that the loader does not check.
MAX_CODE, MAX_KEY, MAX_TITLE = 40, 80, 200
#: What reading a damaged or exotic zip raises (zipfile raises NotImplementedError for a
#: compression method it does not support): each becomes a clear message, not a 500.
READ_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError,
               EOFError, OSError, ValueError)  # fmt: skip


# -- reading an uploaded zip ---------------------------------------------------------------
def _name_problem(name: str, info: zipfile.ZipInfo) -> str | None:
    """Why an entry may not be unpacked, or None."""
    parts = name.rstrip("/").split("/")
    if "\\" in name:
        return _("garis miring terbalik tidak boleh ada dalam nama; pakai /")
    if name.startswith("/"):
        return _("jalur absolut tidak diizinkan")
    if re.match(r"^[A-Za-z]:", name):
        return _("huruf drive (seperti C:) tidak diizinkan")
    if ".." in parts or "." in parts or "" in parts:
        return _("jalur dengan '..', '.' atau '//' tidak diizinkan")
    if stat.S_ISLNK(info.external_attr >> 16):
        return _("tautan simbolik (symlink) tidak diizinkan")
    if info.flag_bits & 0x1:
        return _("berkas terenkripsi tidak didukung")
    if CLUTTER.search(name):
        return None
    if parts[0] not in CONTENT_FOLDERS or (len(parts) == 1 and not info.is_dir()):
        return _("hanya isi folder modules/ dan question_banks/ yang boleh ada dalam arsip")
    if parts[0] == "modules" and len(parts) > 1 and parts[1] == "programs":
        return _("program sertifikasi (modules/programs/) tidak dapat diimpor di sini")
    return None


def _entries(data: bytes) -> tuple[zipfile.ZipFile | None, list[str]]:
    """The opened zip when its size, entry count and entry names are all acceptable."""
    if len(data) > MAX_UPLOAD_BYTES:
        return None, [_("Berkas terlalu besar (paling besar %(mb)d MB).",
                        mb=MAX_UPLOAD_BYTES // 2**20)]  # fmt: skip
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except READ_ERRORS:
        return None, [_("Berkas ini bukan arsip zip yang dapat dibaca. Unggah berkas .zip.")]
    if len(infos) > MAX_ENTRIES:
        return None, [_("Arsip berisi %(n)d berkas; paling banyak %(max)d.", n=len(infos),
                        max=MAX_ENTRIES)]  # fmt: skip
    problems = []
    seen: set[str] = set()
    for info in infos:
        problem = _name_problem(info.filename, info)
        if problem is None and info.filename in seen:
            problem = _("nama ini muncul dua kali dalam arsip")
        seen.add(info.filename)
        if problem:
            problems.append(f"{info.filename}: {problem}")
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        problems.append(_too_big())
    return (None if problems else archive), problems


def _too_big() -> str:
    return _("Isi arsip terlalu besar setelah dibuka (paling besar %(mb)d MB).",
             mb=MAX_UNPACKED_BYTES // 2**20)  # fmt: skip


def _unpack(archive: zipfile.ZipFile, root: Path) -> list[str]:
    """Write the entries under `root`, counting the bytes actually read against the cap."""
    budget = MAX_UNPACKED_BYTES
    for info in archive.infolist():
        if info.is_dir() or CLUTTER.search(info.filename):
            continue
        target = root / info.filename
        try:
            with archive.open(info) as entry:
                content = entry.read(budget + 1)
            if len(content) > budget:
                return [_too_big()]
            budget -= len(content)
            if len(content) != info.file_size or root.resolve() not in target.resolve().parents:
                raise ValueError(info.filename)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        except READ_ERRORS:
            return [f"{info.filename}: " + _("berkas rusak atau tidak dapat dibuka")]
    return []


def _unit_folder(root: Path) -> tuple[str | None, list[str]]:
    """The code of the one unit in the unpacked zip."""
    modules = root / "modules"
    codes = sorted(p.name for p in modules.iterdir() if p.is_dir()) if modules.is_dir() else []
    if not codes:
        return None, [_("Arsip tidak berisi unit: harus ada modules/KODE/unit.yaml.")]
    if len(codes) > 1:
        return None, [_("Arsip harus berisi tepat satu unit, bukan %(n)d (%(codes)s).",
                        n=len(codes), codes=", ".join(codes))]  # fmt: skip
    return codes[0], []


# -- importing -----------------------------------------------------------------------------
class ArchiveForbidden(Exception):
    """The zip holds a unit the user may not change."""


@dataclass
class ImportOutcome:
    #: Why nothing was written (`path:line: message` where a file is to blame); empty on success.
    problems: list[str] = field(default_factory=list)
    unit: Unit | None = None
    #: The unit did not exist before the import.
    created: bool = False
    report: SyncReport = field(default_factory=SyncReport)


def read_unit_archive(data: bytes, actor: User) -> tuple[UnitSpec | None, list[str]]:
    """The one unit in the zip, parsed and checked, or the problems found.

    Raises ArchiveForbidden when `actor` may not change (or create) that unit."""
    archive, problems = _entries(data)
    if archive is None:
        return None, problems
    with archive, tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        problems = _unpack(archive, root)
        code, more = (None, []) if problems else _unit_folder(root)
        if code is None:
            return None, problems + more
        _check_permission(actor, code)
        curriculum, loaded = load_curriculum(root / "modules", root / "question_banks", root=root)
        # The loader's messages are msgids: shown in the user's language.
        problems = [problem.translated(_) for problem in loaded]
        spec = curriculum.units.get(code)
        if spec is not None:
            problems += _size_problems(spec, root) + _foreign_keys(spec, root)
    return (None if problems else spec), problems


def _check_permission(actor: User, code: str) -> None:
    unit = db.session.scalar(sa.select(Unit).where(Unit.code == code))
    allowed = (
        can_edit_unit(actor, unit)
        if unit is not None
        else actor.is_authenticated and actor.is_active and actor.has_role(Role.PELATIH, Role.ADMIN)
    )
    if not allowed:
        raise ArchiveForbidden(code)


def _line_of(path: Path, key: str) -> int:
    """The line where `key:` starts in a unit.yaml or a lesson's front matter (1 if none)."""
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    return 1


def _size_problems(spec: UnitSpec, root: Path) -> list[str]:
    """What the loader accepts but the database columns cannot hold."""
    problems = []
    if not SLUG.fullmatch(spec.code) or len(spec.code) > MAX_CODE:
        message = _("kode unit '%(code)s' harus huruf kecil, angka dan tanda hubung, paling "
                    "panjang %(max)d karakter", code=spec.code, max=MAX_CODE)  # fmt: skip
        problems.append(f"{spec.path}:{_line_of(root / spec.path, 'code')}: {message}")
    checks = [(spec.path, None, "title", spec.title, MAX_TITLE)]
    for lesson in spec.lessons:
        checks += [(lesson.path, None, "id", lesson.key, MAX_KEY),
                   (lesson.path, None, "title", lesson.title, MAX_TITLE)]  # fmt: skip
    for question in spec.questions:
        checks += [(question.path, question.line, "id", question.key, MAX_KEY),
                   (question.path, question.line, "topic", question.topic, MAX_KEY)]  # fmt: skip
    for path, line, key, value, limit in checks:
        if len(value) > limit:
            message = _("'%(key)s' terlalu panjang (paling panjang %(max)d karakter)",
                        key=key, max=limit)  # fmt: skip
            problems.append(f"{path}:{line or _line_of(root / path, key)}: {message}")
    return problems


def _foreign_keys(spec: UnitSpec, root: Path) -> list[str]:
    """Lesson and question ids in the zip that another unit of the site already uses."""
    problems = []
    for model, items in ((Lesson, spec.lessons), (Question, spec.questions)):
        owners = dict(
            db.session.execute(
                sa.select(model.key, Unit.code)
                .join(Unit, Unit.id == model.unit_id)
                .where(model.key.in_([item.key for item in items]), Unit.code != spec.code)
            ).all()
        )
        for item in items:
            if item.key in owners:
                line = item.line if model is Question else _line_of(root / item.path, "id")
                message = _("id '%(key)s' sudah dipakai unit '%(unit)s' di situs; pakai id lain",
                            key=item.key, unit=owners[item.key])  # fmt: skip
                problems.append(f"{item.path}:{line}: {message}")
    return problems


def import_unit_archive(actor: User, data: bytes, *, now: datetime) -> ImportOutcome:
    """Bring the unit in the zip into the database, in the caller's transaction.

    Everything is checked first; with any problem nothing is written. The unit is marked as
    edited in the browser (the database now differs from the repository's files), and a unit
    new to the site is created unpublished, for a pelatih to review and publish. Raises
    ArchiveForbidden when `actor` may not change the unit."""
    spec, problems = read_unit_archive(data, actor)
    if spec is None:
        return ImportOutcome(problems=problems)
    created = db.session.scalar(sa.select(Unit.id).where(Unit.code == spec.code)) is None
    report = sync_curriculum(
        Curriculum(units={spec.code: spec}), now=now, overwrite_browser_edits=True
    )
    unit = db.session.scalars(sa.select(Unit).where(Unit.code == spec.code)).one()
    unit.browser_edited_at = now
    if created:
        unit.created_by_id, unit.is_published = actor.id, False
    db.session.flush()
    record(actor, "unit.imported", "unit", unit.id, now=now, source="zip", changes=report.counts)
    return ImportOutcome(unit=unit, created=created, report=report)
