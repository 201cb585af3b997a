"""The issuer's signing key: made on first run in the instance folder, or loaded from PKCS#12.

Production configures BINAKADER_SIGNING_PKCS12 (a file path) and BINAKADER_SIGNING_PASSWORD
(from the environment); neither the key nor its password is ever stored in the database.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from lms.certification.signing import IssuerKey

KEY_FILE = "issuer-key.pem"
CERT_FILE = "issuer-cert.pem"
VALID_YEARS = 20


def load_issuer_key(
    instance_path: Path, *, pkcs12_path: str | None, password: str | None, issuer_name: str
) -> IssuerKey:
    """The configured PKCS#12 key, else the instance folder's key (created on first use)."""
    if pkcs12_path:
        return _from_pkcs12(Path(pkcs12_path), password)
    key_path, cert_path = instance_path / KEY_FILE, instance_path / CERT_FILE
    if not key_path.exists():
        _create_self_signed(key_path, cert_path, issuer_name)
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    return _issuer_key(key, cert)


def certificate_pem(issuer: IssuerKey) -> bytes:
    return x509.load_der_x509_certificate(issuer.certificate_der).public_bytes(
        serialization.Encoding.PEM
    )


def _issuer_key(key: object, cert: x509.Certificate) -> IssuerKey:
    der = key.private_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return IssuerKey(der, cert.public_bytes(serialization.Encoding.DER))


def _from_pkcs12(path: Path, password: str | None) -> IssuerKey:
    key, cert, _chain = pkcs12.load_key_and_certificates(
        path.read_bytes(), password.encode() if password else None
    )
    if key is None or cert is None:
        raise ValueError(f"{path} holds no private key and certificate")
    return _issuer_key(key, cert)


def _create_self_signed(key_path: Path, cert_path: Path, issuer_name: str) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"{issuer_name} - Penerbit Sertifikat"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, issuer_name),
            x509.NameAttribute(NameOID.LOCALITY_NAME, "Sangatta"),
            x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "Kalimantan Timur"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * VALID_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_path.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    # Readable by its owner only, from the moment it exists.
    descriptor = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
