"""The content loader: a valid tree, one broken tree per error class, the CLI, the bundled files."""

from __future__ import annotations

import ast
import re
import struct
import zlib
from pathlib import Path
from textwrap import dedent

import pytest

from lms.content.loader import load_curriculum
from lms.content.spec import ImageSpec, Problem

REPO = Path(__file__).resolve().parents[2]
PURE_CONTENT_MODULES = ["loader.py", "question_types.py", "yamlnodes.py", "spec.py"]
FORBIDDEN_IMPORTS = ("flask", "flask_sqlalchemy", "sqlalchemy", "lms.extensions", "lms.database")

UNIT_YAML = "modules/contoh/unit.yaml"
LESSON_1 = "modules/contoh/lessons/01-pengantar.md"
LESSON_2 = "modules/contoh/lessons/02-praktik.md"
BANK_1 = "question_banks/contoh/01-pilihan.yaml"
BANK_2 = "question_banks/contoh/02-isian.yaml"
PROGRAM = "modules/programs/contoh.yaml"


def tiny_png() -> bytes:
    """A valid 1x1 grey PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


PNG = tiny_png()

# Line numbers in the broken cases below refer to these texts; keep them in step.
VALID_FILES = {
    UNIT_YAML: """\
        code: contoh
        title: Unit Contoh
        summary: >-
          Unit kecil untuk menguji pemuat kurikulum.
        order: 1
        estimated_minutes: 30
        objectives:
          - id: contoh-dasar
            text: Menjelaskan dasar-dasar contoh.
          - id: contoh-praktik
            text: Menerapkan contoh di lapangan.
        test:
          questions: 5
        """,
    LESSON_1: """\
        ---
        id: contoh-pengantar
        title: Pengantar
        order: 1
        objectives: [contoh-dasar]
        ---
        Teks pelajaran pertama.

        ![Diagram contoh](gambar.png)

        ## Di lapangan
        Contoh praktis.

        ## Ringkasan
        - Poin penting
        """,
    LESSON_2: """\
        ---
        id: contoh-praktik-lapangan
        title: Praktik di Lapangan
        order: 2
        objectives: [contoh-dasar, contoh-praktik]
        ---
        Teks pelajaran kedua.

        ## Di lapangan
        Kader mempraktikkan contoh.

        ## Ringkasan
        - Poin penting
        """,
    BANK_1: """\
        questions:
          - id: contoh-q001
            type: single
            difficulty: mudah
            topic: dasar
            objective: contoh-dasar
            stem: |-
              Apa warna langit cerah?
            options:
              a: Biru
              b: Hijau
              c: Merah
            answer: a
            feedback: |-
              Langit cerah berwarna biru.

          - id: contoh-q002
            type: multiple
            difficulty: sedang
            topic: dasar
            objective: contoh-dasar
            stem: Pilih semua bilangan genap.
            options:
              a: Dua
              b: Tiga
              c: Empat
              d: Lima
            answer: [c, a]
            scoring: partial
            feedback: Dua dan empat habis dibagi dua.

          - id: contoh-q003
            type: truefalse
            difficulty: sulit
            topic: praktik
            objective: contoh-praktik
            stem: Kader boleh mencatat kegiatan di buku register.
            answer: true
            feedback: Pencatatan adalah tugas kader.
        """,
    BANK_2: """\
        questions:
          - id: contoh-q004
            type: short
            difficulty: mudah
            topic: praktik
            objective: contoh-praktik
            stem: Apa singkatan dari Kartu Kembang Anak?
            answer: [KKA, K.K.A.]
            feedback: KKA adalah Kartu Kembang Anak.

          - id: contoh-q005
            type: numeric
            difficulty: sedang
            topic: praktik
            objective: contoh-praktik
            stem: Berapa bulan dalam satu tahun?
            answer: 12
            tolerance: 0.5
            unit: bulan
            feedback: Satu tahun ada 12 bulan.

          - id: contoh-q006
            type: matching
            difficulty: sulit
            topic: dasar
            objective: contoh-dasar
            stem: Jodohkan singkatan dengan kepanjangannya.
            pairs:
              - {left: BKB, right: Bina Keluarga Balita}
              - {left: BKR, right: Bina Keluarga Remaja}
              - {left: BKL, right: Bina Keluarga Lansia}
            feedback: Ketiganya adalah kelompok Tribina.
        """,
    PROGRAM: """\
        code: program-contoh
        title: Program Contoh
        units: [contoh]
        validity_years: 3
        issuer:
          name: DPPKB Contoh
          place: Sangatta
        """,
}


def write_valid_curriculum(root: Path) -> Path:
    """Write the small valid curriculum under `root` and return `root`."""
    for relative, text in VALID_FILES.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text), encoding="utf-8")
    (root / "modules/contoh/lessons/gambar.png").write_bytes(PNG)
    return root


def load(root: Path):
    """load_curriculum on the two content folders under `root`."""
    return load_curriculum(root / "modules", root / "question_banks", root=root)


Edit = tuple[str, str | None, str | None]


def replace(path: str, old: str, new: str) -> Edit:
    """Replace the one occurrence of `old` in `path`."""
    return (path, old, new)


def add(path: str, text: str) -> Edit:
    """Create (or overwrite) the file `path`."""
    return (path, None, text)


def apply(root: Path, *edits: Edit) -> None:
    """Apply edits to the tree under `root`."""
    for relative, old, new in edits:
        path = root / relative
        if old is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(dedent(new or ""), encoding="utf-8")
            continue
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} must occur once in {relative}"
        path.write_text(text.replace(old, new or ""), encoding="utf-8")


def has_problem(problems: list[Problem], path: str, line: int, fragment: str) -> bool:
    return any(p.path == path and p.line == line and fragment in p.text for p in problems)


@pytest.fixture
def valid_root(tmp_path: Path) -> Path:
    return write_valid_curriculum(tmp_path)


# -- the valid tree --------------------------------------------------------------------------
def test_valid_curriculum_has_no_problems_and_the_right_counts(valid_root):
    """Everything in the small tree loads; counts, unit and program fields are kept."""
    curriculum, problems = load(valid_root)
    assert problems == []
    assert list(curriculum.units) == ["contoh"]
    unit = curriculum.units["contoh"]
    assert (unit.title, unit.summary, unit.order, unit.estimated_minutes) == (
        "Unit Contoh",
        "Unit kecil untuk menguji pemuat kurikulum.",
        1,
        30,
    )
    assert unit.objectives == [
        ("contoh-dasar", "Menjelaskan dasar-dasar contoh."),
        ("contoh-praktik", "Menerapkan contoh di lapangan."),
    ]
    assert unit.path == UNIT_YAML
    assert len(unit.lessons) == 2
    assert len(unit.questions) == 6
    assert sorted(q.type for q in unit.questions) == sorted(
        ["single", "multiple", "truefalse", "short", "numeric", "matching"]
    )
    program = curriculum.programs["program-contoh"]
    assert (program.units, program.validity_years, program.issuer_name, program.issuer_place) == (
        ["contoh"],
        3,
        "DPPKB Contoh",
        "Sangatta",
    )
    assert curriculum.summary() == (
        "OK: 1 units, 2 lessons, 6 questions, 1 programs (contoh: 2 lessons, 6 questions)"
    )


def test_valid_questions_keep_their_type_specific_data(valid_root):
    """Each question type extracts its key, options or pairs."""
    curriculum, _ = load(valid_root)
    questions = {q.key: q for q in curriculum.units["contoh"].questions}
    single = questions["contoh-q001"]
    assert single.data == {
        "options": [["a", "Biru"], ["b", "Hijau"], ["c", "Merah"]],
        "answer": "a",
    }
    assert (single.stem, single.feedback) == (
        "Apa warna langit cerah?",
        "Langit cerah berwarna biru.",
    )
    assert (single.difficulty, single.topic, single.objective) == ("mudah", "dasar", "contoh-dasar")
    assert (single.path, single.line) == (BANK_1, 2)
    assert questions["contoh-q002"].data["answer"] == ["a", "c"]
    assert questions["contoh-q002"].data["scoring"] == "partial"
    assert len(questions["contoh-q002"].data["options"]) == 4
    assert questions["contoh-q003"].data == {"answer": True}
    assert questions["contoh-q004"].data == {"answer": ["KKA", "K.K.A."]}
    assert questions["contoh-q005"].data == {"answer": 12, "tolerance": 0.5, "unit": "bulan"}
    assert questions["contoh-q005"].line == 11
    assert questions["contoh-q006"].data == {
        "pairs": [
            ["BKB", "Bina Keluarga Balita"],
            ["BKR", "Bina Keluarga Remaja"],
            ["BKL", "Bina Keluarga Lansia"],
        ]
    }


def test_valid_lessons_are_in_order_with_their_images(valid_root):
    """Lessons come in `order`, keep their front matter, body and local images."""
    curriculum, _ = load(valid_root)
    first, second = curriculum.units["contoh"].lessons
    assert [first.key, second.key] == ["contoh-pengantar", "contoh-praktik-lapangan"]
    assert (first.title, first.order, first.objectives) == ("Pengantar", 1, ["contoh-dasar"])
    assert second.objectives == ["contoh-dasar", "contoh-praktik"]
    assert first.path == LESSON_1
    assert first.body.startswith("Teks pelajaran pertama.")
    assert "---" not in first.body
    assert first.images == [ImageSpec("gambar.png", PNG, "image/png")]
    assert second.images == []


def test_lessons_are_sorted_by_order_not_by_file_name(valid_root):
    """Swapping the `order` values swaps the reading order."""
    apply(
        valid_root,
        replace(LESSON_1, "order: 1", "order: 2"),
        replace(LESSON_2, "order: 2", "order: 1"),
    )
    curriculum, problems = load(valid_root)
    assert problems == []
    keys = [lesson.key for lesson in curriculum.units["contoh"].lessons]
    assert keys == ["contoh-praktik-lapangan", "contoh-pengantar"]


def test_problem_prints_as_path_line_message():
    assert str(Problem("a/b.yaml", 7, "oops")) == "a/b.yaml:7: oops"
    problem = Problem("a/b.yaml", 7, "'%(key)s' harus bilangan bulat", {"key": "order"})
    assert str(problem) == "a/b.yaml:7: 'order' harus bilangan bulat"
    assert problem.text == "'order' harus bilangan bulat"


def test_problem_is_translated_through_the_given_gettext():
    """The msgid goes to gettext with its parameters; path and line stay as they are."""
    calls = []

    def gettext(message, **params):
        calls.append((message, params))
        return f"'{params['key']}' must be a whole number"

    problem = Problem("a/b.yaml", 7, "'%(key)s' harus bilangan bulat", {"key": "order"})
    assert problem.translated(gettext) == "a/b.yaml:7: 'order' must be a whole number"
    assert calls == [("'%(key)s' harus bilangan bulat", {"key": "order"})]


# -- one broken tree per error class ---------------------------------------------------------
TRUEFALSE_ANSWER = "    answer: true\n"
BROKEN_CASES = [
    pytest.param(
        [replace(BANK_2, "unit: bulan\n", "unit: bulan: tahun\n")],
        BANK_2, 19, "penulisan YAML salah: ",
        id="bank-yaml-syntax-error",
    ),
    pytest.param(
        [replace(LESSON_1, "title: Pengantar\n", "title: Pengantar: dasar\n")],
        LESSON_1, 3, "penulisan YAML salah: ",
        id="lesson-front-matter-syntax-error",
    ),
    pytest.param(
        [replace(LESSON_2, "---\nid: contoh-praktik-lapangan\ntitle: Praktik di Lapangan\n"
                 "order: 2\nobjectives: [contoh-dasar, contoh-praktik]\n---\n", "")],
        LESSON_2, 1, "pelajaran harus diawali keterangan (front matter)",
        id="lesson-without-front-matter",
    ),
    pytest.param(
        [replace(LESSON_2, "---\nTeks pelajaran kedua.", "Teks pelajaran kedua.")],
        LESSON_2, 1, "front matter tidak ditutup dengan baris '---'",
        id="lesson-front-matter-not-closed",
    ),
    pytest.param(
        [replace(LESSON_2, "Teks pelajaran kedua.\n\n## Di lapangan\nKader mempraktikkan contoh."
                 "\n\n## Ringkasan\n- Poin penting\n", "")],
        LESSON_2, 7, "pelajaran tidak berisi teks setelah front matter",
        id="lesson-without-body",
    ),
    pytest.param(
        [replace(BANK_1, "type: truefalse", "type: benarsalah")],
        BANK_1, 33, "type 'benarsalah' tidak dikenal",
        id="unknown-question-type",
    ),
    pytest.param(
        [replace(BANK_2, "id: contoh-q004", "id: contoh-q001")],
        BANK_2, 2, f"id 'contoh-q001' sudah dipakai (pertama kali di {BANK_1}:2)",
        id="duplicate-question-id-across-files",
    ),
    pytest.param(
        [replace(LESSON_2, "id: contoh-praktik-lapangan", "id: contoh-pengantar")],
        LESSON_2, 2, f"id 'contoh-pengantar' sudah dipakai (pertama kali di {LESSON_1}:2)",
        id="duplicate-lesson-id",
    ),
    pytest.param(
        [replace(BANK_1, "  - id: contoh-q003\n    type: truefalse", "  - type: truefalse")],
        BANK_1, 32, "wajib ada 'id' (teks)",
        id="question-without-id",
    ),
    pytest.param(
        [replace(LESSON_1, "id: contoh-pengantar\n", "")],
        LESSON_1, 2, "wajib ada 'id' (teks)",
        id="lesson-without-id",
    ),
    pytest.param(
        [replace(BANK_1, "answer: a\n", "answer: d\n")],
        BANK_1, 13, "jawaban 'd' tidak ada di antara pilihan (a, b, c)",
        id="single-answer-not-an-option",
    ),
    pytest.param(
        [replace(BANK_1, "answer: a\n", "answer: [a, b]\n")],
        BANK_1, 13, "soal pilihan ganda hanya punya satu kunci",
        id="single-with-two-keys",
    ),
    pytest.param(
        [replace(BANK_1, "      b: Hijau\n      c: Merah\n", "")],
        BANK_1, 9, "perlu 2 sampai 6 pilihan, ada 1",
        id="single-with-one-option",
    ),
    pytest.param(
        [replace(BANK_1, "answer: [c, a]", "answer: [c, e]")],
        BANK_1, 28, "jawaban 'e' tidak ada di antara pilihan",
        id="multiple-answer-not-an-option",
    ),
    pytest.param(
        [replace(BANK_1, "scoring: partial", "scoring: sebagian")],
        BANK_1, 29, "'scoring' harus 'all-or-nothing' atau 'partial'",
        id="multiple-unknown-scoring",
    ),
    pytest.param(
        [replace(BANK_1, TRUEFALSE_ANSWER, "    answer: benar\n")],
        BANK_1, 38, "'answer' harus true atau false",
        id="truefalse-answer-not-boolean",
    ),
    pytest.param(
        [replace(BANK_2, "answer: [KKA, K.K.A.]", "answer: KKA")],
        BANK_2, 8, "'answer' harus berupa daftar jawaban yang diterima",
        id="short-answer-not-a-list",
    ),
    pytest.param(
        [replace(BANK_2, "answer: 12\n", "answer: 12,5\n")],
        BANK_2, 17, "'answer' harus berupa angka",
        id="numeric-answer-not-a-number",
    ),
    pytest.param(
        [replace(BANK_2, "tolerance: 0.5", "tolerance: -1")],
        BANK_2, 18, "'tolerance' harus angka 0 atau lebih",
        id="numeric-negative-tolerance",
    ),
    pytest.param(
        [replace(BANK_2, "      - {left: BKL, right: Bina Keluarga Lansia}\n", "")],
        BANK_2, 28, "'pairs' harus berupa daftar 3 sampai 8 pasangan",
        id="matching-with-two-pairs",
    ),
    pytest.param(
        [replace(BANK_2, "{left: BKL, right: Bina Keluarga Lansia}", "{left: BKL}")],
        BANK_2, 31, "setiap pasangan harus berisi tepat 'left' dan 'right'",
        id="matching-pair-without-right",
    ),
    pytest.param(
        [replace(BANK_1, "objective: contoh-praktik\n", "objective: contoh-lain\n")],
        BANK_1, 36, "tujuan 'contoh-lain' tidak ada di contoh/unit.yaml",
        id="question-objective-unknown",
    ),
    pytest.param(
        [replace(LESSON_2, "[contoh-dasar, contoh-praktik]", "[contoh-dasar, contoh-lain]")],
        LESSON_2, 5, "tujuan 'contoh-lain' tidak ada di contoh/unit.yaml",
        id="lesson-objective-unknown",
    ),
    pytest.param(
        [replace(LESSON_1, "(gambar.png)", "(tidak-ada.png)")],
        LESSON_1, 9, "gambar 'tidak-ada.png' tidak ditemukan di folder pelajaran",
        id="lesson-image-missing",
    ),
    pytest.param(
        [replace(LESSON_1, "(gambar.png)", "(https://example.org/gambar.png)")],
        LESSON_1, 9, "gambar 'https://example.org/gambar.png' harus berupa berkas di folder",
        id="lesson-image-external-url",
    ),
    pytest.param(
        [replace(LESSON_1, "(gambar.png)", "(../../bkb/lessons/gambar.png)")],
        LESSON_1, 9, "gambar '../../bkb/lessons/gambar.png' harus berada di folder pelajaran",
        id="lesson-image-outside-folder",
    ),
    pytest.param(
        [replace(LESSON_1, "(gambar.png)", "(gambar.bmp)")],
        LESSON_1, 9, "gambar 'gambar.bmp' harus berformat PNG, JPEG, WebP atau GIF",
        id="lesson-image-unsupported-type",
    ),
    pytest.param(
        [replace(PROGRAM, "units: [contoh]", "units: [contoh, bkb]")],
        PROGRAM, 3, "unit 'bkb' dalam program ini tidak ada",
        id="program-unit-unknown",
    ),
    pytest.param(
        [add("modules/lain/lessons/01-x.md", "---\nid: lain-x\n---\nTeks.\n")],
        "modules/lain", 1, "folder unit tidak berisi unit.yaml",
        id="unit-folder-without-unit-yaml",
    ),
    pytest.param(
        [replace(UNIT_YAML, "code: contoh\n", "code: contoh-lain\n")],
        UNIT_YAML, 1, "'code' (contoh-lain) harus sama dengan nama folder unit (contoh)",
        id="unit-code-differs-from-folder",
    ),
    pytest.param(
        [replace(UNIT_YAML, "estimated_minutes: 30", "estimated_minutes: setengah jam")],
        UNIT_YAML, 6, "'estimated_minutes' harus bilangan bulat",
        id="unit-field-wrong-kind",
    ),
    pytest.param(
        [replace(UNIT_YAML, "  - id: contoh-praktik\n", "  - id: praktik\n")],
        UNIT_YAML, 10, "id tujuan 'praktik' harus diawali 'contoh-'",
        id="objective-id-without-unit-prefix",
    ),
    pytest.param(
        [replace(BANK_2, "difficulty: sulit", "difficulty: susah")],
        BANK_2, 24, "'difficulty' harus salah satu dari mudah, sedang, sulit, bukan 'susah'",
        id="invalid-difficulty",
    ),
    pytest.param(
        [replace(BANK_2, "    feedback: Satu tahun ada 12 bulan.\n", "")],
        BANK_2, 11, "wajib ada 'feedback' (teks)",
        id="missing-feedback",
    ),
    pytest.param(
        [replace(BANK_1, "      b: Hijau\n", "      a: Hijau\n")],
        BANK_1, 11, "'a' ditulis dua kali di bagian yang sama",
        id="duplicate-yaml-key-in-bank",
    ),
    pytest.param(
        [replace(LESSON_1, "order: 1\n", "order: 1\ntitle: Lagi\n")],
        LESSON_1, 5, "'title' ditulis dua kali di bagian yang sama",
        id="duplicate-yaml-key-in-front-matter",
    ),
    pytest.param(
        [add("question_banks/lain/01-soal.yaml", "questions: []\n")],
        "question_banks/lain", 1, "bank soal untuk unit 'lain' yang tidak ada",
        id="bank-folder-for-unknown-unit",
    ),
    pytest.param(
        [add("question_banks/contoh/03-salah.yaml", "soal:\n  - id: contoh-q099\n")],
        "question_banks/contoh/03-salah.yaml", 1, "harus berisi daftar 'questions:'",
        id="bank-file-without-questions-list",
    ),
    pytest.param(
        [replace(BANK_1, TRUEFALSE_ANSWER, "    options:\n      a: Benar\n" + TRUEFALSE_ANSWER)],
        BANK_1, 38, "'options' tidak dipakai pada soal type 'truefalse'",
        id="field-not-used-by-type",
    ),
    # Found by these tests and fixed in the loader.
    pytest.param(
        [replace(LESSON_2, "order: 2", "order: 1")],
        LESSON_2, 4, "'order' 1 juga dipakai pelajaran 'contoh-pengantar'",
        id="duplicate-lesson-order",
    ),
    pytest.param(
        [replace(LESSON_1, "objectives: [contoh-dasar]", "objectives:\n  - id: contoh-dasar")],
        LESSON_1, 5, "'objectives' harus berupa daftar id tujuan, misalnya [bkb-tujuan]",
        id="lesson-objectives-as-mappings",
    ),
    pytest.param(
        [replace(PROGRAM, "units: [contoh]", "units:\n  - code: contoh")],
        PROGRAM, 4, "'units' harus berupa daftar kode unit",
        id="program-units-as-mappings",
    ),
    pytest.param(
        [replace(LESSON_1, "objectives: [contoh-dasar]", "objectives: []")],
        LESSON_1, 5, "pelajaran wajib punya paling sedikit satu tujuan",
        id="lesson-without-objectives",
    ),
    pytest.param(
        [replace(LESSON_1, "id: contoh-pengantar", "id: pengantar")],
        LESSON_1, 2, "id pelajaran 'pengantar' harus diawali 'contoh-'",
        id="lesson-id-without-unit-prefix",
    ),
    pytest.param(
        [add(UNIT_YAML, "# belum diisi\n")],
        UNIT_YAML, 1, "unit.yaml harus berisi baris nama: nilai",
        id="empty-unit-yaml",
    ),
    pytest.param(
        [add("question_banks/contoh/03-kosong.yaml", "# belum diisi\n")],
        "question_banks/contoh/03-kosong.yaml", 1, "harus berisi daftar 'questions:'",
        id="empty-bank-file",
    ),
    pytest.param(
        [replace(BANK_2, "answer: 12\n", "answer: .nan\n")],
        BANK_2, 17, "'answer' harus berupa angka",
        id="numeric-answer-nan",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("edits", "path", "line", "fragment"), BROKEN_CASES)
def test_broken_curriculum_reports_path_line_and_message(valid_root, edits, path, line, fragment):
    """Each broken file is reported at its exact path and line."""
    apply(valid_root, *edits)
    _, problems = load(valid_root)
    assert has_problem(problems, path, line, fragment), "\n".join(map(str, problems))


def test_lesson_that_is_not_utf8_is_reported(valid_root):
    """A lesson saved as Windows-1252 is a problem at line 1, like a non-UTF-8 YAML file."""
    path = valid_root / LESSON_1
    path.write_bytes(
        path.read_text(encoding="utf-8").replace("Pengantar", "Caf\u00e9").encode("cp1252")
    )
    _, problems = load(valid_root)
    assert has_problem(problems, LESSON_1, 1, "berkas bukan teks UTF-8"), problems


def test_yaml_file_that_is_not_utf8_is_reported(valid_root):
    """A bank saved as Windows-1252 is reported at line 1."""
    path = valid_root / BANK_1
    path.write_bytes(
        path.read_text(encoding="utf-8").replace("Biru", "Biru \u00e9").encode("cp1252")
    )
    _, problems = load(valid_root)
    assert has_problem(problems, BANK_1, 1, "berkas bukan teks UTF-8"), problems


def test_lesson_with_byte_order_mark_loads(valid_root):
    """A UTF-8 BOM before the first '---' is not a problem (YAML files already allow it)."""
    path = valid_root / LESSON_1
    path.write_text("\ufeff" + path.read_text(encoding="utf-8"), encoding="utf-8")
    _, problems = load(valid_root)
    assert problems == []


def test_yaml_file_with_byte_order_mark_loads(valid_root):
    """A UTF-8 BOM at the start of a YAML file is accepted."""
    path = valid_root / BANK_1
    path.write_text("\ufeff" + path.read_text(encoding="utf-8"), encoding="utf-8")
    _, problems = load(valid_root)
    assert problems == []


def test_every_problem_is_reported_not_only_the_first(valid_root):
    """Problems in several files (and several in one file) come back together."""
    apply(
        valid_root,
        replace(UNIT_YAML, "di lapangan.\n", "di lapangan.\n  - id: contoh-tanpa-teks\n"),
        replace(LESSON_1, "(gambar.png)", "(tidak-ada.png)"),
        replace(LESSON_2, "[contoh-dasar, contoh-praktik]", "[contoh-dasar, contoh-lain]"),
        replace(BANK_1, "answer: a\n", "answer: d\n"),
        replace(BANK_1, TRUEFALSE_ANSWER, "    answer: benar\n"),
        replace(BANK_2, "difficulty: sulit", "difficulty: susah"),
        replace(PROGRAM, "units: [contoh]", "units: [contoh, bkb]"),
    )
    _, problems = load(valid_root)
    assert sorted((p.path, p.line) for p in problems) == sorted([
        (UNIT_YAML, 12),
        (LESSON_1, 9),
        (LESSON_2, 5),
        (BANK_1, 13),
        (BANK_1, 38),
        (BANK_2, 24),
        (PROGRAM, 3),
    ]), problems  # fmt: skip


def test_a_unit_yaml_problem_does_not_hide_lesson_and_question_problems(valid_root):
    """A bad `order` in unit.yaml still lets the problems in its lessons and bank be reported."""
    apply(
        valid_root,
        replace(UNIT_YAML, "order: 1", "order: pertama"),
        replace(LESSON_1, "(gambar.png)", "(tidak-ada.png)"),
        replace(BANK_1, "answer: a\n", "answer: d\n"),
    )
    _, problems = load(valid_root)
    assert has_problem(problems, UNIT_YAML, 5, "'order' harus bilangan bulat")
    assert not any(p.message.startswith("bank soal untuk unit") for p in problems), problems
    assert has_problem(problems, LESSON_1, 9, "tidak ditemukan"), problems
    assert has_problem(problems, BANK_1, 13, "tidak ada di antara pilihan"), problems


# -- the CLI ---------------------------------------------------------------------------------
def test_cli_check_valid_tree_prints_the_summary(runner, valid_root):
    """`content check PATH` exits 0 with a one-line OK summary."""
    result = runner.invoke(args=["content", "check", str(valid_root)])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "OK: 1 units, 2 lessons, 6 questions, 1 programs (contoh: 2 lessons, 6 questions)\n"
    )


def test_cli_check_broken_tree_prints_every_problem_to_stderr(runner, valid_root):
    """`content check PATH` exits 1, prints path:line: message lines and the count to stderr."""
    apply(
        valid_root,
        replace(BANK_1, "answer: a\n", "answer: d\n"),
        replace(LESSON_1, "(gambar.png)", "(https://example.org/gambar.png)"),
    )
    result = runner.invoke(args=["content", "check", str(valid_root)])
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{LESSON_1}:9: gambar 'https://example.org/gambar.png' harus berupa berkas di folder "
        "pelajaran, bukan alamat internet",
        f"{BANK_1}:13: jawaban 'd' tidak ada di antara pilihan (a, b, c)",
        "Error: 2 problems found; nothing was changed.",
    ]
    assert f"{BANK_1}:13: jawaban 'd'" in result.output


def test_cli_check_one_problem_is_singular(runner, valid_root):
    """One problem reads '1 problem found'."""
    apply(valid_root, replace(BANK_2, "difficulty: sulit", "difficulty: susah"))
    result = runner.invoke(args=["content", "check", str(valid_root)])
    assert result.exit_code == 1
    assert f"{BANK_2}:24: 'difficulty' harus salah satu dari" in result.stderr
    assert result.stderr.endswith("Error: 1 problem found; nothing was changed.\n")


def test_cli_check_without_path_checks_the_bundled_curriculum(runner):
    """Without PATH the command checks the repository's own content."""
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("OK: 5 units, ")


# -- the bundled curriculum ------------------------------------------------------------------
DIFFICULTY_LEVELS = {"mudah", "sedang", "sulit"}
CATCH_ALL_OPTION = re.compile(r"semua\s+(benar|jawaban)", re.IGNORECASE)


@pytest.fixture(scope="module")
def bundled():
    """The curriculum shipped in the repository (modules/ and question_banks/)."""
    curriculum, problems = load(REPO)
    return curriculum, problems


def test_bundled_curriculum_loads_without_problems(bundled):
    curriculum, problems = bundled
    assert [str(p) for p in problems] == []
    assert len(curriculum.units) == 5
    assert set(curriculum.programs["plkb-candidacy"].units) == set(curriculum.units)


def test_bundled_units_are_big_enough(bundled):
    """At least 5 lessons and 60 questions per unit, 300 questions in all."""
    curriculum, _ = bundled
    small = {
        code: (len(unit.lessons), len(unit.questions))
        for code, unit in curriculum.units.items()
        if len(unit.lessons) < 5 or len(unit.questions) < 60
    }
    assert small == {}
    assert sum(len(unit.questions) for unit in curriculum.units.values()) >= 300


def test_bundled_units_mix_question_types_and_difficulties(bundled):
    """Each unit uses three or more question types and all three difficulties."""
    curriculum, _ = bundled
    for code, unit in curriculum.units.items():
        types = {q.type for q in unit.questions}
        assert len(types) >= 3, f"{code} uses only {sorted(types)}"
        difficulties = {q.difficulty for q in unit.questions}
        assert difficulties == DIFFICULTY_LEVELS, f"{code} has only {sorted(difficulties)}"


def test_bundled_objectives_are_covered_by_lessons_and_questions(bundled):
    """Every objective is taught by a lesson and tested by a question."""
    curriculum, _ = bundled
    uncovered = []
    for unit in curriculum.units.values():
        taught = {o for lesson in unit.lessons for o in lesson.objectives}
        tested = {q.objective for q in unit.questions}
        for objective, _ in unit.objectives:
            if objective not in taught:
                uncovered.append(f"{objective}: no lesson")
            if objective not in tested:
                uncovered.append(f"{objective}: no question")
    assert uncovered == []


def test_bundled_questions_have_feedback_and_no_catch_all_options(bundled):
    """Non-empty feedback everywhere; no 'semua benar' / 'semua jawaban' options."""
    curriculum, _ = bundled
    questions = [q for unit in curriculum.units.values() for q in unit.questions]
    assert [q.key for q in questions if not q.feedback.strip()] == []
    catch_all = [
        f"{q.key}: {text}"
        for q in questions
        for _, text in q.data.get("options", [])
        if CATCH_ALL_OPTION.search(text)
    ]
    assert catch_all == []


def test_bundled_lessons_have_length_field_example_and_summary(bundled):
    """300-700 words each, a '## Di lapangan' example, ending with a '## Ringkasan' summary."""
    curriculum, _ = bundled
    wrong = []
    for unit in curriculum.units.values():
        for lesson in unit.lessons:
            words = len(re.findall(r"\w+", lesson.body))
            headings = re.findall(r"^## (.+)$", lesson.body, flags=re.MULTILINE)
            if not 300 <= words <= 700:
                wrong.append(f"{lesson.key}: {words} words")
            if "Di lapangan" not in headings or headings[-1] != "Ringkasan":
                wrong.append(f"{lesson.key}: headings {headings}")
    assert wrong == []


# -- purity ----------------------------------------------------------------------------------
def imported_modules(path: Path) -> set[str]:
    """Every module named by an import statement in `path`."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("module", PURE_CONTENT_MODULES)
def test_content_modules_import_neither_flask_nor_the_database(module):
    """The loader and its helpers stay pure: no Flask, no SQLAlchemy."""
    names = imported_modules(REPO / "lms" / "content" / module)
    assert names, module
    bad = {n for n in names if any(n == f or n.startswith(f + ".") for f in FORBIDDEN_IMPORTS)}
    assert bad == set()


def test_a_test_the_bank_cannot_fill_is_reported(valid_root):
    """A blueprint asking for more questions than the bank has is a problem at `test:`."""
    apply(valid_root, replace(UNIT_YAML, "questions: 5", "questions: 7"))
    _, problems = load(valid_root)
    assert [str(p) for p in problems] == [
        f"{UNIT_YAML}:12: uji mengambil 7 soal tetapi bank hanya punya 6"
    ]
