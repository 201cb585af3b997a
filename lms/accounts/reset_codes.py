"""One-time password-reset codes (pure): made, shown to staff, typed by a kader."""

from __future__ import annotations

import hashlib
import secrets

#: Crockford base32: no I, L, O or U, so a code read aloud is not misheard.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def generate_code(rng: secrets.SystemRandom | None = None) -> str:
    """A fresh code of 40 random bits, shown in two groups: 7Q4M-2XHD."""
    rng = rng or secrets.SystemRandom()
    raw = "".join(rng.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def canonical_code(typed: str) -> str:
    """The code as stored: case, spaces, dashes and O/0, I/L/1 confusions forgiven."""
    cleaned = "".join(ch for ch in (typed or "").upper() if ch.isalnum())
    return cleaned.translate(_CONFUSABLE)


def hash_code(code: str) -> str:
    """SHA-256 of the canonical code; only the hash is kept in the database."""
    return hashlib.sha256(canonical_code(code).encode()).hexdigest()
