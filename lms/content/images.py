"""Lesson images made light for phones (pure): at most 720 px wide, metadata stripped."""

from __future__ import annotations

import io

from PIL import Image

MAX_WIDTH = 720
FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WEBP", "image/gif": "GIF"}


def prepare_image(data: bytes, media_type: str) -> bytes:
    """The image re-encoded without metadata (EXIF, GPS), scaled down to MAX_WIDTH if wider."""
    with Image.open(io.BytesIO(data)) as image:
        if media_type == "image/gif" and getattr(image, "is_animated", False):
            return data  # re-encoding would keep only the first frame
        if image.width > MAX_WIDTH:
            height = round(image.height * MAX_WIDTH / image.width)
            image = image.resize((MAX_WIDTH, height), Image.Resampling.LANCZOS)
        fmt = FORMATS[media_type]
        if fmt == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        clean = image.copy()
        # Saving writes only the metadata passed to save(); dropping `info` makes sure no
        # EXIF (camera, GPS), comments or text chunks travel along.
        clean.info = {}
        output = io.BytesIO()
        options = (
            {"quality": 82, "optimize": True} if fmt in ("JPEG", "WEBP") else {"optimize": True}
        )
        clean.save(output, format=fmt, **options)
        return output.getvalue()
