"""Certificate verification codes (pure: standard library only).

A code is 60 random bits written as 12 Crockford base32 symbols, followed by one check
symbol, and shown as ``BK-7Q4M-2XHD-9KTR-F``. It is printed on a certificate and typed back
by whoever wants to verify it, so input is forgiving (case, separators, the optional BK
prefix, O/0 and I/L/1 confusions) and the check symbol rejects the usual typing slips before
any database lookup.

Check symbol (Damm-style, over GF(32))
--------------------------------------
Each symbol is its alphabet index, read as an element of GF(2^5) = GF(2)[x] / (x^5 + x^2 + 1).
With a = x (the element 2), fold r = 0 and, for each symbol v in turn, r = a*r + v (addition
is XOR). The check symbol is k = a*r after the 12 data symbols, so that folding all 13
symbols ends at a*r + k = 0 (in characteristic 2, -a*r = a*r). Validation folds all 13
symbols and demands 0. Folding is linear: symbol j (0-based) contributes a^(12-j) * v_j.

- A single substitution adds an error e != 0 at one position: the result changes by
  a^(12-j) * e, a product of non-zero field elements, hence non-zero. Caught.
- Swapping unequal adjacent symbols x, y at positions j, j+1 changes the result by
  a^(11-j) * (a + 1) * (x + y); a != 1 makes a + 1 != 0 and x != y makes x + y != 0, so
  the product is non-zero. Caught, including a swap with the check symbol itself, because
  the check symbol is folded like any other.

Both guarantees need only a field and a not in {0, 1}; they hold for every code, which the
tests confirm exhaustively on fixed codes and by property on random ones.
"""

from __future__ import annotations

import secrets
import unicodedata
from typing import Any, Literal, Protocol

PREFIX = "BK"
#: Crockford base32: no I, L, O or U, so a code read aloud or copied by hand is not misread.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
DATA_LENGTH = 12
CODE_LENGTH = DATA_LENGTH + 1
GROUP_SIZE = 4
#: Each symbol carries 5 bits: 12 data symbols hold exactly 60 random bits.
SYMBOL_BITS = 5
RANDOM_BITS = DATA_LENGTH * SYMBOL_BITS

#: x^5 + x^2 + 1, irreducible over GF(2), so the 32 symbols form a field.
_MODULUS = 0b100101
_FIELD_SIZE = 1 << SYMBOL_BITS
#: The fold multiplier a = x; any element other than 0 and 1 would do (see the module doc).
_A = 0b00010
_VALUES = {symbol: value for value, symbol in enumerate(ALPHABET)}
#: Letters people write for digits; Crockford reads them as the digit, never as an error.
_CONFUSABLE = {"O": "0", "I": "1", "L": "1"}

CodeErrorReason = Literal["length", "character", "check"]


def N_(message: str) -> str:
    """Mark a message for the translation catalogue without translating it here (pure module)."""
    return message


MESSAGE_LENGTH = N_("Kode harus 13 huruf/angka (tanpa BK), misalnya BK-7Q4M-2XHD-9KTR-F.")
MESSAGE_CHARACTER = N_("Kode memuat huruf yang tidak dipakai: '%(char)s'.")
MESSAGE_CHECK = N_("Periksa kembali kode: ada huruf atau angka yang salah ketik.")


class CodeError(ValueError):
    """A typed verification code that cannot be a real one.

    `reason` says which test failed ("length", "character" or "check") so callers can react
    without parsing text. `message` is a Bahasa Indonesia msgid with %(name)s placeholders and
    `params` fills them: the web layer translates it through the catalogue; str() gives the
    Indonesian text.
    """

    def __init__(self, message: str, *, reason: CodeErrorReason, **params: Any) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.reason = reason
        self.params = params


class RandomBits(Protocol):
    """What generate_code needs from a random source: secrets.SystemRandom, or a seeded
    random.Random in tests."""

    def getrandbits(self, k: int, /) -> int: ...


def _gf_mul(x: int, y: int) -> int:
    """Product in GF(2^5) by shift-and-add, reducing by the modulus whenever x^5 appears."""
    product = 0
    while y:
        if y & 1:
            product ^= x
        y >>= 1
        x <<= 1
        if x & _FIELD_SIZE:
            x ^= _MODULUS
    return product


def _fold(symbols: str) -> int:
    # Horner's rule in GF(32): symbol j ends up weighted by a^(len-1-j), distinct per position.
    r = 0
    for symbol in symbols:
        r = _gf_mul(_A, r) ^ _VALUES[symbol]
    return r


def _is_symbols(text: str, length: int) -> bool:
    return isinstance(text, str) and len(text) == length and all(ch in _VALUES for ch in text)


def check_symbol(data12: str) -> str:
    """The check symbol for 12 canonical data symbols (upper case, alphabet only)."""
    if not _is_symbols(data12, DATA_LENGTH):
        raise ValueError(f"expected {DATA_LENGTH} symbols from {ALPHABET!r}, got {data12!r}")
    return ALPHABET[_gf_mul(_A, _fold(data12))]


def generate_code(rng: RandomBits | None = None) -> str:
    """A fresh code in canonical form (13 symbols, no prefix or dashes), e.g. 7Q4M2XHD9KTRF.

    The 60 data bits come from `secrets` unless a source is passed (tests seed one).
    """
    bits = rng.getrandbits(RANDOM_BITS) if rng is not None else secrets.randbits(RANDOM_BITS)
    # Five bits per symbol, most significant first: every 60-bit value maps to one code.
    data = "".join(
        ALPHABET[(bits >> (SYMBOL_BITS * (DATA_LENGTH - 1 - i))) & (_FIELD_SIZE - 1)]
        for i in range(DATA_LENGTH)
    )
    return data + check_symbol(data)


def is_valid(canonical: str) -> bool:
    """True for 13 canonical symbols whose check symbol matches; typed input goes through
    canonical_code first."""
    return _is_symbols(canonical, CODE_LENGTH) and _fold(canonical) == 0


def _symbols(typed: str) -> str:
    # One typed character at a time, so the error can quote it as the person typed it.
    symbols = []
    for typed_char in typed:
        # NFKC folds full-width and other compatibility forms that phone keyboards produce.
        for ch in unicodedata.normalize("NFKC", typed_char):
            if not ch.isalnum():
                continue  # spaces, dashes, dots, slashes...: separators, whatever they are
            upper = ch.upper()
            symbol = _CONFUSABLE.get(upper, upper)
            # ASCII only: str.upper() maps some letters (dotless i, sharp s) onto ASCII ones.
            if not ch.isascii() or symbol not in _VALUES:
                raise CodeError(MESSAGE_CHARACTER, reason="character", char=typed_char)
            symbols.append(symbol)
    return "".join(symbols)


def canonical_code(typed: str) -> str:
    """The canonical 13-symbol code for what someone typed, or CodeError.

    Forgives case, separators, O for 0 and I or L for 1, and an optional BK prefix. Whether
    a leading BK is the prefix is decided by the count (15 symbols, not 13), because data
    symbols may themselves start with B and K.
    """
    symbols = _symbols(typed or "")
    if len(symbols) == CODE_LENGTH + len(PREFIX) and symbols.startswith(PREFIX):
        symbols = symbols[len(PREFIX) :]
    if len(symbols) != CODE_LENGTH:
        raise CodeError(MESSAGE_LENGTH, reason="length")
    if not is_valid(symbols):
        raise CodeError(MESSAGE_CHECK, reason="check")
    return symbols


def format_code(canonical: str) -> str:
    """The printed form, BK-7Q4M-2XHD-9KTR-F, of a valid canonical code."""
    if not is_valid(canonical):
        # A malformed code here is a bug upstream; printing it would mislead the reader.
        raise ValueError(f"not a valid canonical code: {canonical!r}")
    groups = [canonical[i : i + GROUP_SIZE] for i in range(0, DATA_LENGTH, GROUP_SIZE)]
    return "-".join([PREFIX, *groups, canonical[DATA_LENGTH:]])
