"""The certificate's heading with the holder's name, and its footer (QR, code, issuer).

Pure: ReportLab only.
"""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas

from lms.certification.certificate_data import CertificateData, format_date_id
from lms.certification.pdf_fonts import SANS, SANS_BOLD, SERIF, SERIF_BOLD, fit_name, text_width
from lms.certification.pdf_page import (
    CENTRE_X,
    GOLD,
    GREEN,
    INK,
    MUTED,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    centred,
    divider,
)
from lms.certification.pdf_qr import draw_qr, qr_size

#: The unit table may grow down to here; below it the footer (QR, code, issuer) is fixed.
FOOTER_TOP = 226.0


def draw_body(canvas: Canvas, data: CertificateData) -> float:
    """Heading, the holder and where they serve; returns the y where the unit table starts."""
    top = PAGE_HEIGHT
    centred(canvas, data.issuer_name.upper(), top - 64, SANS_BOLD, 9.5, GREEN, char_space=2.2)
    centred(canvas, "SERTIFIKAT KOMPETENSI", top - 104, SERIF_BOLD, 31, GREEN, char_space=3.0)
    centred(canvas, data.program_title, top - 129, SERIF, 14.5, INK)
    divider(canvas, top - 145, 150)
    centred(canvas, "diberikan kepada", top - 168, SERIF, 11.5, MUTED)

    lines, size = fit_name(data.holder_name)
    y = top - 168 - 12 - size * 0.95
    for line in lines:
        centred(canvas, line, y, SERIF_BOLD, size, INK)
        y -= size * 1.2
    y += size * 1.2
    widest = max(text_width(line, SERIF_BOLD, size) for line in lines)
    rule_half = max(widest / 2 + 20, 170)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(0.7)
    canvas.line(CENTRE_X - rule_half, y - 9, CENTRE_X + rule_half, y - 9)

    place = f"Kader dari Desa {data.desa}, Kecamatan {data.kecamatan}, Kabupaten Kutai Timur"
    centred(canvas, place, y - 28, SANS, 11, INK)
    centred(
        canvas,
        "telah menyelesaikan dan lulus uji kompetensi unit-unit berikut:",
        y - 45,
        SANS,
        10,
        MUTED,
    )
    return y - 56


def draw_footer(canvas: Canvas, data: CertificateData) -> None:
    """QR code on the left, verification code in the middle, issuer on the right."""
    base = 58.0
    side_centre = 150.0  # left and right columns mirror each other around the page centre

    # Left: the QR code and how to use it.
    size = qr_size(data.verify_url)
    draw_qr(canvas, data.verify_url, side_centre - size / 2, base + 22, size)
    centred(
        canvas, "Pindai untuk memeriksa keaslian", base + 10, SANS_BOLD, 8, GREEN, x=side_centre
    )
    url_size = 6.5
    while url_size > 4.5 and text_width(data.verify_url, SANS, url_size) > 200:
        url_size -= 0.25  # a long deployment URL still fits under the code
    centred(canvas, data.verify_url, base, SANS, url_size, MUTED, x=side_centre)

    # Middle: the code a person can type in when a camera is not at hand.
    code_y = base + 62
    centred(canvas, "KODE VERIFIKASI", code_y + 36, SANS_BOLD, 8.5, MUTED, char_space=2.0)
    code_size, code_space = 22.0, 2.4
    while text_width(data.code_display, SANS_BOLD, code_size, code_space) > 290 and code_size > 12:
        code_size -= 0.5
    code_width = text_width(data.code_display, SANS_BOLD, code_size, code_space)
    box_half = code_width / 2 + 16
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(0.8)
    canvas.roundRect(CENTRE_X - box_half, code_y - 12, 2 * box_half, code_size + 20, 4)
    centred(canvas, data.code_display, code_y, SANS_BOLD, code_size, GREEN, char_space=code_space)
    valid = f"Berlaku sampai {format_date_id(data.expires_on)}"
    centred(canvas, valid, code_y - 32, SANS, 9.5, INK)

    # Right: place and date of issue, the issuer, and how it is signed: there is no ink
    # signature, the PDF itself carries a digital one.
    right_x = PAGE_WIDTH - side_centre
    issued = f"{data.issuer_place}, {format_date_id(data.issued_on)}"
    centred(canvas, issued, base + 128, SANS, 10, INK, x=right_x)
    centred(canvas, data.issuer_name, base + 112, SANS_BOLD, 10.5, GREEN, x=right_x)
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
    centred(
        canvas,
        "Ditandatangani secara elektronik",
        centre_y - radius - 16,
        SANS,
        8.5,
        MUTED,
        x=centre_x,
    )
