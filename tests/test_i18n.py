"""Bahasa Indonesia by default, English through the catalogue, and a complete catalogue."""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "lms" / "translations" / "en" / "LC_MESSAGES"
KEYWORDS = {
    "_": None, "gettext": None, "_l": None, "lazy_gettext": None, "N_": None, "ngettext": (1, 2),
}  # fmt: skip
METHODS = [("lms/**.py", "python"), ("templates/**.html", "jinja2")]


def source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=METHODS, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_text_in_the_code_has_an_english_translation():
    catalogue = read_po((CATALOGUE / "messages.po").open("rb"))
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalogue
        if m.id and (m.string if isinstance(m.string, str) else all(m.string)) and not m.fuzzy
    }
    missing = source_messages() - translated
    assert not missing, f"add these to {CATALOGUE / 'messages.po'}: {sorted(missing)}"


def test_compiled_catalogue_matches_the_po_file():
    po = read_po((CATALOGUE / "messages.po").open("rb"))
    mo = read_mo(io.BytesIO((CATALOGUE / "messages.mo").read_bytes()))

    def as_dict(catalogue):
        return {
            m.id if isinstance(m.id, str) else tuple(m.id): (
                m.string if isinstance(m.string, str) else tuple(m.string)
            )
            for m in catalogue
            if m.id
        }

    assert as_dict(po) == as_dict(mo), "run: pybabel compile -d lms/translations"


def test_indonesian_by_default_english_after_switch(client):
    page = client.get("/masuk").get_data(as_text=True)
    assert '<html lang="id">' in page and "Lupa kata sandi?" in page
    response = client.post("/bahasa", data={"lang": "en", "next": "/masuk"})
    assert response.location == "/masuk"
    page = client.get("/masuk").get_data(as_text=True)
    assert '<html lang="en">' in page and "Forgot your password?" in page
    client.post("/bahasa", data={"lang": "id"})
    assert "Lupa kata sandi?" in client.get("/masuk").get_data(as_text=True)


def test_validation_messages_translated(client):
    client.post("/bahasa", data={"lang": "en"})
    page = client.post("/masuk", data={"phone": "12", "password": ""}).get_data(as_text=True)
    assert "Mobile number not recognised" in page and "Required." in page


def test_language_kept_across_login(client, auth, kader):
    client.post("/bahasa", data={"lang": "en"})
    auth.login(kader.phone)
    assert "Hello, Siti Aminah" in client.get("/").get_data(as_text=True)
