"""Question banks exchanged with Moodle: shared types, messages and names (pure: stdlib only).

This module is the vocabulary every part of the exchange shares: the question and result shapes,
the messages, keys and categories. The formats and the rules they share live in their own
modules:

- lms/authoring/gift.py: `parse_gift(text)` and `export_gift(questions)`;
- lms/authoring/moodle_xml.py: `parse_moodle_xml(data)` and `export_moodle_xml(questions)`;
- lms/authoring/exchange_text.py: the text of a Moodle text field (HTML to plain text);
- lms/authoring/exchange_weights.py: numbers, and Moodle's answer weights to keys and scoring;
- lms/authoring/exchange_build.py: a question read from a file checked against BinaKader's rules.

All of their public names are also importable from this module. An import never writes
anything: it returns an ImportResult and the caller decides. Questions that are valid Moodle but
that BinaKader cannot hold are listed in `skipped`, one Skipped per question with the reason; a
file that is not valid GIFT or XML gives `errors` (and then no questions at all, so a half-read
file cannot be saved).

Messages are Bahasa Indonesia msgids marked with N_ plus %(name)s params, the pattern of
lms/assessment/grading.py: str() gives the Indonesian text, the web layer can translate
`message` through the catalogue and fill in `params`.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # at run time they come from __getattr__ below
    from lms.authoring.gift import export_gift, parse_gift
    from lms.authoring.moodle_xml import export_moodle_xml, parse_moodle_xml

__all__ = [
    "DEFAULT_DIFFICULTY",
    "DEFAULT_TOPIC",
    "DIFFICULTIES",
    "ExchangeQuestion",
    "ImportResult",
    "Problem",
    "Skipped",
    "export_gift",
    "export_moodle_xml",
    "parse_gift",
    "parse_moodle_xml",
]

DIFFICULTIES = ("mudah", "sedang", "sulit")
#: Neither GIFT nor Moodle XML has a difficulty; questions without our tag get the middle one.
DEFAULT_DIFFICULTY = "sedang"
#: For questions that come before any category line.
DEFAULT_TOPIC = "umum"
#: Metadata BinaKader writes as GIFT comments / Moodle tags ("difficulty:sulit") and reads back.
META_KEYS = ("difficulty", "objective", "unit")


def N_(message: str) -> str:
    """Mark a message for the translation catalogue without translating it here (pure module)."""
    return message


LINE = N_("baris %(line)d: %(message)s")

# File-level problems: the file is not valid GIFT / Moodle XML and nothing of it is imported.
E_UNCLOSED_BRACE = N_("kurung kurawal '{' tidak ditutup; tulis \\{ untuk kurung kurawal di teks")
E_STRAY_BRACE = N_("'}' tanpa '{' pembuka; tulis \\} untuk kurung kurawal di teks")
E_SECOND_BLOCK = N_("lebih dari satu blok jawaban {...} dalam satu soal")
E_UNCLOSED_TITLE = N_("judul ::...:: tidak ditutup")
E_UNKNOWN_DIRECTIVE = N_("perintah '%(directive)s' tidak dikenal; yang dikenal hanya $CATEGORY")
E_UNKNOWN_PREFIX = N_("jawaban harus diawali '=' atau '~', bukan '%(text)s'")
E_EMPTY_ANSWER = N_("ada jawaban yang kosong")
E_MATCHING_ARROW = N_("setiap pasangan harus ditulis kiri -> kanan")
E_NOT_A_NUMBER = N_("'%(text)s' bukan angka")
E_NOT_UTF8 = N_("berkas bukan teks UTF-8")
E_ENCODING = N_("hanya UTF-8 yang didukung, berkas memakai %(encoding)s")
E_XML = N_("XML tidak valid: %(detail)s")
E_DOCTYPE = N_("deklarasi DOCTYPE atau ENTITY tidak diizinkan")
E_ROOT = N_("elemen utama harus <quiz>, bukan <%(tag)s>")
E_FRACTION = N_("nilai fraction '%(text)s' bukan angka")

# Reasons a single question is skipped while the rest of the file is imported.
S_UNSUPPORTED_TYPE = N_("jenis soal Moodle '%(type)s' tidak didukung")
S_ESSAY = N_("soal uraian (essay) tidak didukung")
S_DESCRIPTION = N_("teks tanpa jawaban (deskripsi) bukan soal")
S_MISSING_WORD = N_(
    "soal isian di tengah kalimat hanya didukung untuk pilihan ganda dan isian singkat"
)
S_PARTIAL = N_("nilai sebagian untuk satu jawaban tidak didukung")
S_ONE_RIGHT = N_("pilihan ganda harus punya tepat satu jawaban benar, ada %(count)d")
S_NO_RIGHT = N_("tidak ada jawaban benar")
S_UNEVEN = N_("semua jawaban benar harus berbobot sama dan jumlahnya 100 persen")
S_OPTION_COUNT = N_("jumlah pilihan harus %(low)d sampai %(high)d, ada %(count)d")
S_EMPTY_OPTION = N_("ada pilihan atau jawaban yang kosong")
S_NUMERIC_ANSWERS = N_("soal angka harus punya tepat satu jawaban benar, ada %(count)d")
S_NEGATIVE_TOLERANCE = N_("toleransi tidak boleh negatif")
S_WILDCARD = N_("jawaban dengan tanda bintang (*) tidak didukung")
S_PAIR_COUNT = N_("jumlah pasangan harus %(low)d sampai %(high)d, ada %(count)d")
S_DISTRACTOR = N_("pilihan pengecoh tanpa pasangan tidak didukung")
S_PAIRS_DISTINCT = N_("teks kiri dan teks kanan pasangan masing-masing harus berbeda")
S_EMPTY_STEM = N_("soal tanpa teks pertanyaan")
S_MEDIA = N_("soal berisi gambar atau berkas lampiran")
S_DIFFICULTY = N_("tingkat kesulitan '%(value)s' tidak dikenal (mudah, sedang, sulit)")


@dataclass(frozen=True)
class ExchangeQuestion:
    """A question as exchanged: BinaKader's fields, with the type data of question_types."""

    #: From the GIFT ::title:: or the Moodle <idnumber>/<name>, slugified; None when absent.
    key: str | None
    type: str
    #: The last segment of the category path, slugified.
    topic: str
    stem: str
    feedback: str
    #: Exactly what lms/content/question_types.py `extract` gives for the type.
    data: dict[str, Any]
    difficulty: str = DEFAULT_DIFFICULTY
    objective: str | None = None


def _format(message: str, params: dict[str, Any]) -> str:
    return message % params if params else message


@dataclass(frozen=True)
class Skipped:
    """A question of the file that is not imported, and why."""

    #: Position among the questions of the file (categories not counted), from 1.
    number: int
    title: str
    #: GIFT: the line the question starts on; Moodle XML: the line of its <question>.
    line: int | None
    #: The reason in Bahasa Indonesia (`message` with `params` filled in).
    reason: str
    message: str = ""
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    """Why a file cannot be imported at all."""

    line: int | None
    message: str
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        text = _format(self.message, self.params)
        return text if self.line is None else LINE % {"line": self.line, "message": text}


@dataclass
class ImportResult:
    questions: list[ExchangeQuestion]
    skipped: list[Skipped]
    #: "baris N: ..." in Bahasa Indonesia. When not empty, `questions` is empty: fix the file.
    errors: list[str]
    #: The same errors as msgid + params, for translation.
    problems: list[Problem] = field(default_factory=list)


class SkipQuestion(Exception):
    """Raised while reading one question that BinaKader cannot hold."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(_format(message, params))
        self.message = message
        self.params = params


class FileProblem(Exception):
    """Raised where the file itself is malformed."""

    def __init__(self, line: int | None, message: str, **params: Any) -> None:
        self.problem = Problem(line, message, params)
        super().__init__(str(self.problem))


class Collector:
    """Gathers what a parser finds and turns it into an ImportResult."""

    def __init__(self) -> None:
        self.questions: list[ExchangeQuestion] = []
        self.skipped: list[Skipped] = []
        self.problems: list[Problem] = []

    def skip(self, number: int, title: str, line: int | None, reason: SkipQuestion) -> None:
        self.skipped.append(
            Skipped(number, title, line, str(reason), reason.message, dict(reason.params))
        )

    def error(self, problem: FileProblem) -> None:
        self.problems.append(problem.problem)

    def result(self) -> ImportResult:
        # A file with errors yields no questions: the caller must not import half of it.
        questions = [] if self.problems else self.questions
        return ImportResult(
            questions, self.skipped, [str(p) for p in self.problems], list(self.problems)
        )


def quote(text: str) -> str:
    # Messages echo the file; a whole paragraph must not become the message.
    text = " ".join(text.split())
    return text if len(text) <= 30 else text[:29] + "…"


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def unique_key(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`, ...: the first not in `taken`, within 80 characters."""
    key, suffix = base[:70], 1
    while key in taken:
        suffix += 1
        key = f"{base[:64]}-{suffix}"
    return key


def default_name(stem: str) -> str:
    """The name Moodle needs when a question has no key: the start of its text."""
    words = " ".join(stem.split())
    return words if len(words) <= 60 else words[:59].rstrip() + "…"


def category_path(topic: str) -> str:
    return f"$course$/top/{topic}"


def topic_from_category(path: str) -> str:
    # Moodle writes a "/" inside a category name as "//".
    segments = [s.replace("//", "/").strip() for s in re.split(r"(?<!/)/(?!/)", path.strip())]
    segments = [s for s in segments if s]
    # "$course$/top" is the root of a context, not a category a question can be in.
    if segments and re.fullmatch(r"\$[a-z]+\$", segments[0]):
        segments = segments[1:]
    if segments and segments[0] == "top":
        segments = segments[1:]
    return (slugify(segments[-1]) if segments else "") or DEFAULT_TOPIC


#: Where the names built on this module live. They are loaded on first use, not at import time,
#: because those modules import this one.
_ELSEWHERE = {
    "parse_gift": "gift",
    "export_gift": "gift",
    "parse_moodle_xml": "moodle_xml",
    "export_moodle_xml": "moodle_xml",
}


def __getattr__(name: str) -> Any:
    module = _ELSEWHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__package__}.{module}"), name)
