"""The certificate's embedded fonts, text widths, and the holder's name fitted to the page.

Pure: ReportLab only.
"""

from __future__ import annotations

import functools
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
# Prefixed names so that no other ReportLab user in the process can shadow ours.
SANS = "BK-Sans"
SANS_BOLD = "BK-Sans-Bold"
SERIF = "BK-Serif"
SERIF_BOLD = "BK-Serif-Bold"
_FONT_FILES = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    SERIF: "DejaVuSerif.ttf",
    SERIF_BOLD: "DejaVuSerif-Bold.ttf",
}

NAME_MAX_WIDTH = 610.0
NAME_MAX_SIZE = 32.0
NAME_MIN_SIZE = 22.0  # below this one line looks cramped: wrap to two lines instead
NAME_TWO_LINE_MAX_SIZE = 24.0


@functools.cache
def register_fonts() -> None:
    """Register the embedded DejaVu fonts once per process.

    DejaVu covers every Latin letter an Indonesian name may hold (é, ñ, the typographic
    apostrophe ...), and ReportLab always embeds TrueType fonts (as subsets), so the PDF
    prints the same on any machine.
    """
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, filename in _FONT_FILES.items():
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))


def text_width(text: str, font: str, size: float, char_space: float = 0.0) -> float:
    return pdfmetrics.stringWidth(text, font, size) + char_space * max(len(text) - 1, 0)


def _split_words(text: str) -> list[tuple[str, str]]:
    """Every way to cut ``text`` into two lines at a space, as (first, second) pairs."""
    words = text.split()
    return [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]


def fit_name(name: str, max_width: float = NAME_MAX_WIDTH) -> tuple[list[str], float]:
    """Lines and font size for the holder's name, so that it never runs off the page.

    One line, shrunk from NAME_MAX_SIZE down to NAME_MIN_SIZE; failing that, two
    lines cut where they come out most even, at up to NAME_TWO_LINE_MAX_SIZE and as
    small as it takes (a 120-character name still fits). A single word too long for
    the line is cut in the middle, as no space offers a better place.
    """
    register_fonts()  # measuring needs the font's metrics, also when called on its own
    name = " ".join(name.split())
    one_line = max_width / max(text_width(name, SERIF_BOLD, 1.0), 1e-6)
    if one_line >= NAME_MIN_SIZE:
        return [name], min(NAME_MAX_SIZE, _floor_half(one_line))
    splits = _split_words(name) or [(name[: len(name) // 2], name[len(name) // 2 :])]
    first, second = min(
        splits,
        key=lambda pair: max(text_width(part, SERIF_BOLD, 1.0) for part in pair),
    )
    widest = max(text_width(first, SERIF_BOLD, 1.0), text_width(second, SERIF_BOLD, 1.0))
    return [first, second], min(NAME_TWO_LINE_MAX_SIZE, _floor_half(max_width / widest))


def _floor_half(size: float) -> float:
    """Round a font size down to a half point, so that rounding never overflows the line."""
    return int(size * 2) / 2
