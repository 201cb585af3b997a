"""Certificate verification codes: typing forgiveness, error reasons and check-symbol guarantees."""

from __future__ import annotations

import ast
import random
import sys
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from lms.certification import codes
from lms.certification.codes import (
    ALPHABET,
    PREFIX,
    CodeError,
    canonical_code,
    check_symbol,
    format_code,
    generate_code,
    is_valid,
)

#: Holds 0 and 1 (for the O/I/L tests) and no two equal neighbours (for the swap tests).
CODE = "7Q401XHD9KT1M"
FORMATTED = "BK-7Q40-1XHD-9KT1-M"
#: Its data starts with the prefix letters, so only the symbol count can tell them apart.
BK_CODE = "BK4M2XHD9KTRH"


def decode(data: str) -> int:
    value = 0
    for symbol in data:
        value = value * 32 + ALPHABET.index(symbol)
    return value


def substituted(code: str, position: int, symbol: str) -> str:
    return code[:position] + symbol + code[position + 1 :]


def swapped(code: str, position: int) -> str:
    return code[:position] + code[position + 1] + code[position] + code[position + 2 :]


class FixedBits:
    """A random source with getrandbits only (no choice): the whole interface the code needs."""

    def __init__(self, value: int) -> None:
        self.value = value
        self.requests: list[int] = []

    def getrandbits(self, k: int) -> int:
        self.requests.append(k)
        return self.value


seeded_codes = st.integers(0, 2**64 - 1).map(lambda seed: generate_code(random.Random(seed)))


# --- Fixtures of the tests themselves -------------------------------------------------------


def test_the_fixed_codes_are_valid():
    assert is_valid(CODE)
    assert is_valid(BK_CODE)
    assert all(CODE[i] != CODE[i + 1] for i in range(len(CODE) - 1))


# --- Typing forgiveness ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "BK-7Q40-1XHD-9KT1-M",
        "bk-7q40-1xhd-9kt1-m",
        "7Q401XHD9KT1M",
        "7q401xhd9kt1m",
        "BK7Q401XHD9KT1M",
        "7Q40-1XHD-9KT1-M",
        "7q40 1xhd 9kt1 m",
        "BK 7Q40 1XHD 9KT1 M",
        "  bk-7q40-1xhd-9kt1-m\n",
        "\tBK.7Q40.1XHD.9KT1.M",
        "BK_7Q40/1XHD/9KT1:M",
        "BK–7Q40—1XHD-9KT1-M",  # en and em dashes from a word processor  # noqa: RUF001
        "7 Q 4 0 1 X H D 9 K T 1 M",
        "7Q4O-1XHD-9KT1-M",  # O for 0
        "7q4o-1xhd-9kt1-m",
        "7Q40-IXHD-9KTI-M",  # I for 1
        "7Q40-LXHD-9KTL-M",  # L for 1
        "7q40-ixhd-9ktl-m",
        "bk-7q4o-lxhd-9kti-m",
        "ＢＫ－７Ｑ４０－１ＸＨＤ－９ＫＴ１－Ｍ",  # full-width, from some phone keyboards  # noqa: RUF001
    ],
)
def test_typing_variants_give_the_same_canonical_code(typed):
    assert canonical_code(typed) == CODE


@pytest.mark.parametrize(
    "typed",
    [
        "BK4M2XHD9KTRH",
        "bk4m-2xhd-9ktr-h",
        "BK4M 2XHD 9KTR H",
        "BK-BK4M-2XHD-9KTR-H",
        "bkbk4m2xhd9ktrh",
    ],
)
def test_a_leading_bk_is_the_prefix_only_when_there_are_15_symbols(typed):
    assert canonical_code(typed) == BK_CODE


# --- Errors by reason -----------------------------------------------------------------------

LENGTH_MESSAGE = "Kode harus 13 huruf/angka (tanpa BK), misalnya BK-7Q4M-2XHD-9KTR-F."
CHECK_MESSAGE = "Periksa kembali kode: ada huruf atau angka yang salah ketik."


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "--",
        "BK",
        "BK-",
        "7Q40-1XHD-9KT1",  # check symbol left out
        "7Q40-1XHD-9KT1-MM",
        "BK-7Q40-1XHD-9KT1",  # 14 with the prefix: one symbol short
        "BK-7Q40-1XHD-9KT1-M-0",
        "XY-7Q40-1XHD-9KT1-M",  # 15 symbols, but not the BK prefix
        "BK-BK-7Q40-1XHD-9KT1-M",
        "7Q40-1XHD-9KT1-M 7Q40-1XHD-9KT1-M",
    ],
)
def test_wrong_number_of_symbols(typed):
    with pytest.raises(CodeError) as caught:
        canonical_code(typed)
    assert caught.value.reason == "length"
    assert caught.value.message == LENGTH_MESSAGE
    assert caught.value.params == {}
    assert str(caught.value) == LENGTH_MESSAGE


@pytest.mark.parametrize(
    ("typed", "char"),
    [
        ("7Q40-1XHD-9KTU-M", "U"),
        ("7q40-1xhd-9ktu-m", "u"),
        ("BK-U", "U"),  # a bad letter is named even when the length is wrong too
        ("7Q40-1XHé-9KT1-M", "é"),
        ("7Q40-ıXHD-9KT1-M", "ı"),  # dotless i: str.upper() would make it I  # noqa: RUF001
        ("7Q40-1XHD-9KTß-M", "ß"),  # sharp s: str.upper() would make it SS
        ("7Q40-1XHD-9KT٣-M", "٣"),  # Arabic-Indic digit three
    ],
)
def test_characters_outside_the_alphabet(typed, char):
    with pytest.raises(CodeError) as caught:
        canonical_code(typed)
    assert caught.value.reason == "character"
    assert caught.value.message == "Kode memuat huruf yang tidak dipakai: '%(char)s'."
    assert caught.value.params == {"char": char}
    assert str(caught.value) == f"Kode memuat huruf yang tidak dipakai: '{char}'."


@pytest.mark.parametrize(
    "typed",
    [
        "BK-7Q40-1XHD-9KT1-N",  # wrong check symbol
        "BK-7Q40-1XHD-9KT1-0",
        "BK-7Q40-1XHD-8KT1-M",  # one data symbol mistyped
        "BK-Q740-1XHD-9KT1-M",  # two neighbours swapped
        "BK-7Q40-1XHD-9KTM-1",  # last data symbol swapped with the check symbol
        "BK-7Q4M-2XHD-9KTR-C",  # one check symbol off the example code
    ],
)
def test_typing_slips_fail_the_check(typed):
    with pytest.raises(CodeError) as caught:
        canonical_code(typed)
    assert caught.value.reason == "check"
    assert caught.value.message == CHECK_MESSAGE
    assert str(caught.value) == CHECK_MESSAGE


def test_code_error_is_a_value_error():
    assert issubclass(CodeError, ValueError)


# --- Exhaustive guarantees on fixed codes ---------------------------------------------------


@pytest.mark.parametrize("position", range(13))
def test_every_single_substitution_is_rejected(position):
    for symbol in ALPHABET.replace(CODE[position], ""):
        mistyped = substituted(CODE, position, symbol)
        assert not is_valid(mistyped), mistyped
        with pytest.raises(CodeError, match="salah ketik"):
            canonical_code(mistyped)


def test_every_adjacent_transposition_of_the_fixed_code_is_rejected():
    for position in range(12):
        assert not is_valid(swapped(CODE, position)), position


@pytest.mark.parametrize("position", range(11))
def test_every_unequal_pair_of_data_neighbours_is_caught_when_swapped(position):
    for x in ALPHABET:
        for y in ALPHABET.replace(x, ""):
            data = CODE[:position] + x + y + CODE[position + 2 : 12]
            code = data + check_symbol(data)
            assert not is_valid(swapped(code, position)), code


def test_every_swap_of_the_last_data_symbol_with_the_check_symbol_is_caught():
    for x in ALPHABET:
        for y in ALPHABET:
            data = CODE[:10] + x + y
            code = data + check_symbol(data)
            if code[11] != code[12]:
                assert not is_valid(swapped(code, 11)), code


# --- Properties over random codes -----------------------------------------------------------


@given(seeded_codes, st.integers(0, 12), st.sampled_from(ALPHABET))
def test_a_substitution_in_any_code_is_rejected(code, position, symbol):
    assume(code[position] != symbol)
    assert not is_valid(substituted(code, position, symbol))


@given(seeded_codes, st.integers(0, 11))
def test_an_adjacent_transposition_in_any_code_is_rejected(code, position):
    assume(code[position] != code[position + 1])
    assert not is_valid(swapped(code, position))


@given(seeded_codes)
def test_generated_codes_are_valid_and_survive_formatting(code):
    assert is_valid(code)
    assert canonical_code(code) == code
    assert canonical_code(format_code(code)) == code
    assert canonical_code(format_code(code).lower()) == code


@given(st.text())
def test_any_input_gives_a_valid_code_or_a_code_error(typed):
    try:
        code = canonical_code(typed)
    except CodeError as error:
        assert error.reason in {"length", "character", "check"}
    else:
        assert is_valid(code)


# --- Generation -----------------------------------------------------------------------------


def test_a_code_takes_exactly_60_random_bits():
    rng = FixedBits(0x0123456789ABCDE)
    code = generate_code(rng)
    assert rng.requests == [60]
    assert decode(code[:12]) == 0x0123456789ABCDE
    assert code[12] == check_symbol(code[:12])


@pytest.mark.parametrize(
    ("bits", "data"), [(0, "000000000000"), (2**60 - 1, "ZZZZZZZZZZZZ"), (1, "000000000001")]
)
def test_bits_map_onto_data_symbols(bits, data):
    assert generate_code(FixedBits(bits))[:12] == data


@given(st.integers(0, 2**60 - 1))
def test_every_60_bit_value_is_its_own_code(bits):
    assert decode(generate_code(FixedBits(bits))[:12]) == bits


def test_a_seeded_source_repeats_and_the_default_does_not():
    assert generate_code(random.Random(7)) == generate_code(random.Random(7))
    assert generate_code() != generate_code()


def test_ten_thousand_generated_codes_are_unique_and_valid():
    generated = [generate_code() for _ in range(10_000)]
    assert len(set(generated)) == len(generated)
    assert all(len(code) == 13 and is_valid(code) for code in generated)


# --- Check symbol, validity and formatting --------------------------------------------------


def test_check_symbol_completes_the_code():
    assert check_symbol(CODE[:12]) == CODE[12]
    assert check_symbol("7Q4M2XHD9KTR") == "F"
    assert check_symbol("000000000000") == "0"


@pytest.mark.parametrize(
    "data", ["", "7Q401XHD9KT", "7Q401XHD9KT1M", "7q401xhd9kt1", "7Q4U1XHD9KT1"]
)
def test_check_symbol_wants_twelve_canonical_symbols(data):
    with pytest.raises(ValueError, match="expected 12 symbols"):
        check_symbol(data)


@pytest.mark.parametrize(
    "text",
    [
        "",
        CODE[:12],
        CODE + "0",
        CODE.lower(),
        FORMATTED,
        PREFIX + CODE,
        "7Q401XHD9KT1N",
        "7Q4O1XHD9KT1M",
    ],
)
def test_is_valid_accepts_only_canonical_codes(text):
    assert not is_valid(text)


def test_format_code():
    assert format_code(CODE) == FORMATTED
    assert format_code(BK_CODE) == "BK-BK4M-2XHD-9KTR-H"
    assert format_code("7Q4M2XHD9KTRF") == "BK-7Q4M-2XHD-9KTR-F"


@pytest.mark.parametrize("text", [FORMATTED, CODE.lower(), "7Q401XHD9KT1N", CODE[:12]])
def test_format_code_refuses_what_is_not_a_valid_canonical_code(text):
    with pytest.raises(ValueError, match="not a valid canonical code"):
        format_code(text)


def test_format_and_canonical_round_trip():
    assert canonical_code(format_code(CODE)) == CODE
    assert format_code(canonical_code(FORMATTED)) == FORMATTED


# --- The field under the check symbol -------------------------------------------------------


def test_multiplication_reduces_by_x5_plus_x2_plus_1():
    assert codes._gf_mul(0b10, 0b10000) == 0b00101  # x * x^4 = x^5 = x^2 + 1
    assert all(codes._gf_mul(1, v) == v and codes._gf_mul(0, v) == 0 for v in range(32))


def test_multiplication_is_a_field_operation():
    mul = codes._gf_mul
    elements = range(32)
    for x in elements:
        assert any(mul(x, y) == 1 for y in elements) or x == 0  # inverses
        for y in elements:
            assert mul(x, y) == mul(y, x)
            for z in elements:
                assert mul(mul(x, y), z) == mul(x, mul(y, z))
                assert mul(x, y ^ z) == mul(x, y) ^ mul(x, z)


def test_the_multiplier_generates_every_non_zero_element():
    value, powers = 1, set()
    for _ in range(31):
        value = codes._gf_mul(codes._A, value)
        powers.add(value)
    assert powers == set(range(1, 32))


# --- Purity ---------------------------------------------------------------------------------


def test_codes_use_the_standard_library_only():
    tree = ast.parse(Path(codes.__file__).read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "relative import of an lms module"
            imported.add(node.module or "")
    roots = {name.split(".")[0] for name in imported}
    assert not roots & {"flask", "flask_sqlalchemy", "sqlalchemy", "lms"}
    assert roots <= set(sys.stdlib_module_names) | {"__future__"}


def test_the_example_in_the_length_message_is_a_real_code():
    assert is_valid("7Q4M2XHD9KTRF")
