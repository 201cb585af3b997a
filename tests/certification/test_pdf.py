"""The certificate PDF: content, embedded fonts, a QR code that scans, and purity."""

from __future__ import annotations

import ast
import dataclasses
import io
import subprocess
from datetime import date
from pathlib import Path

import pypdf
import pytest
import zxingcpp
from PIL import Image
from reportlab.pdfbase.pdfmetrics import stringWidth

from lms.certification import pdf
from lms.certification.pdf import (
    CertificateData,
    UnitLine,
    fit_name,
    format_date_id,
    format_percent,
    render_certificate,
)

ROOT = Path(__file__).resolve().parents[2]
ARTIFACT = ROOT / "test-artifacts" / "certificate.png"
LONG_NAME = "Ni Luh Putu Ayu Désirée Wulandari-Sitompul"
UNITS = (
    UnitLine("Bina Keluarga Balita (BKB)", date(2026, 1, 5), 92.0),
    UnitLine("Bina Keluarga Remaja (BKR)", date(2026, 2, 14), 86.67),
    UnitLine("Bina Keluarga Lansia (BKL)", date(2026, 3, 3), 100.0),
    UnitLine("Pelayanan KB dan Kesehatan Reproduksi", date(2026, 5, 20), 80.0),
    UnitLine("Pencatatan dan Pelaporan Program Bangga Kencana", date(2026, 9, 30), 75.5),
)
SAMPLE = CertificateData(
    program_title="Sertifikat Kompetensi Kader Calon PLKB",
    holder_name=LONG_NAME,
    kecamatan="Kongbeng",
    desa="Makmur Jaya",
    units=UNITS,
    issued_on=date(2026, 11, 28),
    expires_on=date(2029, 11, 28),
    issuer_name="DPPKB Kabupaten Kutai Timur",
    issuer_place="Sangatta",
    code_display="BK-7Q4M-2XHD-9KTR-C",
    verify_url="https://binakader.example/verify/BK-7Q4M-2XHD-9KTR-C",
)


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    return render_certificate(SAMPLE)


def page_text(document: bytes) -> str:
    return pypdf.PdfReader(io.BytesIO(document)).pages[0].extract_text()


def rasterise(document: bytes, tmp_path: Path) -> Path:
    """The page as a 150 dpi PNG, drawn by poppler as a PDF viewer would."""
    source = tmp_path / "certificate.pdf"
    source.write_bytes(document)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", str(source), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    return tmp_path / "page.png"


def test_one_a4_landscape_page(sample_pdf):
    assert sample_pdf.startswith(b"%PDF-")
    assert sample_pdf.rstrip().endswith(b"%%EOF")
    reader = pypdf.PdfReader(io.BytesIO(sample_pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(842, abs=1)
    assert float(box.height) == pytest.approx(595, abs=1)


def test_page_says_everything_in_indonesian(sample_pdf):
    text = page_text(sample_pdf)
    for expected in (
        "SERTIFIKAT KOMPETENSI",
        "Sertifikat Kompetensi Kader Calon PLKB",
        "diberikan kepada",
        LONG_NAME,
        "Kader dari Desa Makmur Jaya, Kecamatan Kongbeng, Kabupaten Kutai Timur",
        "telah menyelesaikan dan lulus uji kompetensi unit-unit berikut:",
        "Sangatta, 28 November 2026",
        "Berlaku sampai 28 November 2029",
        "DPPKB Kabupaten Kutai Timur",
        "Ditandatangani secara elektronik",
        "Pindai untuk memeriksa keaslian",
        SAMPLE.verify_url,
    ):
        assert expected in text
    for unit in UNITS:
        assert unit.title in text
        assert format_date_id(unit.passed_on) in text
    for score in ("92%", "86,7%", "100%", "80%", "75,5%"):
        assert score in text
    # Once on its own in large type, once inside the printed URL.
    assert text.count("BK-7Q4M-2XHD-9KTR-C") == 2


def test_apostrophe_name_prints_as_typed():
    for name in ("Nur'aini", "Nur\u2019aini Ñoño"):
        document = render_certificate(dataclasses.replace(SAMPLE, holder_name=name))
        assert name in page_text(document)


def test_fonts_are_embedded(sample_pdf):
    fonts = pypdf.PdfReader(io.BytesIO(sample_pdf)).pages[0]["/Resources"]["/Font"]
    base_fonts = set()
    for reference in fonts.values():
        font = reference.get_object()
        # Every font the page names carries its glyphs, so no viewer substitutes one.
        assert "/FontFile2" in font["/FontDescriptor"], font["/BaseFont"]
        base_fonts.add(str(font["/BaseFont"]).split("+", 1)[1])
    assert base_fonts == {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSerif", "DejaVuSerif-Bold"}


def test_metadata(sample_pdf):
    info = pypdf.PdfReader(io.BytesIO(sample_pdf)).metadata
    assert info.title == f"Sertifikat Kompetensi Kader Calon PLKB - {LONG_NAME}"
    assert info.author == "DPPKB Kabupaten Kutai Timur"
    assert info.subject == "Sertifikat Kompetensi Kader Calon PLKB"
    assert "code:BK-7Q4M-2XHD-9KTR-C" in info["/Keywords"]
    # The stamp is the issue date, not the moment of rendering.
    assert info["/CreationDate"].startswith("D:20261128")


def test_qr_code_opens_the_verification_page(sample_pdf, tmp_path):
    png = rasterise(sample_pdf, tmp_path)
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    ARTIFACT.write_bytes(png.read_bytes())  # kept for a person to look at

    with Image.open(png) as image:
        assert image.size == pytest.approx((1754, 1240), abs=2)  # A4 landscape at 150 dpi
        barcodes = zxingcpp.read_barcodes(image)
    assert [barcode.text for barcode in barcodes] == [SAMPLE.verify_url]
    assert barcodes[0].format == zxingcpp.BarcodeFormat.QRCode
    # At least 3.2 cm wide on paper, so that it scans from a framed print.
    position = barcodes[0].position
    width_px = position.top_right.x - position.top_left.x
    assert width_px / 150 * 2.54 >= 3.2


def test_identical_input_gives_identical_bytes(sample_pdf):
    assert render_certificate(SAMPLE) == sample_pdf
    other = dataclasses.replace(SAMPLE, code_display="BK-AAAA-BBBB-CCCC-D")
    assert render_certificate(other) != sample_pdf


def test_names_fit_one_line_then_two():
    lines, size = fit_name(LONG_NAME)
    assert lines == [LONG_NAME]
    assert pdf.NAME_MIN_SIZE <= size <= pdf.NAME_MAX_SIZE

    assert fit_name("Nur'aini") == (["Nur'aini"], pdf.NAME_MAX_SIZE)

    very_long = ("Raden Ayu Siti Nurhaliza Kusumawardhani Prameswari Anak Agung Gede Ngurah " * 2)[
        :120
    ]
    lines, size = fit_name(very_long)
    assert len(lines) == 2 and " ".join(lines) == " ".join(very_long.split())
    for line in lines:
        assert stringWidth(line, pdf.SERIF_BOLD, size) <= pdf.NAME_MAX_WIDTH

    unbroken = "A" * 120  # no space to wrap at: cut in the middle rather than overflow
    lines, size = fit_name(unbroken)
    assert "".join(lines) == unbroken
    assert all(stringWidth(line, pdf.SERIF_BOLD, size) <= pdf.NAME_MAX_WIDTH for line in lines)


def test_long_name_renders_on_two_lines():
    name = "Raden Ayu Siti Nurhaliza Kusumawardhani Prameswari Anak Agung Gede Ngurah Putri Désirée"
    text = page_text(render_certificate(dataclasses.replace(SAMPLE, holder_name=name)))
    first, second = fit_name(name)[0]
    assert first in text and second in text


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 5), "5 Januari 2026"),
        (date(2026, 2, 1), "1 Februari 2026"),
        (date(2026, 3, 31), "31 Maret 2026"),
        (date(2026, 4, 2), "2 April 2026"),
        (date(2026, 5, 2), "2 Mei 2026"),
        (date(2026, 6, 2), "2 Juni 2026"),
        (date(2026, 7, 2), "2 Juli 2026"),
        (date(2026, 8, 17), "17 Agustus 2026"),
        (date(2026, 9, 2), "2 September 2026"),
        (date(2026, 10, 2), "2 Oktober 2026"),
        (date(2026, 11, 28), "28 November 2026"),
        (date(2026, 12, 2), "2 Desember 2026"),
    ],
)
def test_indonesian_dates(day, expected):
    assert format_date_id(day) == expected


def test_percent_uses_the_decimal_comma():
    assert format_percent(90.0) == "90%"
    assert format_percent(86.666) == "86,7%"
    assert format_percent(99.96) == "100%"
    assert format_percent(75.5) == "75,5%"


def test_module_is_pure():
    source = Path(pdf.__file__).read_text()
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
    forbidden = {"flask", "sqlalchemy", "flask_sqlalchemy"}
    assert not {name for name in imported if name.split(".")[0] in forbidden}
    # Within the project only its own drawing modules, each pure (tests/test_architecture.py).
    siblings = {name for name in imported if name.split(".")[0] == "lms"}
    assert siblings <= PDF_MODULES, siblings - PDF_MODULES


PDF_MODULES = {
    f"lms.certification.{name}"
    for name in ("certificate_data", "pdf_fonts", "pdf_page", "pdf_parts", "pdf_table", "pdf_qr")
}
