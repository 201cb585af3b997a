"""PAdES signatures for certificates: sign (certify, no changes allowed) and verify (pure).

Takes key and certificate material as arguments; reading them from disk is keys.py's job.
pyHanko's validation API is synchronous on top of asyncio: call it outside a running event loop.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

FIELD_NAME = "TandaTanganDPPKB"
T = TypeVar("T")


@dataclass(frozen=True)
class IssuerKey:
    """The issuer's signing key (PKCS#8 DER) and certificate (DER)."""

    private_key_der: bytes
    certificate_der: bytes


def _outside_event_loop(function: Callable[..., T], *args: Any) -> T:
    """Run pyHanko's synchronous API where it can work.

    It calls asyncio.run() internally, which fails in a thread that already runs an event loop
    (an async server, or Playwright driving a browser test); then it runs in a worker thread.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


def sign_pdf(pdf: bytes, issuer: IssuerKey, *, reason: str, location: str) -> bytes:
    """Certify the PDF with a PAdES signature that permits no later changes."""
    return _outside_event_loop(_sign_pdf, pdf, issuer, reason, location)


def _sign_pdf(pdf: bytes, issuer: IssuerKey, reason: str, location: str) -> bytes:
    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(issuer.certificate_der),
        signing_key=asn1_keys.PrivateKeyInfo.load(issuer.private_key_der),
        cert_registry=None,
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        certify=True,
        docmdp_permissions=MDPPerm.NO_CHANGES,
        subfilter=SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    return signers.PdfSigner(metadata, signer=signer).sign_pdf(writer).getvalue()


class SignatureVerdict(StrEnum):
    #: One signature, by the issuer, intact, covering the whole file.
    VALID = "valid"
    #: The file was changed after signing, or its signature is broken.
    MODIFIED = "modified"
    #: Signed by someone else (not the issuer's key).
    FOREIGN = "foreign"
    #: No signature at all.
    UNSIGNED = "unsigned"
    #: Not a readable PDF.
    NOT_PDF = "not_pdf"


@dataclass(frozen=True)
class SignatureCheck:
    verdict: SignatureVerdict
    detail: str = ""


def check_signature(data: bytes, issuer_certificate_der: bytes) -> SignatureCheck:
    """Judge a PDF's signature against the issuer's certificate."""
    return _outside_event_loop(_check_signature, data, issuer_certificate_der)


def _check_signature(data: bytes, issuer_certificate_der: bytes) -> SignatureCheck:
    if not data.startswith(b"%PDF-"):
        return SignatureCheck(SignatureVerdict.NOT_PDF, "not a PDF")
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as error:
        return SignatureCheck(SignatureVerdict.NOT_PDF, f"unreadable: {error}")
    if not signatures:
        return SignatureCheck(SignatureVerdict.UNSIGNED, "no signature")
    if len(signatures) > 1:
        return SignatureCheck(SignatureVerdict.MODIFIED, "more than one signature")
    context = ValidationContext(trust_roots=[asn1_x509.Certificate.load(issuer_certificate_der)])
    try:
        with _quiet_pyhanko():
            status = validate_pdf_signature(signatures[0], context)
    except (SignatureValidationError, PdfError, ValueError, KeyError, TypeError) as error:
        return SignatureCheck(SignatureVerdict.MODIFIED, f"signature invalid: {error}")
    if not status.intact or not status.valid:
        return SignatureCheck(SignatureVerdict.MODIFIED, "signed bytes were changed")
    if not status.trusted:
        return SignatureCheck(SignatureVerdict.FOREIGN, "signed with another key")
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE or not status.docmdp_ok:
        return SignatureCheck(SignatureVerdict.MODIFIED, "content added after signing")
    return SignatureCheck(SignatureVerdict.VALID)


class _quiet_pyhanko:
    """pyHanko logs every failed check at ERROR level; for uploaded files that is routine."""

    def __enter__(self) -> None:
        self._logger = logging.getLogger("pyhanko")
        self._level = self._logger.level
        self._logger.setLevel(logging.CRITICAL)

    def __exit__(self, *exc: object) -> None:
        self._logger.setLevel(self._level)


def embedded_code(data: bytes) -> str | None:
    """The verification code the PDF names in its metadata keywords ("code:BK-..."), if any."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        info = reader.trailer_view.get("/Info")
        keywords = str(info.get_object().get("/Keywords", "")) if info is not None else ""
    except (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None
    for word in keywords.replace(",", " ").split():
        if word.startswith("code:"):
            return word.removeprefix("code:")
    return None
