"""The certificate's QR code: the verification URL, large enough to scan from a framed print.

Pure: ReportLab only.
"""

from __future__ import annotations

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import white
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas

from lms.certification.pdf_fonts import SANS
from lms.certification.pdf_page import INK, RULE

#: The QR symbol itself (without its quiet zone) is at least this wide, so phone cameras
#: read it from arm's length on a framed print.
QR_SYMBOL_MIN = 3.4 * cm
QR_QUIET_MODULES = 4  # the quiet zone ISO/IEC 18004 asks for


def _qr_widget(url: str) -> QrCodeWidget:
    widget = QrCodeWidget(url, barLevel="M", barBorder=QR_QUIET_MODULES)
    widget.qr.make()
    return widget


def qr_size(url: str) -> float:
    """Side of the QR square, quiet zone included.

    Sized from the symbol, not the whole square: a longer URL needs more modules, and the
    modules must not get smaller for that.
    """
    modules = _qr_widget(url).qr.getModuleCount()
    return QR_SYMBOL_MIN * (modules + 2 * QR_QUIET_MODULES) / modules


def draw_qr(canvas: Canvas, url: str, left: float, bottom: float, size: float) -> None:
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
