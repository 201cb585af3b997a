"""Password rules (pure) and Argon2id hashing."""

from __future__ import annotations

import re
from enum import StrEnum

from argon2 import PasswordHasher, Type, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import Parameters

MIN_LENGTH = 8
MAX_LENGTH = 128

#: Passwords that appear at the top of every leaked-password list, plus local favourites.
COMMON_PASSWORDS = frozenset(
    {
        "password1", "password123", "passw0rd", "qwerty123", "abc12345", "abcd1234",
        "12345678a", "a12345678", "iloveyou1", "bismillah1", "indonesia1", "sayang123",
        "rahasia123", "admin123", "kader123", "binakader1", "sangatta1", "kutaitimur1",
    }
)  # fmt: skip


class PasswordProblem(StrEnum):
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    NEEDS_LETTER_AND_DIGIT = "needs_letter_and_digit"
    TOO_COMMON = "too_common"
    CONTAINS_PHONE = "contains_phone"


def password_problem(password: str, phone: str | None = None) -> PasswordProblem | None:
    """The first rule the password breaks, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return PasswordProblem.TOO_SHORT
    if len(password) > MAX_LENGTH:
        return PasswordProblem.TOO_LONG
    if not (re.search(r"[^\W\d_]", password) and re.search(r"\d", password)):
        return PasswordProblem.NEEDS_LETTER_AND_DIGIT
    if password.lower() in COMMON_PASSWORDS:
        return PasswordProblem.TOO_COMMON
    if phone:
        national = phone.removeprefix("+62")
        if national and national[-8:] in re.sub(r"\D", "", password):
            return PasswordProblem.CONTAINS_PHONE
    return None


PROFILES = {
    # OWASP's Argon2id recommendation (19 MiB, 2 passes, 1 lane): a hall of 70 kader signing in
    # at once on a 2-core server waits seconds, not tens of seconds, as with 64 MiB x 3 passes.
    "owasp": Parameters(
        type=Type.ID,
        version=19,
        salt_len=16,
        hash_len=32,
        time_cost=2,
        memory_cost=19 * 1024,
        parallelism=1,
    ),
    # RFC 9106's second recommendation: Argon2id, 64 MiB, 3 passes (for servers with spare cores).
    "rfc9106-low-memory": profiles.RFC_9106_LOW_MEMORY,
    # Only for the test suite, where hundreds of hashes would otherwise take minutes.
    "cheapest": profiles.CHEAPEST,
}


class PasswordHashing:
    """Argon2id hashing with the parameters of a named profile."""

    def __init__(self, profile: str) -> None:
        self._hasher = PasswordHasher.from_parameters(PROFILES[profile])

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored_hash: str) -> bool:
        return self._hasher.check_needs_rehash(stored_hash)
