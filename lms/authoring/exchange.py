"""Question banks exchanged with Moodle: shared types and rules (pure: standard library only).

The formats live in their own modules and share what is here:

- lms/authoring/gift.py: `parse_gift(text)` and `export_gift(questions)`;
- lms/authoring/moodle_xml.py: `parse_moodle_xml(data)` and `export_moodle_xml(questions)`.

Both are also importable from this module. An import never writes anything: it returns an
ImportResult and the caller decides. Questions that are valid Moodle but that BinaKader cannot
hold are listed in `skipped`, one Skipped per question with the reason; a file that is not valid
GIFT or XML gives `errors` (and then no questions at all, so a half-read file cannot be saved).

Messages are Bahasa Indonesia msgids marked with N_ plus %(name)s params, the pattern of
lms/assessment/grading.py: str() gives the Indonesian text, the web layer can translate
`message` through the catalogue and fill in `params`.
"""

from __future__ import annotations

import math
import re
import string
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from lms.content.question_types import QUESTION_TYPES

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
#: Option ids are given in file order, as a content author would write them.
OPTION_IDS = string.ascii_lowercase
#: The option and pair counts that lms/content/question_types.py accepts; checked here first
#: only to give an Indonesian reason (its own checks still run on every imported question).
CHOICE_LIMITS = {"single": (2, 6), "multiple": (3, 8)}
PAIR_LIMITS = (3, 8)
#: Moodle writes weights with five decimals (33.33333): compare with some slack.
WEIGHT_SLACK = 0.01


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
S_RULES = N_("tidak memenuhi aturan soal BinaKader: %(problems)s")


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


# --- Text --------------------------------------------------------------------------------------

_BLOCK_TAGS = frozenset(
    ["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "tr", "blockquote",
     "pre", "hr", "section", "article"]
)  # fmt: skip
_MEDIA_TAGS = frozenset(["img", "video", "audio", "object", "embed", "iframe", "svg"])
_INVISIBLE_TAGS = frozenset(("script", "style"))


class _TextExtractor(HTMLParser):
    """Simple HTML to text: tags dropped, entities decoded, paragraphs and breaks kept."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.has_media = False
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")
        elif tag in _MEDIA_TAGS:
            self.has_media = True
        elif tag in _INVISIBLE_TAGS:
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n\n")
        elif tag in _INVISIBLE_TAGS and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            # HTML collapses white space; only the tags above make line breaks.
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> tuple[str, bool]:
    """The text of simple HTML, and whether it shows images or other media."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    lines = [line.strip() for line in "".join(extractor.parts).split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return text, extractor.has_media


def rich_text(text: str, text_format: str) -> str:
    """Text of a Moodle text field in the given format, as Markdown/plain text."""
    if "@@PLUGINFILE@@" in text:
        # A file of the Moodle course (usually an image) that the exchange file does not hold.
        raise SkipQuestion(S_MEDIA)
    if text_format == "html":
        text, has_media = html_to_text(text)
        if has_media:
            raise SkipQuestion(S_MEDIA)
    # markdown, plain_text and moodle_auto_format are kept as written.
    return text.strip()


# --- Numbers and weights -----------------------------------------------------------------------

_INTEGER = re.compile(r"[+-]?\d+")


def parse_number(text: str) -> int | float | None:
    text = text.strip()
    if _INTEGER.fullmatch(text):
        return int(text)
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def format_number(value: int | float) -> str:
    # repr() of a float is the shortest text that reads back as the same float.
    return str(value) if isinstance(value, int) else repr(float(value))


def format_weight(percent: float) -> str:
    """A weight the way Moodle lists its grades: 50, 33.33333, -12.5."""
    text = f"{percent:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def key_weights(keys: int, partial: bool) -> tuple[str, str]:
    """Weights of a right and of a wrong option of a `multiple` question.

    Right options share 100 so that all of them give full marks. With partial scoring each wrong
    pick cancels one right pick, which is what lms/assessment/grading.py does.
    """
    share = 100 / keys
    return format_weight(share), format_weight(-share) if partial else "0"


def full(weight: float) -> bool:
    return abs(weight - 100) < WEIGHT_SLACK


def choice_kind(weights: Sequence[float], single: bool) -> tuple[str, list[int], str | None]:
    """Type, keys and scoring of a choice question from its option weights (percent)."""
    if single:
        keys = [i for i, w in enumerate(weights) if full(w)]
        if len(keys) != 1:
            raise SkipQuestion(S_ONE_RIGHT, count=len(keys))
        if any(abs(w) >= WEIGHT_SLACK for i, w in enumerate(weights) if i != keys[0]):
            raise SkipQuestion(S_PARTIAL)
        return "single", keys, None
    keys = [i for i, w in enumerate(weights) if w >= WEIGHT_SLACK]
    if not keys:
        raise SkipQuestion(S_NO_RIGHT)
    key_weights_ = [weights[i] for i in keys]
    # BinaKader gives every key the same share of the point.
    if max(key_weights_) - min(key_weights_) > WEIGHT_SLACK or abs(sum(key_weights_) - 100) > 0.5:
        raise SkipQuestion(S_UNEVEN)
    partial = any(w <= -WEIGHT_SLACK for w in weights)
    return "multiple", keys, "partial" if partial else "all-or-nothing"


def accepted(weighted: Iterable[tuple[float, Any]]) -> list[Any]:
    """The full-credit answers of a short or numeric question.

    Answers worth nothing only carry feedback for a wrong response and are dropped; answers
    worth part of the point cannot be graded the same way in BinaKader.
    """
    kept = []
    for weight, answer in weighted:
        if full(weight):
            kept.append(answer)
        elif WEIGHT_SLACK <= weight < 100:
            raise SkipQuestion(S_PARTIAL)
    return kept


# --- Building a question -----------------------------------------------------------------------


class _Fields(dict):
    """Just enough of yamlnodes.LocatedDict for the content checks: imports have no lines."""

    line = 0
    key_lines: dict[str, int] = {}

    def line_of(self, key: str) -> int:
        return 0


class _Items(list):
    line = 0

    @property
    def item_lines(self) -> list[int]:
        return [0] * len(self)


def build_question(
    *,
    type_: str,
    key: str | None,
    topic: str,
    stem: str,
    feedback: str,
    meta: dict[str, str],
    content: dict[str, Any],
) -> ExchangeQuestion:
    """Check a question read from a file and give it BinaKader's exact type data.

    `content` is the type data in the shape of a content file, except that choice options are a
    list of texts and keys are indexes into it (ids are given here): single {options, answer},
    multiple {options, answer, scoring}, truefalse/short/numeric as in a content file, matching
    {pairs: [(left, right), ...]}.
    """
    if not stem:
        raise SkipQuestion(S_EMPTY_STEM)
    difficulty = meta.get("difficulty", DEFAULT_DIFFICULTY)
    if difficulty not in DIFFICULTIES:
        raise SkipQuestion(S_DIFFICULTY, value=quote(difficulty))
    fields: Any = _Fields()
    if type_ in CHOICE_LIMITS:
        options = content["options"]
        low, high = CHOICE_LIMITS[type_]
        if not low <= len(options) <= high:
            raise SkipQuestion(S_OPTION_COUNT, low=low, high=high, count=len(options))
        if not all(options):
            raise SkipQuestion(S_EMPTY_OPTION)
        fields["options"] = _Fields(zip(OPTION_IDS, options, strict=False))
        answer = content["answer"]
        if type_ == "single":
            fields["answer"] = OPTION_IDS[answer]
        else:
            fields["answer"] = [OPTION_IDS[i] for i in answer]
            fields["scoring"] = content["scoring"]
    elif type_ == "matching":
        pairs = content["pairs"]
        low, high = PAIR_LIMITS
        if not low <= len(pairs) <= high:
            raise SkipQuestion(S_PAIR_COUNT, low=low, high=high, count=len(pairs))
        lefts, rights = {left for left, _ in pairs}, {right for _, right in pairs}
        if len(lefts) != len(pairs) or len(rights) != len(pairs):
            raise SkipQuestion(S_PAIRS_DISTINCT)
        fields["pairs"] = _Items(_Fields(left=left, right=right) for left, right in pairs)
    else:
        if type_ == "short" and not all(content["answer"]):
            raise SkipQuestion(S_EMPTY_OPTION)
        fields.update(content)
    question_type = QUESTION_TYPES[type_]
    # The content checks stay the final word, so an import can never hold what a file cannot.
    problems = question_type.check(fields)
    if problems:
        raise SkipQuestion(S_RULES, problems="; ".join(message for _line, message in problems))
    return ExchangeQuestion(
        key=key,
        type=type_,
        topic=topic,
        stem=stem,
        feedback=feedback,
        data=question_type.extract(fields),
        difficulty=difficulty,
        objective=meta.get("objective") or None,
    )


def __getattr__(name: str) -> Any:
    # The format modules import this one, so they are loaded on first use, not at import time.
    if name in ("parse_gift", "export_gift"):
        from lms.authoring import gift

        return getattr(gift, name)
    if name in ("parse_moodle_xml", "export_moodle_xml"):
        from lms.authoring import moodle_xml

        return getattr(moodle_xml, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
