"""The PLKB candidacy certificate as a one-page A4 landscape PDF (pure: ReportLab only).

The caller gathers the facts into a :class:`CertificateData`; :func:`render_certificate`
returns the unsigned PDF bytes. Output is byte-for-byte deterministic for identical input,
so a rendered certificate can be hashed, cached and compared in tests.

The parts live next to this module: `certificate_data` (the facts, dates and scores),
`pdf_fonts` (fonts, widths, the holder's name), `pdf_page` (page, colours, frame),
`pdf_parts` (heading and footer), `pdf_table` (the passed units) and `pdf_qr`.
"""

from __future__ import annotations

import io

from reportlab.pdfgen.canvas import Canvas

from lms.certification.certificate_data import (
    CertificateData,
    UnitLine,
    format_date_id,
    format_percent,
)
from lms.certification.pdf_fonts import NAME_MAX_SIZE as NAME_MAX_SIZE
from lms.certification.pdf_fonts import NAME_MAX_WIDTH as NAME_MAX_WIDTH
from lms.certification.pdf_fonts import NAME_MIN_SIZE as NAME_MIN_SIZE
from lms.certification.pdf_fonts import SANS, fit_name, register_fonts
from lms.certification.pdf_fonts import SERIF_BOLD as SERIF_BOLD
from lms.certification.pdf_page import PAGE_HEIGHT, PAGE_WIDTH, draw_frame
from lms.certification.pdf_parts import FOOTER_TOP, draw_body, draw_footer
from lms.certification.pdf_table import draw_units_table

__all__ = [
    "CertificateData",
    "UnitLine",
    "fit_name",
    "format_date_id",
    "format_percent",
    "render_certificate",
]


def render_certificate(data: CertificateData) -> bytes:
    """The unsigned certificate PDF: one A4 landscape page, fonts embedded, deterministic."""
    register_fonts()
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

    draw_frame(canvas)
    table_top = draw_body(canvas, data)
    draw_units_table(canvas, data.units, table_top, FOOTER_TOP)
    draw_footer(canvas, data)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
