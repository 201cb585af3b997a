"""Reads a unit's lessons: modules/<unit>/lessons/*.md, front matter, text and images (pure)."""

from __future__ import annotations

import re
from pathlib import Path

from lms.content.loading import N_, NOT_UTF8, UNKNOWN_OBJECTIVE, Loader
from lms.content.spec import ImageSpec, LessonSpec, UnitSpec
from lms.content.yamlnodes import LocatedDict, YamlProblem, parse_yaml

IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".gif": "image/gif",
}
IMAGE_REFERENCE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


def load_lessons(loader: Loader, folder: Path, unit: UnitSpec, unit_path: Path) -> None:
    """Add the lessons in `folder`/lessons to `unit`, in order; each order is used once."""
    lessons_dir = folder / "lessons"
    lesson_files = sorted(lessons_dir.glob("*.md")) if lessons_dir.is_dir() else []
    if not lesson_files:
        message = N_("unit belum punya pelajaran (modules/%(unit)s/lessons/*.md)")
        loader.problem(unit_path, 1, message, unit=folder.name)
    for lesson_path in lesson_files:
        lesson = load_lesson(loader, lesson_path, unit)
        if lesson:
            unit.lessons.append(lesson)
    orders: dict[int, str] = {}
    for lesson in unit.lessons:
        if lesson.order in orders:
            loader.problem(
                lessons_dir / Path(lesson.path).name,
                lesson.order_line,
                N_("'order' %(order)d juga dipakai pelajaran '%(other)s'"),
                order=lesson.order,
                other=orders[lesson.order],
            )
        orders[lesson.order] = lesson.key
    unit.lessons.sort(key=lambda lesson: (lesson.order, lesson.key))


def read_front_matter(loader: Loader, path: Path) -> tuple[LocatedDict, list[str], int] | None:
    """The lesson's front matter, its lines, and the index of the line that closes it."""
    try:
        # utf-8-sig: a byte-order mark (Windows Notepad) is not part of the text.
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        loader.problem(path, 1, NOT_UTF8)
        return None
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != "---":
        message = N_("pelajaran harus diawali keterangan (front matter) di antara dua baris '---'")
        loader.problem(path, 1, message)
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        loader.problem(path, 1, N_("front matter tidak ditutup dengan baris '---'"))
        return None
    try:
        meta = parse_yaml("\n".join(lines[1:end]), first_line=2)
    except YamlProblem as error:
        loader.problem(path, error.line, error.message, **error.params)
        return None
    if not isinstance(meta, LocatedDict):
        message = N_("front matter harus berisi baris nama: nilai (id: ..., title: ...)")
        loader.problem(path, 2, message)
        return None
    return meta, lines, end


def load_lesson(loader: Loader, path: Path, unit: UnitSpec) -> LessonSpec | None:
    front_matter = read_front_matter(loader, path)
    if front_matter is None:
        return None
    meta, lines, end = front_matter
    key = loader.require(meta, "id", str, path)
    title = loader.require(meta, "title", str, path)
    order = loader.require(meta, "order", int, path)
    objectives = loader.require(meta, "objectives", list, path)
    if key is None or title is None or order is None or objectives is None:
        return None
    if not loader.claim_id(key, path, meta.line_of("id"), "lesson"):
        return None
    if not key.startswith(unit.code + "-"):
        message = N_("id pelajaran '%(key)s' harus diawali '%(prefix)s'")
        loader.problem(path, meta.line_of("id"), message, key=key, prefix=unit.code + "-")
    check_objectives(loader, path, meta, objectives, unit)
    body = "\n".join(lines[end + 1 :]).strip() + "\n"
    if not body.strip():
        loader.problem(path, end + 2, N_("pelajaran tidak berisi teks setelah front matter"))
    images = load_images(loader, path, lines, end + 1)
    return LessonSpec(
        order_line=meta.line_of("order"),
        key=key,
        unit_code=unit.code,
        title=title.strip(),
        order=order,
        objectives=[str(o) for o in objectives],
        body=body,
        path=loader.rel(path),
        images=images,
    )


def check_objectives(
    loader: Loader, path: Path, meta: LocatedDict, objectives: list, unit: UnitSpec
) -> None:
    """A lesson serves at least one objective, and only objectives its unit declares."""
    line = meta.line_of("objectives")
    if not objectives:
        loader.problem(path, line, N_("pelajaran wajib punya paling sedikit satu tujuan"))
    unit_objectives = {objective_id for objective_id, _ in unit.objectives}
    for objective in objectives:
        if not isinstance(objective, str):
            message = N_("'objectives' harus berupa daftar id tujuan, misalnya [bkb-tujuan]")
            loader.problem(path, line, message)
        elif objective not in unit_objectives:
            loader.problem(path, line, UNKNOWN_OBJECTIVE, objective=objective, unit=unit.code)


def load_images(
    loader: Loader, path: Path, lines: list[str], first_body_line: int
) -> list[ImageSpec]:
    images: dict[str, ImageSpec] = {}
    for index in range(first_body_line, len(lines)):
        for reference in IMAGE_REFERENCE.findall(lines[index]):
            line = index + 1
            if re.match(r"^[a-z]+:|^//", reference, re.IGNORECASE):
                message = N_(
                    "gambar '%(image)s' harus berupa berkas di folder pelajaran, "
                    "bukan alamat internet"
                )
                loader.problem(path, line, message, image=reference)
                continue
            target = (path.parent / reference).resolve()
            media_type = IMAGE_TYPES.get(target.suffix.lower())
            if path.parent.resolve() not in target.parents:
                message = N_("gambar '%(image)s' harus berada di folder pelajaran")
            elif media_type is None:
                message = N_("gambar '%(image)s' harus berformat PNG, JPEG, WebP atau GIF")
            elif not target.is_file():
                message = N_("gambar '%(image)s' tidak ditemukan di folder pelajaran")
            else:
                images[reference] = ImageSpec(reference, target.read_bytes(), media_type)
                continue
            loader.problem(path, line, message, image=reference)
    return list(images.values())
