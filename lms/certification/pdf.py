"""The PLKB candidacy certificate as a one-page A4 landscape PDF (pure: ReportLab only).

The caller gathers the facts into a :class:`CertificateData`; :func:`render_certificate`
returns the unsigned PDF bytes. Output is byte-for-byte deterministic for identical input,
so a rendered certificate can be hashed, cached and compared in tests.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

__all__ = [
    "CertificateData",
    "UnitLine",
    "fit_name",
    "format_date_id",
    "format_percent",
    "render_certificate",
]

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

# Month names written out here: the server's locale must not decide what a certificate says.
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

GREEN = HexColor("#0b6e4f")  # the site's brand colour
GOLD = HexColor("#b8860b")
INK = HexColor("#1f2a26")  # near-black with a green cast, softer than pure black on ivory
MUTED = HexColor("#5b6762")
PAPER = HexColor("#fffdf6")  # a faint ivory: reads as paper on screen, costs no toner
TINT = HexColor("#e9f3ee")  # pale green for the table heading
RULE = HexColor("#d5e3dc")

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
CENTRE_X = PAGE_WIDTH / 2

#: The QR symbol itself (without its quiet zone) is at least this wide, so phone cameras
#: read it from arm's length on a framed print.
QR_SYMBOL_MIN = 3.4 * cm
QR_QUIET_MODULES = 4  # the quiet zone ISO/IEC 18004 asks for

#: The unit table may grow down to here; below it the footer (QR, code, issuer) is fixed.
FOOTER_TOP = 226.0

NAME_MAX_WIDTH = 610.0
NAME_MAX_SIZE = 32.0
NAME_MIN_SIZE = 22.0  # below this one line looks cramped: wrap to two lines instead
NAME_TWO_LINE_MAX_SIZE = 24.0


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


@functools.cache
def _register_fonts() -> None:
    """Register the embedded DejaVu fonts once per process.

    DejaVu covers every Latin letter an Indonesian name may hold (é, ñ, the typographic
    apostrophe ...), and ReportLab always embeds TrueType fonts (as subsets), so the PDF
    prints the same on any machine.
    """
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, filename in _FONT_FILES.items():
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))


def _width(text: str, font: str, size: float, char_space: float = 0.0) -> float:
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
    _register_fonts()  # measuring needs the font's metrics, also when called on its own
    name = " ".join(name.split())
    one_line = max_width / max(_width(name, SERIF_BOLD, 1.0), 1e-6)
    if one_line >= NAME_MIN_SIZE:
        return [name], min(NAME_MAX_SIZE, _floor_half(one_line))
    splits = _split_words(name) or [(name[: len(name) // 2], name[len(name) // 2 :])]
    first, second = min(
        splits,
        key=lambda pair: max(_width(part, SERIF_BOLD, 1.0) for part in pair),
    )
    widest = max(_width(first, SERIF_BOLD, 1.0), _width(second, SERIF_BOLD, 1.0))
    return [first, second], min(NAME_TWO_LINE_MAX_SIZE, _floor_half(max_width / widest))


def _floor_half(size: float) -> float:
    """Round a font size down to a half point, so that rounding never overflows the line."""
    return int(size * 2) / 2


def _draw_frame(canvas: Canvas) -> None:
    """Ivory paper, a double green border with a gold line inside it, and corner marks."""
    canvas.setFillColor(PAPER)
    canvas.rect(0, 0, PAGE_WIDTH, PAGE_HEIGHT, stroke=0, fill=1)

    canvas.setStrokeColor(GREEN)
    canvas.setLineWidth(4.5)
    canvas.rect(16, 16, PAGE_WIDTH - 32, PAGE_HEIGHT - 32, stroke=1, fill=0)
    canvas.setLineWidth(1.2)
    canvas.rect(24, 24, PAGE_WIDTH - 48, PAGE_HEIGHT - 48, stroke=1, fill=0)

    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(0.8)
    inset = 30
    canvas.rect(inset, inset, PAGE_WIDTH - 2 * inset, PAGE_HEIGHT - 2 * inset, stroke=1, fill=0)

    # Small gold diamonds on the gold line's corners: a classic, quiet ornament.
    canvas.setFillColor(GOLD)
    for x in (inset, PAGE_WIDTH - inset):
        for y in (inset, PAGE_HEIGHT - inset):
            _diamond(canvas, x, y, 5.5)


def _diamond(canvas: Canvas, x: float, y: float, radius: float) -> None:
    path = canvas.beginPath()
    path.moveTo(x, y + radius)
    path.lineTo(x + radius, y)
    path.lineTo(x, y - radius)
    path.lineTo(x - radius, y)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)


def _divider(canvas: Canvas, y: float, half_width: float) -> None:
    """A gold rule broken by a diamond, to separate the heading from the citation."""
    canvas.setStrokeColor(GOLD)
    canvas.setFillColor(GOLD)
    canvas.setLineWidth(0.7)
    canvas.line(CENTRE_X - half_width, y, CENTRE_X - 9, y)
    canvas.line(CENTRE_X + 9, y, CENTRE_X + half_width, y)
    _diamond(canvas, CENTRE_X, y, 3.5)


def _centred(
    canvas: Canvas,
    text: str,
    y: float,
    font: str,
    size: float,
    color: Color,
    *,
    x: float = CENTRE_X,
    char_space: float = 0.0,
) -> None:
    canvas.setFont(font, size)
    canvas.setFillColor(color)
    canvas.drawCentredString(x, y, text, charSpace=char_space)


def _draw_units_table(canvas: Canvas, units: Sequence[UnitLine], top: float, bottom: float) -> None:
    """The passed units: number, title, pass date and score, between ``top`` and ``bottom``."""
    columns = (34.0, 336.0, 130.0, 70.0)  # No. | unit | date | score
    table_width = sum(columns)
    left = CENTRE_X - table_width / 2
    edges = [left]
    for width in columns:
        edges.append(edges[-1] + width)

    header_height = 18.0
    size = 10.0
    leading = 12.5
    padding = 6.0
    # Titles wrap rather than run into the date column; rows shrink if there are many units.
    wrapped = [simpleSplit(unit.title, SANS, size, columns[1] - 12) for unit in units]
    heights = [len(lines) * leading + padding for lines in wrapped]
    room = top - bottom - header_height
    if sum(heights) > room:
        scale = room / sum(heights)
        heights = [height * scale for height in heights]
        size, leading = size * scale, leading * scale

    canvas.setFillColor(TINT)
    canvas.rect(left, top - header_height, table_width, header_height, stroke=0, fill=1)
    canvas.setFillColor(GREEN)
    canvas.setFont(SANS_BOLD, 8.5)
    header_y = top - header_height + 5.8
    canvas.drawCentredString(edges[0] + columns[0] / 2, header_y, "NO.", charSpace=0.6)
    canvas.drawString(edges[1] + 6, header_y, "UNIT KOMPETENSI", charSpace=0.6)
    canvas.drawCentredString(edges[2] + columns[2] / 2, header_y, "TANGGAL LULUS", charSpace=0.6)
    canvas.drawCentredString(edges[3] + columns[3] / 2, header_y, "NILAI", charSpace=0.6)
    canvas.setStrokeColor(GREEN)
    canvas.setLineWidth(1.0)
    canvas.line(left, top, left + table_width, top)
    canvas.line(left, top - header_height, left + table_width, top - header_height)

    y = top - header_height
    for index, (unit, lines, height) in enumerate(zip(units, wrapped, heights, strict=True)):
        text_y = y - height / 2 + (len(lines) - 1) * leading / 2 - size * 0.35
        canvas.setFillColor(MUTED)
        canvas.setFont(SANS, size)
        canvas.drawCentredString(edges[0] + columns[0] / 2, text_y, f"{index + 1}.")
        canvas.setFillColor(INK)
        for offset, line in enumerate(lines):
            canvas.drawString(edges[1] + 6, text_y - offset * leading, line)
        canvas.drawCentredString(edges[2] + columns[2] / 2, text_y, format_date_id(unit.passed_on))
        canvas.setFont(SANS_BOLD, size)
        canvas.drawCentredString(edges[3] + columns[3] / 2, text_y, format_percent(unit.percent))
        y -= height
        last = index == len(units) - 1
        canvas.setStrokeColor(GREEN if last else RULE)
        canvas.setLineWidth(1.0 if last else 0.5)
        canvas.line(left, y, left + table_width, y)


def _qr_widget(url: str) -> QrCodeWidget:
    widget = QrCodeWidget(url, barLevel="M", barBorder=QR_QUIET_MODULES)
    widget.qr.make()
    return widget


def _qr_size(url: str) -> float:
    """Side of the QR square, quiet zone included.

    Sized from the symbol, not the whole square: a longer URL needs more modules, and the
    modules must not get smaller for that.
    """
    modules = _qr_widget(url).qr.getModuleCount()
    return QR_SYMBOL_MIN * (modules + 2 * QR_QUIET_MODULES) / modules


def _draw_qr(canvas: Canvas, url: str, left: float, bottom: float, size: float) -> None:
    """The QR code for ``url`` with its quiet zone, drawn as a square from (left, bottom)."""
    widget = _qr_widget(url)
    widget.barWidth = widget.barHeight = size
    widget.barFillColor = INK
    # The quiet zone must be plain white, whatever the paper colour; a hairline frames it.
    canvas.setFillColor(white)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.rect(left, bottom, size, size, stroke=1, fill=1)
    # Its initial font is ours too, or the drawing would name the unembedded Helvetica.
    drawing = Drawing(size, size, initialFontName=SANS)
    drawing.add(widget)
    drawing.drawOn(canvas, left, bottom)


def _draw_footer(canvas: Canvas, data: CertificateData) -> None:
    """QR code on the left, verification code in the middle, issuer on the right."""
    base = 58.0
    side_centre = 150.0  # left and right columns mirror each other around the page centre

    # Left: the QR code and how to use it.
    qr_size = _qr_size(data.verify_url)
    _draw_qr(canvas, data.verify_url, side_centre - qr_size / 2, base + 22, qr_size)
    _centred(
        canvas, "Pindai untuk memeriksa keaslian", base + 10, SANS_BOLD, 8, GREEN, x=side_centre
    )
    url_size = 6.5
    while url_size > 4.5 and _width(data.verify_url, SANS, url_size) > 200:
        url_size -= 0.25  # a long deployment URL still fits under the code
    _centred(canvas, data.verify_url, base, SANS, url_size, MUTED, x=side_centre)

    # Middle: the code a person can type in when a camera is not at hand.
    code_y = base + 62
    _centred(canvas, "KODE VERIFIKASI", code_y + 36, SANS_BOLD, 8.5, MUTED, char_space=2.0)
    code_size, code_space = 22.0, 2.4
    while _width(data.code_display, SANS_BOLD, code_size, code_space) > 290 and code_size > 12:
        code_size -= 0.5
    code_width = _width(data.code_display, SANS_BOLD, code_size, code_space)
    box_half = code_width / 2 + 16
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(0.8)
    canvas.roundRect(CENTRE_X - box_half, code_y - 12, 2 * box_half, code_size + 20, 4)
    _centred(canvas, data.code_display, code_y, SANS_BOLD, code_size, GREEN, char_space=code_space)
    valid = f"Berlaku sampai {format_date_id(data.expires_on)}"
    _centred(canvas, valid, code_y - 32, SANS, 9.5, INK)

    # Right: place and date of issue, the issuer, and how it is signed: there is no ink
    # signature, the PDF itself carries a digital one.
    right_x = PAGE_WIDTH - side_centre
    issued = f"{data.issuer_place}, {format_date_id(data.issued_on)}"
    _centred(canvas, issued, base + 128, SANS, 10, INK, x=right_x)
    _centred(canvas, data.issuer_name, base + 112, SANS_BOLD, 10.5, GREEN, x=right_x)
    _draw_esign_mark(canvas, right_x, base + 58)


def _draw_esign_mark(canvas: Canvas, centre_x: float, centre_y: float) -> None:
    """A gold seal with a tick and the words "Ditandatangani secara elektronik".

    It stands where an ink signature would, so that the block does not look unsigned.
    """
    radius = 22.0
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(1.4)
    canvas.circle(centre_x, centre_y, radius, stroke=1, fill=0)
    canvas.setLineWidth(0.6)
    canvas.circle(centre_x, centre_y, radius - 4, stroke=1, fill=0)
    canvas.setStrokeColor(GREEN)
    canvas.setLineWidth(3.0)
    canvas.setLineCap(1)
    canvas.setLineJoin(1)
    tick = canvas.beginPath()
    tick.moveTo(centre_x - 8, centre_y)
    tick.lineTo(centre_x - 2.5, centre_y - 6)
    tick.lineTo(centre_x + 9, centre_y + 7)
    canvas.drawPath(tick, stroke=1, fill=0)
    canvas.setLineCap(0)
    canvas.setLineJoin(0)
    _centred(
        canvas,
        "Ditandatangani secara elektronik",
        centre_y - radius - 16,
        SANS,
        8.5,
        MUTED,
        x=centre_x,
    )


def _draw_body(canvas: Canvas, data: CertificateData) -> float:
    """Heading, the holder and where they serve; returns the y where the unit table starts."""
    top = PAGE_HEIGHT
    _centred(canvas, data.issuer_name.upper(), top - 64, SANS_BOLD, 9.5, GREEN, char_space=2.2)
    _centred(canvas, "SERTIFIKAT KOMPETENSI", top - 104, SERIF_BOLD, 31, GREEN, char_space=3.0)
    _centred(canvas, data.program_title, top - 129, SERIF, 14.5, INK)
    _divider(canvas, top - 145, 150)
    _centred(canvas, "diberikan kepada", top - 168, SERIF, 11.5, MUTED)

    lines, size = fit_name(data.holder_name)
    y = top - 168 - 12 - size * 0.95
    for line in lines:
        _centred(canvas, line, y, SERIF_BOLD, size, INK)
        y -= size * 1.2
    y += size * 1.2
    widest = max(_width(line, SERIF_BOLD, size) for line in lines)
    rule_half = max(widest / 2 + 20, 170)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(0.7)
    canvas.line(CENTRE_X - rule_half, y - 9, CENTRE_X + rule_half, y - 9)

    place = f"Kader dari Desa {data.desa}, Kecamatan {data.kecamatan}, Kabupaten Kutai Timur"
    _centred(canvas, place, y - 28, SANS, 11, INK)
    _centred(
        canvas,
        "telah menyelesaikan dan lulus uji kompetensi unit-unit berikut:",
        y - 45,
        SANS,
        10,
        MUTED,
    )
    return y - 56


def render_certificate(data: CertificateData) -> bytes:
    """The unsigned certificate PDF: one A4 landscape page, fonts embedded, deterministic."""
    _register_fonts()
    buffer = io.BytesIO()
    # invariant=1 fixes the document ID; the date formatter stamps the issue date instead of
    # "now" (or ReportLab's invariant 2000-01-01): the same input gives the same bytes.
    # The initial font is ours: ReportLab would otherwise name Helvetica on the page, a font
    # the PDF does not embed.
    canvas = Canvas(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        invariant=1,
        lang="id-ID",
        initialFontName=SANS,
        initialFontSize=10,
    )
    issued = data.issued_on
    # Midnight WITA (UTC+8), Kutai Timur's time zone, on the day of issue.
    canvas.setDateFormatter(
        lambda *_: f"D:{issued.year:04d}{issued.month:02d}{issued.day:02d}000000+08'00'"
    )
    canvas.setTitle(f"{data.program_title} - {data.holder_name}")
    canvas.setAuthor(data.issuer_name)
    canvas.setSubject(data.program_title)
    canvas.setKeywords(f"code:{data.code_display}")
    canvas.setCreator("BinaKader")

    _draw_frame(canvas)
    table_top = _draw_body(canvas, data)
    _draw_units_table(canvas, data.units, table_top, FOOTER_TOP)
    _draw_footer(canvas, data)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
