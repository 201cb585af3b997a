"""Pure account rules: phone numbers, passwords, reset codes."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.accounts import reset_codes
from lms.accounts.passwords import PasswordProblem, password_problem
from lms.accounts.phone import format_phone, normalise_phone


@pytest.mark.parametrize(
    "typed",
    ["081234567890", "0812-3456-7890", "0812 3456 7890", "+6281234567890", "+62 812-3456-7890",
     "6281234567890", "81234567890", "(0812) 3456.7890"],
)  # fmt: skip
def test_phone_formats_normalise_to_one_form(typed):
    assert normalise_phone(typed) == "+6281234567890"


@pytest.mark.parametrize(
    "typed",
    ["", "abc", "0212345678", "+6221234567", "0812", "08123456789012345", "+1 812 345 6789",
     "0812345678x", "++6281234567890"],
)  # fmt: skip
def test_malformed_phone_rejected(typed):
    assert normalise_phone(typed) is None


def test_phone_shown_in_local_form():
    assert format_phone("+6281234567890") == "0812-3456-7890"
    assert format_phone("+62812345678") == "0812-3456-78"


@given(st.from_regex(r"8[1-9]\d{7,10}", fullmatch=True))
def test_every_written_form_of_a_number_agrees(national):
    forms = [
        f"0{national}",
        f"+62{national}",
        f"62{national}",
        f"+62 {national[:3]}-{national[3:]}",
    ]
    assert {normalise_phone(form) for form in forms} == {f"+62{national}"}


@pytest.mark.parametrize(
    ("password", "phone", "problem"),
    [
        ("abc1", None, PasswordProblem.TOO_SHORT),
        ("a1" * 65, None, PasswordProblem.TOO_LONG),
        ("12345678", None, PasswordProblem.NEEDS_LETTER_AND_DIGIT),
        ("kaderhebat", None, PasswordProblem.NEEDS_LETTER_AND_DIGIT),
        ("Password1", None, PasswordProblem.TOO_COMMON),
        ("siti34567890", "+6281234567890", PasswordProblem.CONTAINS_PHONE),
        ("kaderhebat24", "+6281234567890", None),
        ("Anggrek Merah 7", None, None),
    ],
)
def test_password_rules(password, phone, problem):
    assert password_problem(password, phone) == problem


def test_reset_code_shape_and_alphabet():
    code = reset_codes.generate_code(random.Random(1))
    assert len(code) == 9 and code[4] == "-"
    assert set(code.replace("-", "")) <= set(reset_codes.ALPHABET)


@pytest.mark.parametrize("typed", ["7q4m-2xhd", " 7Q4M 2XHD ", "7Q4M2XHD", "7q4m—2xhd"])
def test_reset_code_typing_forgiven(typed):
    assert reset_codes.hash_code(typed) == reset_codes.hash_code("7Q4M-2XHD")


def test_reset_code_confusable_letters():
    assert reset_codes.canonical_code("1O0I-L") == "10011"


def test_reset_codes_differ():
    codes = {reset_codes.generate_code() for _ in range(200)}
    assert len(codes) == 200


def test_default_hash_is_argon2id_with_owasp_parameters():
    from lms.accounts.passwords import PasswordHashing

    stored = PasswordHashing("owasp").hash("kaderhebat24")
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert PasswordHashing("rfc9106-low-memory").needs_rehash(stored)
