"""House rules that code review alone would let slip."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: Pure modules: no Flask, no database; they take what they need as arguments.
PURE_MODULES = [
    "lms/accounts/phone.py",
    "lms/accounts/passwords.py",
    "lms/accounts/reset_codes.py",
    "lms/accounts/throttle.py",
    "lms/reference/regions.py",
    "lms/content/loader.py",
    "lms/content/loading.py",
    "lms/content/unit_files.py",
    "lms/content/lesson_files.py",
    "lms/content/bank_files.py",
    "lms/content/program_files.py",
    "lms/content/question_types.py",
    "lms/content/yamlnodes.py",
    "lms/content/spec.py",
    "lms/content/rendering.py",
    "lms/content/images.py",
    "lms/assessment/grading.py",
    "lms/assessment/selection.py",
    "lms/assessment/blueprint.py",
    "lms/authoring/fields.py",
    "lms/authoring/question_fields.py",
    "lms/certification/codes.py",
    "lms/certification/pdf.py",
    "lms/certification/certificate_data.py",
    "lms/certification/pdf_fonts.py",
    "lms/certification/pdf_page.py",
    "lms/certification/pdf_parts.py",
    "lms/certification/pdf_table.py",
    "lms/certification/pdf_qr.py",
    "lms/certification/signing.py",
    "lms/certification/keys.py",
    "lms/reports/item_analysis.py",
    "lms/reports/histogram.py",
    "lms/authoring/exchange.py",
    "lms/authoring/exchange_text.py",
    "lms/authoring/exchange_weights.py",
    "lms/authoring/exchange_build.py",
    "lms/authoring/gift_syntax.py",
    "lms/authoring/gift_import.py",
    "lms/authoring/gift_answers.py",
    "lms/authoring/gift_export.py",
    "lms/authoring/moodle_xml_file.py",
    "lms/authoring/moodle_xml_import.py",
    "lms/authoring/moodle_xml_export.py",
    "lms/authoring/gift.py",
    "lms/authoring/moodle_xml.py",
]
FORBIDDEN = ("flask", "flask_sqlalchemy", "sqlalchemy", "lms.extensions", "lms.database")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("module", PURE_MODULES)
def test_pure_modules_import_neither_flask_nor_the_database(module):
    bad = {
        name for name in imported_modules(ROOT / module)
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
    }  # fmt: skip
    assert not bad, f"{module} imports {bad}"


def test_no_model_query_legacy_api():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "lms").rglob("*.py")
        if ".query." in path.read_text() or ".query(" in path.read_text()
    ]
    assert offenders == []
