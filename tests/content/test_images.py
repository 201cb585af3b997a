"""Lesson images: resized, stripped of metadata, stored in the database, served lazily."""

from __future__ import annotations

import io
from pathlib import Path

import sqlalchemy as sa
from PIL import Image

from lms.content.images import MAX_WIDTH, prepare_image
from lms.content.models import ContentImage, LessonVersion
from lms.extensions import db
from tests.factories import copy_curriculum


def jpeg_with_exif(width: int, height: int) -> bytes:
    image = Image.new("RGB", (width, height), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "Kamera Rahasia"  # Make
    output = io.BytesIO()
    image.save(output, format="JPEG", exif=exif)
    return output.getvalue()


def test_large_image_resized_and_metadata_removed():
    original = jpeg_with_exif(2000, 1000)
    assert b"Kamera Rahasia" in original
    prepared = prepare_image(original, "image/jpeg")
    with Image.open(io.BytesIO(prepared)) as image:
        assert image.size == (MAX_WIDTH, 360)
    assert b"Kamera Rahasia" not in prepared


def test_small_png_keeps_its_size():
    output = io.BytesIO()
    Image.new("RGBA", (100, 50), (0, 0, 0, 0)).save(output, format="PNG")
    with Image.open(io.BytesIO(prepare_image(output.getvalue(), "image/png"))) as image:
        assert image.size == (100, 50)


def test_lesson_image_synced_and_served(app, client, auth, kader, tmp_path: Path):
    root = copy_curriculum(tmp_path / "content", ("bkb",))
    lesson = root / "modules/bkb/lessons/01-apa-itu-bkb.md"
    (lesson.parent / "kegiatan.jpg").write_bytes(jpeg_with_exif(1600, 900))
    lesson.write_text(lesson.read_text() + "\n![Kegiatan BKB](kegiatan.jpg)\n")
    result = app.test_cli_runner().invoke(args=["content", "sync", str(root)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        stored = db.session.scalar(sa.select(ContentImage))
        version = db.session.scalar(
            sa.select(LessonVersion).where(LessonVersion.body_html.contains("/belajar/gambar/"))
        )
        assert f'src="/belajar/gambar/{stored.sha256}"' in version.body_html
        assert 'loading="lazy"' in version.body_html
        assert version.size_bytes > len(stored.data)
    auth.login(kader.phone)
    response = client.get(f"/belajar/gambar/{stored.sha256}")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert "immutable" in response.headers["Cache-Control"]
    assert client.get("/belajar/gambar/" + "0" * 64).status_code == 404
