"""Question banks exchanged with Moodle: GIFT and Moodle XML import, export and round trips."""

from __future__ import annotations

import ast
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.authoring import exchange
from lms.authoring.exchange import (
    E_DOCTYPE,
    E_EMPTY_ANSWER,
    E_ENCODING,
    E_FRACTION,
    E_MATCHING_ARROW,
    E_NOT_A_NUMBER,
    E_NOT_UTF8,
    E_ROOT,
    E_SECOND_BLOCK,
    E_STRAY_BRACE,
    E_UNCLOSED_BRACE,
    E_UNCLOSED_TITLE,
    E_UNKNOWN_DIRECTIVE,
    E_UNKNOWN_PREFIX,
    E_XML,
    S_DESCRIPTION,
    S_DIFFICULTY,
    S_DISTRACTOR,
    S_EMPTY_STEM,
    S_ESSAY,
    S_MEDIA,
    S_MISSING_WORD,
    S_NEGATIVE_TOLERANCE,
    S_NO_RIGHT,
    S_NUMERIC_ANSWERS,
    S_ONE_RIGHT,
    S_OPTION_COUNT,
    S_PAIR_COUNT,
    S_PAIRS_DISTINCT,
    S_PARTIAL,
    S_UNEVEN,
    S_UNSUPPORTED_TYPE,
    S_WILDCARD,
    ExchangeQuestion,
    ImportResult,
)
from lms.authoring.gift import export_gift, parse_gift
from lms.authoring.moodle_xml import export_moodle_xml, parse_moodle_xml
from lms.content.question_types import QUESTION_TYPES
from lms.content.yamlnodes import parse_yaml

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
GIFT_FILE = FIXTURES / "bkb-moodle.gift"
XML_FILE = FIXTURES / "bkb-moodle.xml"
FORMATS = {
    "gift": (export_gift, parse_gift),
    "xml": (export_moodle_xml, parse_moodle_xml),
}
#: The grades Moodle accepts for an answer (question/format.php, question_bank::fraction_options)
MOODLE_GRADES = {
    100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667,
    14.28571, 12.5, 11.11111, 10, 5, 0,
}  # fmt: skip


def q(key: str | None, type_: str, topic: str, stem: str, feedback: str, data: dict[str, Any],
      difficulty: str = "sedang", objective: str | None = None) -> ExchangeQuestion:  # fmt: skip
    return ExchangeQuestion(key, type_, topic, stem, feedback, data, difficulty, objective)


def opts(*texts: str) -> list[list[str]]:
    return [[chr(ord("a") + i), text] for i, text in enumerate(texts)]


def line_of(path: Path, marker: str) -> int:
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if marker in line:
            return number
    raise AssertionError(f"{marker!r} not in {path.name}")


def reasons(result: ImportResult) -> list[tuple[int, str, int | None, str]]:
    return [(s.number, s.title, s.line, s.message) for s in result.skipped]


# --- Realistic files ---------------------------------------------------------------------------

GIFT_QUESTIONS = [
    q("bkb-01-tujuan-utama", "single", "tujuan-bkb",
      "Apa tujuan utama kegiatan Bina Keluarga Balita (BKB)?",
      "Tepat. BKB membina orang tua agar mampu mengasuh dan memantau tumbuh kembang anak.",
      {"options": opts("Meningkatkan pengetahuan dan keterampilan orang tua dalam mengasuh anak",
                       "Memberikan imunisasi kepada balita",
                       "Membagikan bantuan makanan setiap bulan"),
       "answer": "a"},
      "mudah", "bkb-tujuan"),
    q("bkb-02-sasaran", "truefalse", "tujuan-bkb",
      "Sasaran kegiatan BKB adalah keluarga yang mempunyai anak usia 0 sampai 6 tahun.",
      "Benar. Sasaran BKB adalah keluarga yang mempunyai balita dan anak prasekolah.",
      {"answer": True}),
    q("bkb-03-kepanjangan-kka", "short", "kartu-kembang-anak-kka",
      "Apa kepanjangan dari {KKA} yang dipakai kader di kelompok BKB?",
      "KKA adalah Kartu Kembang Anak: alat untuk memantau perkembangan anak 0\u20136 tahun.",
      {"answer": ["Kartu Kembang Anak", "KKA"]},
      "sulit", "bkb-kka"),
    q("bkb-04-batas-usia-kka", "numeric", "kartu-kembang-anak-kka",
      "Sampai anak berusia berapa bulan perkembangannya dipantau dengan KKA?",
      "Ya, 72 bulan sama dengan 6 tahun.",
      {"answer": 72, "tolerance": 0, "unit": "bulan"},
      "sedang", "bkb-kka"),
    q("bkb-05-isi-kka", "multiple", "kartu-kembang-anak-kka",
      'Pilih **semua** hal yang dicatat pada KKA.\nIngat rumus kader: "amati ~ catat = laporkan".',
      "Pada KKA dicatat perkembangan anak menurut umurnya: gerak kasar, gerak halus, bahasa, "
      "dan sosial.",
      {"options": opts("Perkembangan gerak kasar anak", "Perkembangan bahasa anak",
                       "Berat badan ibu", "Jumlah kader yang hadir"),
       "answer": ["a", "b"], "scoring": "partial"}),
    q("bkb-06-ape-buatan-sendiri", "multiple", "alat-permainan-edukatif",
      "Mana saja yang termasuk APE yang bisa dibuat sendiri dari bahan bekas?", "",
      {"options": opts("Boneka dari kain perca", "Balok dari kayu sisa yang diampelas halus",
                       "Tablet elektronik", "Televisi"),
       "answer": ["a", "b"], "scoring": "all-or-nothing"}),
    q("bkb-07-kegiatan-bkb", "matching", "alat-permainan-edukatif",
      "Pasangkan kegiatan di kelompok BKB dengan contohnya.",
      "Keempat kegiatan ini saling melengkapi dalam satu pertemuan BKB.",
      {"pairs": [["Penyuluhan", "Bu Ani & Pak Budi belajar pola asuh <anak>"],
                 ["Stimulasi", "Bermain balok bersama anak"],
                 ["Pemantauan", "Mengisi KKA setiap bulan"],
                 ["Rujukan", "Anak yang terlambat bicara dibawa ke puskesmas"]]}),
    q("bkb-08-pembagian-kelompok", "single", "alat-permainan-edukatif",
      "Kelompok BKB dibagi menurut _____ agar materinya sesuai.",
      "Betul, materi disesuaikan dengan umur anak.",
      {"options": opts("umur anak", "jenis kelamin anak", "pekerjaan orang tua"), "answer": "a"}),
    q("bkb-09-lama-pertemuan", "numeric", "pertemuan",
      "Berapa menit lama satu pertemuan BKB yang dianjurkan?",
      "Pertemuan BKB biasanya berlangsung 1 sampai 2 jam.",
      {"answer": 90, "tolerance": 30, "unit": "menit"}),
    q(None, "truefalse", "pertemuan",
      "Pertemuan kelompok BKB sebaiknya diadakan secara rutin setiap bulan.", "",
      {"answer": True}),
]  # fmt: skip


def test_gift_file_from_moodle_is_imported():
    result = parse_gift(GIFT_FILE.read_text(encoding="utf-8"))

    assert result.errors == []
    assert result.questions == GIFT_QUESTIONS


def test_gift_file_lists_what_cannot_be_imported_by_question():
    result = parse_gift(GIFT_FILE.read_text(encoding="utf-8"))

    assert reasons(result) == [
        (11, "BKB-11 Pengalaman kader", line_of(GIFT_FILE, "::BKB-11"), S_ESSAY),
        (12, "BKB-12 Pengantar", line_of(GIFT_FILE, "::BKB-12"), S_DESCRIPTION),
        (13, "BKB-13 Usia berjalan", line_of(GIFT_FILE, "::BKB-13"), S_MISSING_WORD),
        (14, "BKB-14 Frekuensi KKA", line_of(GIFT_FILE, "::BKB-14"), S_PARTIAL),
    ]
    assert result.skipped[0].reason == "soal uraian (essay) tidak didukung"


XML_QUESTIONS = [
    q("kka-siapa-yang-mengisi", "single", "kartu-kembang-anak-kka",
      "Siapa yang mengisi Kartu Kembang Anak (KKA) saat pertemuan BKB?",
      "KKA diisi oleh orang tua dengan pendampingan kader.",
      {"options": opts("Orang tua, didampingi kader", "Bidan desa saja", "Petugas & kepala desa"),
       "answer": "a"}),
    q("kka-aspek-perkembangan", "multiple", "kartu-kembang-anak-kka",
      "Aspek perkembangan mana saja yang dipantau dengan KKA?\n\nPilih semua yang benar.",
      "Ya, misalnya berjalan dan melompat.\n\nYa, misalnya menjimpit dan mencoret.",
      {"options": opts("Gerak kasar", "Gerak halus", "Bahasa", "Golongan darah"),
       "answer": ["a", "b", "c"], "scoring": "partial"},
      "sulit", "bkb-kka"),
    q("kka-dibawa-pulang", "truefalse", "kartu-kembang-anak-kka",
      "KKA disimpan oleh kader dan tidak boleh dibawa pulang oleh orang tua.",
      "Benar. KKA dibawa pulang supaya orang tua bisa memantau anaknya di rumah.",
      {"answer": False}),
    q("kka-kepanjangan", "short", "kartu-kembang-anak-kka",
      "Apa kepanjangan dari {KKA}? Tulis tanpa singkatan.", "KKA = Kartu Kembang Anak.",
      {"answer": ["Kartu Kembang Anak", "Kartu Kembang Anak (KKA)"]}),
    q("bkb-kka-05", "numeric", "kartu-kembang-anak-kka",
      "Sampai usia berapa bulan anak dipantau dengan KKA?", "Ya, 72 bulan atau 6 tahun.",
      {"answer": 72, "tolerance": 0, "unit": "bulan"}),
    q("ape-pasangkan", "matching", "alat-permainan-edukatif-ape",
      "Pasangkan APE dengan kemampuan yang dilatihnya.",
      "Setiap APE melatih kemampuan tertentu. Bu Ani & Pak Budi bisa membuatnya sendiri.",
      {"pairs": [["Balok kayu", "Gerak halus dan menyusun"],
                 ["Buku cerita bergambar", "Bahasa & bicara"],
                 ["Bola kain", "Gerak kasar (melempar <dan> menangkap)"]]}),
    q("bkb-ape-01", "single", "alat-permainan-edukatif-ape",
      "Bahan mana yang **paling aman** untuk APE bayi?",
      "Kain perca yang bersih tidak tajam dan tidak mudah tertelan.",
      {"options": opts("Kancing baju", "Kain perca yang bersih", "Kaleng bekas", "Pecahan kaca"),
       "answer": "b"},
      "mudah"),
    q("ape-bu-ani-dan-pak-budi", "truefalse", "alat-permainan-edukatif-ape",
      "Bu Ani & Pak Budi boleh membuat APE dari kardus untuk <anak> mereka.",
      "APE tidak harus dibeli.", {"answer": True}),
    q("ape-singkatan", "short", "alat-permainan-edukatif-ape",
      "Tuliskan kepanjangan dari APE.\nContoh jawaban: Alat ...", "Tepat sekali!",
      {"answer": ["Alat Permainan Edukatif", "Alat Permainan Edukasi"]}),
]  # fmt: skip


def test_moodle_xml_file_from_moodle_is_imported():
    result = parse_moodle_xml(XML_FILE.read_bytes())

    assert result.errors == []
    assert result.questions == XML_QUESTIONS


def test_moodle_xml_file_lists_what_cannot_be_imported_by_question():
    result = parse_moodle_xml(XML_FILE.read_bytes())

    assert reasons(result) == [
        (10, "APE: rancang sendiri", line_of(XML_FILE, 'type="essay"'), S_UNSUPPORTED_TYPE),
        (11, "APE: isian rumpang", line_of(XML_FILE, 'type="cloze"'), S_UNSUPPORTED_TYPE),
        (12, "Petunjuk bagian APE", line_of(XML_FILE, 'type="description"'), S_UNSUPPORTED_TYPE),
        (13, "APE: kenali gambar", line_of(XML_FILE, "<!-- question: 3304") + 1, S_MEDIA),
    ]
    assert [s.params for s in result.skipped[:3]] == [
        {"type": "essay"},
        {"type": "cloze"},
        {"type": "description"},
    ]
    assert result.skipped[1].reason == "jenis soal Moodle 'cloze' tidak didukung"


@pytest.mark.parametrize("path", [GIFT_FILE, XML_FILE], ids=["gift", "xml"])
def test_skip_reasons_are_msgids_with_params(path):
    result = (
        parse_gift(path.read_text(encoding="utf-8"))
        if path.suffix == ".gift"
        else parse_moodle_xml(path.read_bytes())
    )

    for skipped in result.skipped:
        expected = skipped.message % skipped.params if skipped.params else skipped.message
        assert skipped.reason == expected


# --- Round trips -------------------------------------------------------------------------------

SPECIAL = "Apa arti {KKA}? ~ = # :"
FAMILY = "Bu Ani & Pak Budi <anak>"
EXAMPLES = [
    q("bkb-q001", "single", "kka", SPECIAL, "Lihat \\{materi\\} [html] ####",
      {"options": opts("Kartu Kembang Anak", FAMILY, "%50% salah", "[plain] #1"), "answer": "b"},
      "mudah", "bkb-kka"),
    q("bkb-q002", "multiple", "ape", f"{FAMILY}\n\n- pilih dua\n- C:\\data", "**Dua** benar.",
      {"options": opts("a -> b", "~tilde", "=sama", "{kurung}", "biasa"),
       "answer": ["a", "c", "e"], "scoring": "partial"},
      "sulit"),
    q("bkb-q003", "multiple", "ape", "Pilih semua.", "",
      {"options": opts("satu", "dua", "tiga"), "answer": ["b"], "scoring": "all-or-nothing"}),
    q(None, "truefalse", "tujuan-bkb", FAMILY, SPECIAL, {"answer": False}, "sedang", "bkb-tujuan"),
    q("bkb-q005", "short", "kka", "Singkatan dari Kartu Kembang Anak?", "",
      {"answer": ["KKA", "K*A", "T", "a->b", "%1%", "[html]x", "=#~:{}\\"]}),
    q("bkb-q006", "numeric", "pertemuan", SPECIAL, FAMILY,
      {"answer": -2.5, "tolerance": 0.25, "unit": "kg # : {x}"}),
    q("bkb-q007", "numeric", "pertemuan", "Berapa?", "",
      {"answer": 19, "tolerance": 0, "unit": ""}),
    q("bkb-q008", "matching", "layanan", "Pasangkan.", "Semua #1.",
      {"pairs": [["Penyuluhan ->", FAMILY], [SPECIAL, "x -> y"], ["[plain]", "[html]"],
                 ["%5%", "=a"]]}),
]  # fmt: skip


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("question", EXAMPLES, ids=lambda question: question.type)
def test_round_trip_of_each_type(fmt, question):
    export, parse = FORMATS[fmt]

    result = parse(export([question]))

    assert (result.errors, result.skipped) == ([], [])
    assert result.questions == [question]


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_of_a_whole_bank_keeps_order_and_topics(fmt):
    export, parse = FORMATS[fmt]

    assert parse(export(EXAMPLES)).questions == EXAMPLES


def bundled_questions() -> list[ExchangeQuestion]:
    questions = []
    for path in sorted((ROOT / "question_banks").rglob("*.yaml")):
        for item in parse_yaml(path.read_text(encoding="utf-8"))["questions"]:
            data = QUESTION_TYPES[item["type"]].extract(item)
            questions.append(
                q(item["id"], item["type"], item["topic"], item["stem"], item["feedback"], data,
                  item["difficulty"], item["objective"])
            )  # fmt: skip
    return questions


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_of_the_bundled_question_banks(fmt):
    questions = bundled_questions()
    export, parse = FORMATS[fmt]

    result = parse(export(questions))

    assert len(questions) > 100
    assert (result.errors, result.skipped) == ([], [])
    assert result.questions == questions


# Words that mean something to GIFT, XML, HTML or Markdown, and Indonesian text around them.
WORDS = [
    "Kader", "Bu Ani", "KKA", "balita", "é", "\u2013", "{", "}", "~", "=", "#", ":", "\\", "\\n",
    "%", "%50%", "<", ">", "&", "&amp;", "<p>", "]]>", "*", "->", "-", "[html]", "[plain]", "[",
    "]", "####", "::", "//", "$CATEGORY:", "_____", "T", "TRUE", '"', "'", " ", "  ", "\t",
]  # fmt: skip
slugs = st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4}){0,2}", fullmatch=True)


def texts(multiline: bool = False, min_size: int = 1) -> st.SearchStrategy[str]:
    parts = st.sampled_from([*WORDS, "\n", "\n\n"] if multiline else WORDS)
    joined = st.lists(parts, min_size=min_size, max_size=8).map("".join).map(str.strip)
    return joined.filter(bool) if min_size else joined


numbers = st.one_of(
    st.integers(-(10**6), 10**6),
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
)
tolerances = st.one_of(st.integers(0, 100), st.floats(0, 100, allow_nan=False))


@st.composite
def type_data(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    type_ = draw(st.sampled_from(sorted(QUESTION_TYPES)))
    if type_ == "single":
        options = draw(st.lists(texts(), min_size=2, max_size=6))
        answer = draw(st.integers(0, len(options) - 1))
        return type_, {"options": opts(*options), "answer": chr(ord("a") + answer)}
    if type_ == "multiple":
        options = draw(st.lists(texts(), min_size=3, max_size=8))
        # At least one wrong option: with none, Moodle cannot tell partial from all-or-nothing.
        keys = draw(st.sets(st.integers(0, len(options) - 1), min_size=1,
                            max_size=len(options) - 1))  # fmt: skip
        return type_, {
            "options": opts(*options),
            "answer": sorted(chr(ord("a") + i) for i in keys),
            "scoring": draw(st.sampled_from(["all-or-nothing", "partial"])),
        }
    if type_ == "truefalse":
        return type_, {"answer": draw(st.booleans())}
    if type_ == "short":
        return type_, {"answer": draw(st.lists(texts(), min_size=1, max_size=4))}
    if type_ == "numeric":
        unit = draw(st.one_of(st.just(""), texts()))
        return type_, {"answer": draw(numbers), "tolerance": draw(tolerances), "unit": unit}
    lefts = draw(st.lists(texts(), min_size=3, max_size=8, unique=True))
    rights = draw(st.lists(texts(), min_size=len(lefts), max_size=len(lefts), unique=True))
    return type_, {"pairs": [[left, right] for left, right in zip(lefts, rights, strict=True)]}


@st.composite
def exchange_questions(draw: st.DrawFn) -> ExchangeQuestion:
    type_, data = draw(type_data())
    return ExchangeQuestion(
        key=draw(st.none() | slugs),
        type=type_,
        topic=draw(slugs),
        stem=draw(texts(multiline=True)),
        feedback=draw(texts(multiline=True, min_size=0)),
        data=data,
        difficulty=draw(st.sampled_from(exchange.DIFFICULTIES)),
        objective=draw(st.none() | slugs),
    )


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(questions=st.lists(exchange_questions(), min_size=1, max_size=4))
def test_export_then_import_gives_the_same_questions(fmt, questions):
    export, parse = FORMATS[fmt]

    result = parse(export(questions))

    assert (result.errors, result.skipped) == ([], [])
    assert result.questions == questions


@settings(max_examples=60, deadline=None)
@given(text=st.lists(st.sampled_from([*WORDS, "\n", "\n\n", "{=a ~b}", "{#1:x}"])).map("".join))
def test_gift_import_never_raises(text):
    result = parse_gift(text)

    assert not (result.errors and result.questions)


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=200) | st.sampled_from([XML_FILE.read_bytes()[:n] for n in
                                                       range(0, 4000, 97)]))  # fmt: skip
def test_moodle_xml_import_never_raises(data):
    result = parse_moodle_xml(data)

    assert not (result.errors and result.questions)


# --- GIFT details ------------------------------------------------------------------------------


def test_gift_export_is_readable_and_escaped_for_moodle():
    question = q("bkb-q002", "multiple", "ape", SPECIAL, FAMILY,
                 {"options": opts("a -> b", "~x", "y"), "answer": ["a", "b"],
                  "scoring": "partial"}, "sulit", "bkb-ape")  # fmt: skip

    assert export_gift([question]) == (
        "$CATEGORY: $course$/top/ape\n"
        "\n"
        "// difficulty: sulit\n"
        "// objective: bkb-ape\n"
        "::bkb-q002::[markdown]Apa arti \\{KKA\\}? \\~ \\= \\# \\: {\n"
        "\t~%50%[plain]a -> b\n"
        "\t~%50%[plain]\\~x\n"
        "\t~%-50%[plain]y\n"
        "\t####Bu Ani & Pak Budi <anak>\n"
        "}\n"
    )


def test_gift_single_line_types_and_categories():
    questions = [
        q("a", "truefalse", "kka", "Benar?\nYa.", "", {"answer": True}),
        q("b", "numeric", "kka", "Berapa?", "Sembilan belas.",
          {"answer": 19, "tolerance": 0.5, "unit": "tahun"}),
        q("c", "truefalse", "ape", "Salah?", "", {"answer": False}),
    ]  # fmt: skip

    assert export_gift(questions) == (
        "$CATEGORY: $course$/top/kka\n\n"
        "// difficulty: sedang\n::a::[markdown]Benar?\\nYa. {TRUE}\n\n"
        "// difficulty: sedang\n// unit: tahun\n"
        "::b::[markdown]Berapa? {#19:0.5####Sembilan belas.}\n\n"
        "$CATEGORY: $course$/top/ape\n\n"
        "// difficulty: sedang\n::c::[markdown]Salah? {FALSE}\n"
    )


GIFT_IMPORTS = [
    ("Benar? {t}", "truefalse", {"answer": True}, ""),
    ("Benar? {F#Salah, coba lagi.#Tepat.}", "truefalse", {"answer": False}, "Tepat."),
    ("Umur? {#=19:0.5 =%0%20#Hampir}", "numeric", {"answer": 19, "tolerance": 0.5, "unit": ""},
     ""),
    ("Umur? {#1.5..2.5#Ya}", "numeric", {"answer": 2.0, "tolerance": 0.5, "unit": ""}, "Ya"),
    ("Umur? {#19 ~#Coba hitung lagi.}", "numeric", {"answer": 19, "tolerance": 0, "unit": ""},
     ""),
    ("Singkatan? {=KKA#Ya =%0%KK#Kurang lengkap}", "short", {"answer": ["KKA"]}, "Ya"),
    ("Tanda? {=2 \\* 3}", "short", {"answer": ["2 * 3"]}, ""),
    ("Pilih {=a#Ya. ~b#Tidak. ####Umum.}", "single", {"options": opts("a", "b"), "answer": "a"},
     "Umum."),
    ("Pilih {~%50%a#Satu ~%50%b#Dua ~c}", "multiple",
     {"options": opts("a", "b", "c"), "answer": ["a", "b"], "scoring": "all-or-nothing"},
     "Satu\n\nDua"),
    ("[html]<p>Pilih <b>satu</b>:<br>x &lt; y</p>{=[plain]<a> ~b}", "single",
     {"options": opts("<a>", "b"), "answer": "a"}, ""),
    ("Pasangkan {=a -> 1#x =b -> 2 =c->3}", "matching",
     {"pairs": [["a", "1#x"], ["b", "2"], ["c", "3"]]}, ""),
]  # fmt: skip


@pytest.mark.parametrize(("text", "type_", "data", "feedback"), GIFT_IMPORTS)
def test_gift_answer_blocks(text, type_, data, feedback):
    result = parse_gift(text)

    assert (result.errors, result.skipped) == ([], [])
    [question] = result.questions
    assert (question.type, question.data, question.feedback) == (type_, data, feedback)


def test_gift_missing_word_choice_keeps_a_blank_in_the_stem():
    [question] = parse_gift("Kepanjangan KKA adalah {=Kartu Kembang Anak =KKA}.").questions

    assert question.stem == "Kepanjangan KKA adalah _____."
    assert question.key is None
    assert question.topic == "umum"


@pytest.mark.parametrize(
    ("path", "topic"),
    [
        ("$course$/top/Default for BKB/Kartu Kembang Anak (KKA)", "kartu-kembang-anak-kka"),
        ("BKB/Ibu//Bapak", "ibu-bapak"),
        ("$course$/top", "umum"),
        ("$system$/top/top", "top"),
        ("$module$/top/Pertemuan Ke-2/", "pertemuan-ke-2"),
        ("", "umum"),
    ],
)
def test_topic_is_the_last_category_segment(path, topic):
    assert exchange.topic_from_category(path) == topic


def test_gift_file_details():
    text = (
        "\ufeff// Ekspor Windows\r\n$category: $course$/top/BKB/Ibu//Bapak\r\n"
        "::Soal 1::Benar? {T}\r\n\r\n\r\n// DIFFICULTY: sulit\r\n::Soal 2::Salah? {F}\r\n"
    )

    result = parse_gift(text)

    assert [(x.key, x.topic, x.difficulty) for x in result.questions] == [
        ("soal-1", "ibu-bapak", "sedang"),
        ("soal-2", "ibu-bapak", "sulit"),
    ]


GIFT_SKIPS = [
    ("Pilih {=a =b ~c}", S_ONE_RIGHT, {"count": 2}),
    ("Pilih {=a ~%50%b ~c}", S_PARTIAL, {}),
    ("Pilih {=a ~%-50%b ~c}", S_PARTIAL, {}),
    ("Pilih {~%70%a ~%30%b ~c}", S_UNEVEN, {}),
    ("Pilih {~a ~b ~c}", S_NO_RIGHT, {}),
    ("Pilih {=a ~b ~c ~d ~e ~f ~g}", S_OPTION_COUNT, {"low": 2, "high": 6, "count": 7}),
    ("Pilih {~%50%a ~%50%b}", S_OPTION_COUNT, {"low": 3, "high": 8, "count": 2}),
    ("Pasangkan {=a -> 1 =b -> 2}", S_PAIR_COUNT, {"low": 3, "high": 8, "count": 2}),
    ("Pasangkan {=a -> 1 =b -> 2 =c -> 3 = -> 4}", S_DISTRACTOR, {}),
    ("Pasangkan {=a -> 1 =a -> 2 =c -> 3}", S_PAIRS_DISTINCT, {}),
    ("Singkatan {=Kartu*}", S_WILDCARD, {}),
    ("Singkatan {=%50%KKA =Kartu Kembang Anak}", S_PARTIAL, {}),
    ("Umur {#5..1}", S_NEGATIVE_TOLERANCE, {}),
    ("Umur {#=1 =2}", S_NUMERIC_ANSWERS, {"count": 2}),
    ("Umur {#=%50%1}", S_PARTIAL, {}),
    ("Soal {T} lanjutan", S_MISSING_WORD, {}),
    ("// difficulty: susah\nSoal {T}", S_DIFFICULTY, {"value": "susah"}),
    ("[html]<p><img src='ape.png'></p>{T}", S_MEDIA, {}),
    ("Lihat ![APE](@@PLUGINFILE@@/ape.png) {T}", S_MEDIA, {}),
    ("[html]<p> </p>{T}", S_EMPTY_STEM, {}),
]


@pytest.mark.parametrize(("text", "message", "params"), GIFT_SKIPS)
def test_gift_questions_binakader_cannot_hold_are_skipped(text, message, params):
    result = parse_gift("Soal biasa {T}\n\n" + text)

    assert result.errors == []
    assert len(result.questions) == 1
    [skipped] = result.skipped
    assert (skipped.number, skipped.line, skipped.message, skipped.params) == (
        2, text.startswith("//") + 3, message, params
    )  # fmt: skip


GIFT_ERRORS = [
    ("Soal {=a ~b", 1, E_UNCLOSED_BRACE, {}),
    ("Soal =a ~b}", 1, E_STRAY_BRACE, {}),
    ("Soal {=a {~b}", 1, E_UNCLOSED_BRACE, {}),
    ("Soal {=a ~b}}", 1, E_STRAY_BRACE, {}),
    ("Soal {\n=a\n~b\n} dan {=c ~d}", 4, E_SECOND_BLOCK, {}),
    ("::Judul tanpa tutup\nSoal {=a ~b}", 1, E_UNCLOSED_TITLE, {}),
    ("$KATEGORI: BKB/KKA", 1, E_UNKNOWN_DIRECTIVE, {"directive": "$KATEGORI:"}),
    ("Soal {\n  a\n  ~b ~c\n}", 2, E_UNKNOWN_PREFIX, {"text": "a"}),
    ("Soal {Kartu Kembang Anak}", 1, E_UNKNOWN_PREFIX, {"text": "Kartu Kembang Anak"}),
    ("Soal {=a ~}", 1, E_EMPTY_ANSWER, {}),
    ("Pasangkan {=a -> 1\n=b 2\n=c -> 3}", 2, E_MATCHING_ARROW, {}),
    ("Umur {#dua belas}", 1, E_NOT_A_NUMBER, {"text": "dua belas"}),
    ("Umur {#12:x}", 1, E_NOT_A_NUMBER, {"text": "12:x"}),
]


@pytest.mark.parametrize(("text", "line", "message", "params"), GIFT_ERRORS)
def test_malformed_gift_is_reported_with_its_line_and_nothing_is_imported(
    text, line, message, params
):
    good = "// Soal yang benar\n::Baik::Soal baik {T}\n\n"

    result = parse_gift(good + text + "\n\nSoal baik lagi {F}\n")

    assert result.questions == []
    expected = message % params if params else message
    assert result.errors == [f"baris {line + 3}: {expected}"]
    [problem] = result.problems
    assert (problem.line, problem.message, problem.params) == (line + 3, message, params)


def test_every_malformed_question_of_a_gift_file_is_reported():
    result = parse_gift("Soal {=a\n\nSoal {T}\n\nSoal }\n")

    assert [p.line for p in result.problems] == [1, 5]


# --- Moodle XML details ------------------------------------------------------------------------


def exported(question: ExchangeQuestion) -> ET.Element:
    quiz = ET.fromstring(export_moodle_xml([question]))  # noqa: S314 - our own output
    return quiz.findall("question")[1]


def test_moodle_xml_export_uses_moodle_grades():
    partial = q("bkb-q010", "multiple", "kka", "Pilih.", "",
                {"options": opts("a", "b", "c", "d", "e"), "answer": ["a", "c", "e"],
                 "scoring": "partial"})  # fmt: skip
    single = q("bkb-q011", "single", "kka", "Pilih.", "",
               {"options": opts("a", "b", "c"), "answer": "b"})  # fmt: skip

    fractions = [a.get("fraction") for a in exported(partial).findall("answer")]
    assert fractions == ["33.33333", "-33.33333", "33.33333", "-33.33333", "33.33333"]
    assert exported(partial).findtext("single") == "false"
    assert [a.get("fraction") for a in exported(single).findall("answer")] == ["0", "100", "0"]
    assert exported(single).findtext("single") == "true"


@pytest.mark.parametrize("keys", range(1, 9))
@pytest.mark.parametrize("scoring", ["all-or-nothing", "partial"])
def test_multiple_response_weights_are_grades_moodle_accepts(keys, scoring):
    options = [f"pilihan {i}" for i in range(8)]
    question = q("bkb-q012", "multiple", "kka", "Pilih.", "",
                 {"options": opts(*options), "answer": [chr(ord("a") + i) for i in range(keys)],
                  "scoring": scoring})  # fmt: skip

    weights = [float(a.get("fraction")) for a in exported(question).findall("answer")]

    assert all(abs(weight) in MOODLE_GRADES for weight in weights)
    # Moodle checks that the right answers add up to 100% after rounding to 2 decimals.
    assert round(sum(w for w in weights if w > 0) / 100, 2) == 1
    assert all(w < 0 if scoring == "partial" else w == 0 for w in weights[keys:])


def test_moodle_xml_export_shape():
    question = q(None, "numeric", "kka", FAMILY, SPECIAL,
                 {"answer": 2.5, "tolerance": 0.5, "unit": "kg"}, "sulit", "bkb-kka")  # fmt: skip

    data = export_moodle_xml([question])
    element = exported(question)

    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>')
    assert b"Bu Ani &amp; Pak Budi &lt;anak&gt;" in data
    assert element.get("type") == "numerical"
    assert element.findtext("name/text") == FAMILY
    assert element.findtext("idnumber") == ""
    assert element.find("questiontext").get("format") == "markdown"
    assert element.findtext("answer/tolerance") == "0.5"
    assert element.findtext("units/unit/unit_name") == "kg"
    assert [t.text for t in element.findall("tags/tag/text")] == [
        "difficulty:sulit",
        "objective:bkb-kka",
    ]


def test_moodle_xml_export_refuses_characters_xml_cannot_hold():
    question = q("x", "truefalse", "kka", "Benar?\x01", "", {"answer": True})

    with pytest.raises(ValueError, match="U\\+0001"):
        export_moodle_xml([question])


def xml_question(body: str, question_type: str = "truefalse") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n'
        f'<question type="{question_type}">\n'
        "<name><text>Soal</text></name>\n"
        '<questiontext format="html"><text>Benar?</text></questiontext>\n'
        f"{body}\n</question>\n</quiz>\n"
    ).encode()


TRUE = '<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text>'
XML_SKIPS = [
    ('<answer fraction="100"><text>a</text></answer>'
     '<answer fraction="100"><text>b</text></answer>', "multichoice", S_ONE_RIGHT),
    ('<single>false</single><answer fraction="60"><text>a</text></answer>'
     '<answer fraction="40"><text>b</text></answer><answer fraction="0"><text>c</text></answer>',
     "multichoice", S_UNEVEN),
    ('<answer fraction="0"><text>true</text></answer>', "truefalse", S_NO_RIGHT),
    ('<answer fraction="100"><text>Kartu*</text></answer>', "shortanswer", S_WILDCARD),
    ('<answer fraction="50"><text>KKA</text></answer>', "shortanswer", S_PARTIAL),
    ('<answer fraction="100"><text>1</text></answer>'
     '<answer fraction="100"><text>2</text></answer>', "numerical", S_NUMERIC_ANSWERS),
    ('<answer fraction="100"><text>1</text><tolerance>-1</tolerance></answer>', "numerical",
     S_NEGATIVE_TOLERANCE),
    ("<subquestion><text>a</text><answer><text>1</text></answer></subquestion>"
     "<subquestion><text>b</text><answer><text>2</text></answer></subquestion>"
     "<subquestion><text></text><answer><text>3</text></answer></subquestion>",
     "matching", S_DISTRACTOR),
    ("", "calculatedsimple", S_UNSUPPORTED_TYPE),
    ("", "ddwtos", S_UNSUPPORTED_TYPE),
    ("", "random", S_UNSUPPORTED_TYPE),
    (f"{TRUE}</answer><tags><tag><text>difficulty:berat</text></tag></tags>", "truefalse",
     S_DIFFICULTY),
]  # fmt: skip


@pytest.mark.parametrize(("body", "question_type", "message"), XML_SKIPS)
def test_moodle_xml_questions_binakader_cannot_hold_are_skipped(body, question_type, message):
    result = parse_moodle_xml(xml_question(body, question_type))

    assert (result.errors, result.questions) == ([], [])
    [skipped] = result.skipped
    assert (skipped.number, skipped.title, skipped.line, skipped.message) == (
        1, "Soal", 3, message
    )  # fmt: skip


def test_moodle_xml_short_answer_escaped_asterisk_is_a_plain_asterisk():
    body = '<answer fraction="100"><text>2 \\* 3</text></answer>'

    [question] = parse_moodle_xml(xml_question(body, "shortanswer")).questions

    assert question.data == {"answer": ["2 * 3"]}


def test_moodle_xml_key_prefers_idnumber_then_name():
    body = f"{TRUE}</answer>"

    named = parse_moodle_xml(xml_question(body)).questions[0]
    with_id = parse_moodle_xml(xml_question(body + "<idnumber>BKB Q-9</idnumber>")).questions[0]
    unnamed = parse_moodle_xml(xml_question(body).replace(b"Soal", b"Benar?")).questions[0]

    assert (named.key, with_id.key, unnamed.key) == ("soal", "bkb-q-9", None)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
]>
<quiz>&lol2;</quiz>
"""
XML_ERRORS = [
    (b"", 1, E_XML, {"detail": "no element found"}),
    (b"<quiz>\n<question type='truefalse'>\n</quiz>\n", 3, E_XML, {"detail": "mismatched tag"}),
    (b"<quiz>\n<question type='truefalse'>", 2, E_XML, {"detail": "no element found"}),
    (b"Bukan XML", 1, E_XML, {"detail": "syntax error"}),
    ('<quiz>\n<question type="truefalse">\n<name><text>Soal ké</text></name>'
     "</question></quiz>".encode("latin-1"), 3, E_NOT_UTF8, {}),
    ("<quiz></quiz>".encode("utf-16"), 1, E_NOT_UTF8, {}),
    (b'<?xml version="1.0" encoding="ISO-8859-1"?>\n<quiz></quiz>', 1, E_ENCODING,
     {"encoding": "ISO-8859-1"}),
    (BILLION_LAUGHS, 2, E_DOCTYPE, {}),
    (b'<!DOCTYPE quiz SYSTEM "file:///etc/passwd">\n<quiz></quiz>', 1, E_DOCTYPE, {}),
    (b"<questions>\n</questions>", 1, E_ROOT, {"tag": "questions"}),
    (xml_question('<answer fraction="banyak"><text>true</text></answer>'), 6, E_FRACTION,
     {"text": "banyak"}),
    (xml_question('<answer fraction="100"><text>tujuh puluh</text></answer>', "numerical"), 6,
     E_NOT_A_NUMBER, {"text": "tujuh puluh"}),
]  # fmt: skip


@pytest.mark.parametrize(("data", "line", "message", "params"), XML_ERRORS)
def test_malformed_moodle_xml_is_reported_with_its_line_and_nothing_is_imported(
    data, line, message, params
):
    result = parse_moodle_xml(data)

    assert result.questions == []
    [problem] = result.problems
    assert (problem.line, problem.message, problem.params) == (line, message, params)
    assert result.errors == [str(problem)]
    assert result.errors[0].startswith(f"baris {line}: ")


def test_an_error_in_one_moodle_question_drops_the_whole_file():
    good = XML_FILE.read_bytes()
    bad = good.replace(b'<answer fraction="-100"', b'<answer fraction="-seratus"')

    assert len(parse_moodle_xml(good).questions) == len(XML_QUESTIONS)
    line = line_of(XML_FILE, '<answer fraction="-100"')
    result = parse_moodle_xml(bad)
    assert result.questions == []
    assert result.errors == [f"baris {line}: nilai fraction '-seratus' bukan angka"]


# --- The module ---------------------------------------------------------------------------------


def test_format_functions_are_reachable_from_the_exchange_module():
    assert exchange.parse_gift is parse_gift
    assert exchange.export_moodle_xml is export_moodle_xml
    with pytest.raises(AttributeError):
        _ = exchange.parse_csv


@pytest.mark.parametrize("module", ["exchange.py", "gift.py", "moodle_xml.py"])
def test_modules_are_pure(module):
    tree = ast.parse((ROOT / "lms" / "authoring" / module).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)

    allowed = {"lms.content.question_types", "lms.authoring", "lms.authoring.exchange",
               "lms.authoring.gift", "lms.authoring.moodle_xml"}  # fmt: skip
    impure = {
        name for name in imported
        if name not in allowed and name.split(".")[0] not in sys.stdlib_module_names
    }  # fmt: skip
    assert impure == set(), f"{module} imports {impure}"
