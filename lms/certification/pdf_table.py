"""The certificate's table of passed units: number, title, pass date and score.

Pure: ReportLab only.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from lms.certification.certificate_data import UnitLine, format_date_id, format_percent
from lms.certification.pdf_fonts import SANS, SANS_BOLD
from lms.certification.pdf_page import CENTRE_X, GREEN, INK, MUTED, RULE, TINT

COLUMNS = (34.0, 336.0, 130.0, 70.0)  # No. | unit | date | score
HEADER_HEIGHT = 18.0


def draw_units_table(canvas: Canvas, units: Sequence[UnitLine], top: float, bottom: float) -> None:
    """The passed units: number, title, pass date and score, between ``top`` and ``bottom``."""
    table_width = sum(COLUMNS)
    left = CENTRE_X - table_width / 2
    edges = [left]
    for width in COLUMNS:
        edges.append(edges[-1] + width)
    wrapped, heights, size, leading = _fit_rows(units, top - bottom - HEADER_HEIGHT)
    _draw_heading(canvas, edges, top)

    y = top - HEADER_HEIGHT
    for index, (unit, lines, height) in enumerate(zip(units, wrapped, heights, strict=True)):
        text_y = y - height / 2 + (len(lines) - 1) * leading / 2 - size * 0.35
        canvas.setFillColor(MUTED)
        canvas.setFont(SANS, size)
        canvas.drawCentredString(edges[0] + COLUMNS[0] / 2, text_y, f"{index + 1}.")
        canvas.setFillColor(INK)
        for offset, line in enumerate(lines):
            canvas.drawString(edges[1] + 6, text_y - offset * leading, line)
        canvas.drawCentredString(edges[2] + COLUMNS[2] / 2, text_y, format_date_id(unit.passed_on))
        canvas.setFont(SANS_BOLD, size)
        canvas.drawCentredString(edges[3] + COLUMNS[3] / 2, text_y, format_percent(unit.percent))
        y -= height
        last = index == len(units) - 1
        canvas.setStrokeColor(GREEN if last else RULE)
        canvas.setLineWidth(1.0 if last else 0.5)
        canvas.line(left, y, left + table_width, y)


def _fit_rows(
    units: Sequence[UnitLine], room: float
) -> tuple[list[list[str]], list[float], float, float]:
    """Each title's lines, each row's height, the font size and leading, fitted in ``room``."""
    size = 10.0
    leading = 12.5
    padding = 6.0
    # Titles wrap rather than run into the date column; rows shrink if there are many units.
    wrapped = [simpleSplit(unit.title, SANS, size, COLUMNS[1] - 12) for unit in units]
    heights = [len(lines) * leading + padding for lines in wrapped]
    if sum(heights) > room:
        scale = room / sum(heights)
        heights = [height * scale for height in heights]
        size, leading = size * scale, leading * scale
    return wrapped, heights, size, leading


def _draw_heading(canvas: Canvas, edges: list[float], top: float) -> None:
    """The tinted heading row, between two green rules."""
    left, table_width = edges[0], sum(COLUMNS)
    canvas.setFillColor(TINT)
    canvas.rect(left, top - HEADER_HEIGHT, table_width, HEADER_HEIGHT, stroke=0, fill=1)
    canvas.setFillColor(GREEN)
    canvas.setFont(SANS_BOLD, 8.5)
    header_y = top - HEADER_HEIGHT + 5.8
    canvas.drawCentredString(edges[0] + COLUMNS[0] / 2, header_y, "NO.", charSpace=0.6)
    canvas.drawString(edges[1] + 6, header_y, "UNIT KOMPETENSI", charSpace=0.6)
    canvas.drawCentredString(edges[2] + COLUMNS[2] / 2, header_y, "TANGGAL LULUS", charSpace=0.6)
    canvas.drawCentredString(edges[3] + COLUMNS[3] / 2, header_y, "NILAI", charSpace=0.6)
    canvas.setStrokeColor(GREEN)
    canvas.setLineWidth(1.0)
    canvas.line(left, top, left + table_width, top)
    canvas.line(left, top - HEADER_HEIGHT, left + table_width, top - HEADER_HEIGHT)
