"""GIFT, Moodle's plain-text question format: import and export (pure: standard library only).

What is read follows Moodle's own GIFT importer (question/format/gift/format.php): questions are
separated by blank lines, `//` starts a comment line, `::title::`, `$CATEGORY: path`, one answer
block `{...}` per question and the escapes \\~ \\= \\# \\{ \\} \\: \\n. It is stricter in one way:
an answer block whose answers do not start with `=` or `~` is an error, where Moodle would guess.

BinaKader's own fields travel as comment lines before the question, which Moodle ignores:
`// difficulty: sulit`, `// objective: bkb-kka` and, for numeric questions, `// unit: kg`.

The work is done in:

- lms/authoring/gift_syntax.py: marks, escapes and the [format] and %weight% prefixes;
- lms/authoring/gift_import.py: a file into questions (titles, texts, feedback, comments);
- lms/authoring/gift_answers.py: an answer block into a type and its answers;
- lms/authoring/gift_export.py: questions into a file.
"""

from __future__ import annotations

from lms.authoring import gift_export, gift_import

__all__ = ["export_gift", "parse_gift"]

parse_gift = gift_import.parse_gift
export_gift = gift_export.export_gift
