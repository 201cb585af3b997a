"""Public verification by code, by uploaded file and by JSON; tampering of every kind."""

from __future__ import annotations

import io
import tempfile
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from lms.certification import codes
from lms.certification.keys import load_issuer_key
from lms.certification.models import Certificate
from lms.certification.signing import SignatureVerdict, sign_pdf
from lms.extensions import db


def code_of(certificate) -> str:
    return codes.format_code(certificate.code)


def status_word(response) -> str:
    page = response.get_data(as_text=True)
    return page.split('data-testid="status">')[1].split("<")[0]


def test_valid_code_any_typing(client, certified):
    typed = code_of(certified).lower().replace("-", " ").replace("1", "l").replace("0", "o")
    response = client.get(f"/verify?kode={typed}")
    assert response.status_code == 302 and response.location.endswith(code_of(certified))
    page = client.get(response.location)
    assert status_word(page) == "BERLAKU"
    body = page.get_data(as_text=True)
    assert "Siti Aminah" in body and "Bina Keluarga Balita (BKB)" in body
    assert "0812" not in body and "+62" not in body  # no phone number


def swap_neighbours(code: str) -> str:
    """The code with its first two different neighbouring symbols swapped (a real typo: two
    equal neighbours swapped would give the same code)."""
    i = next(i for i in range(3, len(code) - 1)
             if "-" not in code[i : i + 2] and code[i] != code[i + 1])  # fmt: skip
    return code[:i] + code[i + 1] + code[i] + code[i + 2 :]


def test_mistyped_code_caught_before_any_lookup(client, certified):
    swapped = swap_neighbours(code_of(certified))
    response = client.get(f"/verify?kode={swapped}")
    assert response.status_code == 200 and "Periksa kembali kode" in response.get_data(as_text=True)
    assert status_word(client.get(f"/verify/{swapped}")) == "PERIKSA KEMBALI KODE"


def test_unknown_code_not_found(client, certified):
    other = codes.generate_code()
    response = client.get(f"/verify/{codes.format_code(other)}")
    assert response.status_code == 404 and status_word(response) == "TIDAK DITEMUKAN"


def test_expired_and_revoked(app, client, certified):
    with app.app_context():
        certificate = db.session.get(Certificate, certified.id)
        certificate.issued_on, certificate.expires_on = date(2020, 1, 1), date(2023, 1, 1)
        db.session.commit()
    assert status_word(client.get(f"/verify/{code_of(certified)}")) == "KEDALUWARSA"
    json = client.get(f"/api/v1/certificates/{code_of(certified)}").json
    assert json["status"] == "expired" and json["holder_name"] == "Siti Aminah"
    with app.app_context():
        from lms.accounts.models import Role, User
        from lms.certification.services import revoke
        from lms.database import utcnow
        from tests.factories import make_user

        admin = make_user(app, role=Role.ADMIN)
        revoke(db.session.get(User, admin.id), db.session.get(Certificate, certified.id),
               reason="Ditemukan data ganda", now=utcnow())  # fmt: skip
        db.session.commit()
    page = client.get(f"/verify/{code_of(certified)}")
    assert status_word(page) == "DICABUT" and "Ditemukan data ganda" in page.get_data(as_text=True)
    json = client.get(f"/api/v1/certificates/{code_of(certified)}").json
    assert json["status"] == "revoked" and json["revoked_reason"] == "Ditemukan data ganda"


def test_verify_json_errors(client, certified):
    mistyped = client.get("/api/v1/certificates/BK-0000")
    assert mistyped.status_code == 422 and mistyped.json["error"]["code"] == "mistyped_code"
    missing = client.get(f"/api/v1/certificates/{codes.format_code(codes.generate_code())}")
    assert missing.status_code == 404 and missing.json["error"]["code"] == "not_found"


def upload(client, data: bytes, name: str = "sertifikat.pdf"):
    return client.post("/verify/berkas", data={"berkas": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")  # fmt: skip


def verdict_of(response) -> str:
    return response.get_data(as_text=True).split('data-testid="verdict">')[1].split("<")[0]


def test_the_issued_file_is_authentic(client, certified):
    response = upload(client, certified.pdf)
    assert verdict_of(response) == "ASLI" and "masih berlaku" in response.get_data(as_text=True)
    api = client.post("/api/v1/certificates/verify-pdf",
                      data={"file": (io.BytesIO(certified.pdf), "c.pdf")})  # fmt: skip
    assert api.json["verdict"] == "asli" and api.json["certificate"]["code"] == code_of(certified)


def test_a_flipped_byte_is_modified(client, certified):
    data = bytearray(certified.pdf)
    data[len(data) // 3] ^= 0x01
    assert verdict_of(upload(client, bytes(data))) in ("DIUBAH", "TIDAK DIKENAL")
    assert verdict_of(upload(client, bytes(data))) != "ASLI"


def test_an_appended_update_changing_the_name_is_modified(client, certified):
    writer = IncrementalPdfFileWriter(io.BytesIO(certified.pdf))
    info = writer.trailer["/Info"].get_object()
    info["/Title"] = generic.pdf_string("Sertifikat - Nama Palsu")
    writer.update_container(info)
    out = io.BytesIO()
    writer.write(out)
    response = upload(client, out.getvalue())
    assert verdict_of(response) == "DIUBAH"


def test_a_pdf_signed_by_another_key_is_unknown(client, certified):
    other_key = load_issuer_key(Path(tempfile.mkdtemp()), pkcs12_path=None, password=None,
                                issuer_name="Penerbit Palsu")  # fmt: skip
    unsigned = certified.pdf[: certified.pdf.find(b"%%EOF") + 5]
    forged = sign_pdf(unsigned, other_key, reason="palsu", location="x")
    response = upload(client, forged)
    assert verdict_of(response) != "ASLI"


@pytest.mark.parametrize(
    ("data", "fragment"),
    [(b"bukan pdf sama sekali", "bukan PDF"), (b"%PDF-1.7\nrusak", "bukan PDF")],
)
def test_not_a_pdf(client, certified, data, fragment):
    response = upload(client, data)
    assert verdict_of(response) == "TIDAK DIKENAL" and fragment in response.get_data(as_text=True)


def test_empty_and_huge_uploads(app, client, certified):
    empty = upload(client, b"")
    assert empty.status_code == 400 and "Pilih berkas PDF" in empty.get_data(as_text=True)
    app.config["CERTIFICATE_UPLOAD_MAX_BYTES"] = 1000
    huge = upload(client, b"%PDF-" + b"x" * 2000)
    assert huge.status_code == 400 and "terlalu besar" in huge.get_data(as_text=True)


def test_issuer_certificate_downloadable(client, certified):
    page = client.get("/verify/penerbit.pem")
    assert page.data.startswith(b"-----BEGIN CERTIFICATE-----")
    assert client.get("/api/v1/issuer-certificate").data == page.data


def test_issuer_key_private_to_its_owner(app, certified):
    mode = (Path(app.instance_path) / "issuer-key.pem").stat().st_mode & 0o777
    assert mode == 0o600


def test_pkcs12_issuer_key_from_configuration(tmp_path):
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import (
        BestAvailableEncryption,
        load_pem_private_key,
        pkcs12,
    )  # fmt: skip

    made = load_issuer_key(tmp_path, pkcs12_path=None, password=None, issuer_name="DPPKB")
    key = load_pem_private_key((tmp_path / "issuer-key.pem").read_bytes(), None)
    cert = x509.load_pem_x509_certificate((tmp_path / "issuer-cert.pem").read_bytes())
    bundle = tmp_path / "issuer.p12"
    bundle.write_bytes(pkcs12.serialize_key_and_certificates(
        b"dppkb", key, cert, None, BestAvailableEncryption(b"rahasia")))  # fmt: skip
    loaded = load_issuer_key(tmp_path / "other", pkcs12_path=str(bundle), password="rahasia",
                             issuer_name="DPPKB")  # fmt: skip
    assert loaded == made


@pytest.mark.app_config(VERIFY_LIMIT_PER_ADDRESS="3 per minute")
def test_verification_rate_limited_per_address(client, certified):
    for _ in range(3):
        assert client.get(f"/verify/{code_of(certified)}").status_code == 200
    blocked = client.get(f"/verify/{code_of(certified)}")
    assert blocked.status_code == 429 and "Terlalu banyak" in blocked.get_data(as_text=True)
    elsewhere = client.get(
        f"/verify/{code_of(certified)}", environ_base={"REMOTE_ADDR": "10.2.3.4"}
    )
    assert elsewhere.status_code == 200


def test_verification_lookup_is_one_indexed_query(app, client, certified):
    statements: list[str] = []
    with app.app_context():
        engine = db.engine
        record = lambda *args: statements.append(args[2])  # noqa: E731
        sa.event.listen(engine, "before_cursor_execute", record)
        try:
            client.get(f"/verify/{code_of(certified)}")
        finally:
            sa.event.remove(engine, "before_cursor_execute", record)
    lookups = [s for s in statements if "FROM certificates" in s and "certificates.code" in s]
    assert len(lookups) == 1


def test_unsigned_and_twice_signed_pdfs(app, client, certified):
    stripped = certified.pdf[: certified.pdf.find(b"%%EOF") + 5]
    assert verdict_of(upload(client, stripped)) == "DIUBAH"  # our certificate, signature removed
    from reportlab.pdfgen import canvas

    other = io.BytesIO()
    page = canvas.Canvas(other)
    page.drawString(72, 720, "Sertifikat lain")
    page.save()
    response = upload(client, other.getvalue())
    assert verdict_of(response) == "TIDAK DIKENAL"
    assert "tidak memiliki tanda tangan" in response.get_data(as_text=True)
    with app.app_context():
        from lms.certification.issuer import issuer_key

        key = issuer_key()
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign import signers

    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(key.certificate_der),
        signing_key=asn1_keys.PrivateKeyInfo.load(key.private_key_der),
        cert_registry=None,
    )

    # pyHanko itself refuses to add a signature to our certified file ("forbids all changes"),
    # so build a twice-signed file from the unsigned first revision. (In a worker thread:
    # pyHanko cannot run where Playwright's event loop runs.)
    def sign_twice(data: bytes) -> bytes:
        for field in ("Pertama", "Kedua"):
            meta = signers.PdfSignatureMetadata(field_name=field)
            approval = signers.PdfSigner(meta, signer=signer)
            data = approval.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data))).getvalue()
        return data

    with ThreadPoolExecutor(max_workers=1) as pool:
        data = pool.submit(sign_twice, stripped).result()
    assert verdict_of(upload(client, data)) == "DIUBAH"


def test_my_certificates_over_the_api(client, kader, certified):
    token = client.post("/api/v1/tokens", json={"phone": kader.phone, "password": "kaderhebat24"})
    headers = {"Authorization": f"Bearer {token.json['token']}"}
    [item] = client.get("/api/v1/me/certificates", headers=headers).json["certificates"]
    assert item["code"] == code_of(certified) and item["status"] == "valid"
    pdf = client.get(item["download_url"], headers=headers)
    assert pdf.status_code == 200 and pdf.data == certified.pdf
    assert client.get("/api/v1/me/certificates").status_code == 401


def test_verification_pages_within_budget(client, certified):
    from tests.test_page_budget import BUDGET_BYTES, BUDGET_REQUESTS, first_view

    for path in ("/verify", f"/verify/{code_of(certified)}"):
        size, requests = first_view(client, path)
        assert size <= BUDGET_BYTES and requests <= BUDGET_REQUESTS, (path, size)


def test_signing_works_inside_a_running_event_loop(app, certified):
    """An async server or Playwright may run an event loop in the calling thread."""
    import asyncio

    from lms.certification.issuer import issuer_key
    from lms.certification.signing import check_signature

    with app.app_context():
        issuer = issuer_key().certificate_der

    async def inside_loop():
        return check_signature(certified.pdf, issuer)

    # A thread of its own, so the test does not depend on which loop the test runner has.
    with ThreadPoolExecutor(max_workers=1) as pool:
        verdict = pool.submit(asyncio.run, inside_loop()).result().verdict
    assert verdict == SignatureVerdict.VALID
