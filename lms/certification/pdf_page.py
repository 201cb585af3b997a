"""The certificate page's look: size, colours, the ornamented frame and centred text.

Pure: ReportLab only.
"""

from __future__ import annotations

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

GREEN = HexColor("#0b6e4f")  # the site's brand colour
GOLD = HexColor("#b8860b")
INK = HexColor("#1f2a26")  # near-black with a green cast, softer than pure black on ivory
MUTED = HexColor("#5b6762")
PAPER = HexColor("#fffdf6")  # a faint ivory: reads as paper on screen, costs no toner
TINT = HexColor("#e9f3ee")  # pale green for the table heading
RULE = HexColor("#d5e3dc")

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
CENTRE_X = PAGE_WIDTH / 2


def draw_frame(canvas: Canvas) -> None:
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
            diamond(canvas, x, y, 5.5)


def diamond(canvas: Canvas, x: float, y: float, radius: float) -> None:
    path = canvas.beginPath()
    path.moveTo(x, y + radius)
    path.lineTo(x + radius, y)
    path.lineTo(x, y - radius)
    path.lineTo(x - radius, y)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)


def divider(canvas: Canvas, y: float, half_width: float) -> None:
    """A gold rule broken by a diamond, to separate the heading from the citation."""
    canvas.setStrokeColor(GOLD)
    canvas.setFillColor(GOLD)
    canvas.setLineWidth(0.7)
    canvas.line(CENTRE_X - half_width, y, CENTRE_X - 9, y)
    canvas.line(CENTRE_X + 9, y, CENTRE_X + half_width, y)
    diamond(canvas, CENTRE_X, y, 3.5)


def centred(
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
