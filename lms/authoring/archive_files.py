"""A unit and its question bank written as files in the repository's format, zipped (export).

The zip unpacks into `modules/<code>/...` and `question_banks/<code>/...`; reading it back with
the content loader gives the same fingerprints as the database holds (tests/authoring).
"""

from __future__ import annotations

import io
import json
import posixpath
import re
import stat
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml

from lms.assessment.blueprint import Blueprint
from lms.content.loader import IMAGE_REFERENCE
from lms.content.models import ContentImage, Lesson, LessonVersion, QuestionVersion, Unit
from lms.content.queries import current_questions
from lms.extensions import db

YAML_WIDTH = 100
ONE_LINE = 10**6  # as a YAML width: plain values are never wrapped
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the same content always makes the same zip


# -- writing -------------------------------------------------------------------------------
class _Dumper(yaml.SafeDumper):
    """Written as the bundled files are: block lists indented under their key, long plain
    values on one line, a long summary folded at YAML_WIDTH columns."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)

    def write_folded(self, text: str) -> None:
        if re.search(r"[\n\t\x85\u2028\u2029]|  ", text) or text != text.strip():
            return super().write_folded(text)
        # One line of single-spaced words: fill each line up to the width, like an editor.
        self.write_indicator(">" + self.determine_block_hints(text), True)
        self.write_line_break()
        self.write_indent()
        for number, word in enumerate(text.split(" ")):
            if number and self.column + 1 + len(word) > YAML_WIDTH:
                self.write_indent()
            self._write_text(f" {word}" if number and self.column > self.indent else word)
        self.write_line_break()
        return None

    def _write_text(self, data: str) -> None:
        self.column += len(data)
        self.stream.write(data.encode(self.encoding) if self.encoding else data)


class _Literal(str):
    """Text written as a `|` block (when YAML can keep it exactly)."""


class _Folded(str):
    """One long line written as a `>` block (when YAML can keep it exactly)."""


class _Quoted(str):
    """Text kept on one line, line breaks escaped (front matter must not grow a `---` line)."""


class _Flow(list):
    """A short list written on one line: [a, c]."""


_Dumper.add_representer(
    _Literal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", str(v), style="|")
)
_Dumper.add_representer(
    _Folded, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", str(v), style=">")
)
_Dumper.add_representer(
    _Quoted, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", str(v), style='"')
)
_Dumper.add_representer(
    _Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True)
)


def _same(value: Any) -> str:
    """What the fingerprints see of a value: order, int/float and bool/int all count."""
    return json.dumps(value, ensure_ascii=False)


def _yaml_text(data: Any, *, spaced: bool = False) -> str:
    """YAML that reads back as exactly `data`; the plain safe_dump form if a style would not."""
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=ONE_LINE)
    # A blank line between the questions of a bank, as in the bundled files.
    first = text.find("\n  - ") + 1
    spaced_text = text[:first] + re.sub(r"\n(?=  - )", "\n\n", text[first:])
    candidates = [spaced_text, text] if spaced else [text]
    for candidate in candidates:
        if _same(yaml.safe_load(candidate)) == _same(data):
            return candidate
    plain = json.loads(_same(data))
    return yaml.safe_dump(plain, allow_unicode=True, sort_keys=False, width=ONE_LINE)


def _folded(text: str) -> str:
    return _Folded(text) if "\n" not in text and len(text) > YAML_WIDTH - 10 else text


def unit_yaml(unit: Unit) -> str:
    """unit.yaml as the loader reads it back into the unit's stored metadata."""
    data = {
        "code": unit.code,
        "title": unit.title,
        "summary": _folded(unit.summary),
        "order": unit.position,
        "estimated_minutes": unit.estimated_minutes,
        "objectives": [{"id": key, "text": text} for key, text in unit.objectives],
        "test": _test_settings({**Blueprint().to_json(), **(unit.test_blueprint or {})}),
    }
    return _yaml_text(data)


def _test_settings(blueprint: dict[str, Any]) -> dict[str, Any]:
    """The `test:` block that parse_blueprint reads back into `blueprint` (its to_json)."""
    rules = blueprint["draw"]
    test: dict[str, Any] = {}
    if len(rules) == 1 and rules[0].get("topic") is None and rules[0].get("difficulty") is None:
        test["questions"] = rules[0]["count"]
    else:
        test["draw"] = [
            {
                key: rule[key]
                for key in ("count", "topic", "difficulty")
                if rule.get(key) is not None
            }
            for rule in rules
        ]
    attempts = blueprint["attempts_allowed"]
    test.update(
        time_limit_minutes=blueprint["time_limit_minutes"],
        pass_mark=blueprint["pass_mark"],
        attempts="unlimited" if attempts is None else attempts,
        wait_hours=blueprint["wait_hours"],
        shuffle_questions=blueprint["shuffle_questions"],
        shuffle_options=blueprint["shuffle_options"],
        review={"failed": blueprint["review_after_fail"], "passed": blueprint["review_after_pass"]},
        unlock=blueprint["unlock"],
    )
    if blueprint["questions_per_page"] != Blueprint.questions_per_page:
        test["questions_per_page"] = blueprint["questions_per_page"]
    return test


def lesson_text(version: LessonVersion, key: str, body: str) -> str:
    """A lesson file: front matter between `---` lines, then the Markdown."""
    title = _Quoted(version.title) if "\n" in version.title else version.title
    meta = {"id": key, "title": title, "order": version.position,
            "objectives": _Flow(version.objectives)}  # fmt: skip
    # One line per key (ONE_LINE): a wrapped value could put a `---` line in the front matter.
    front = _yaml_text(meta)
    # The loader keeps the body stripped, with one final line break.
    body = body.rstrip("\n")
    return f"---\n{front}---\n{body}\n"


def question_item(key: str, version: QuestionVersion) -> dict[str, Any]:
    """One question of a bank file, fields in the bundled order."""
    item: dict[str, Any] = {"id": key, "type": version.type, "difficulty": version.difficulty,
                            "topic": version.topic, "objective": version.objective,
                            "stem": _Literal(version.stem_markdown)}  # fmt: skip
    data = version.data
    if version.type in ("single", "multiple"):
        item["options"] = {str(k): text for k, text in data["options"]}
        item["answer"] = _Flow(data["answer"]) if version.type == "multiple" else data["answer"]
        if data.get("scoring", "all-or-nothing") != "all-or-nothing":
            item["scoring"] = data["scoring"]
    elif version.type == "short":
        item["answer"] = _Flow(data["answer"])
    elif version.type == "numeric":
        item["answer"] = data["answer"]
        tolerance = data.get("tolerance", 0)
        if not (tolerance == 0 and type(tolerance) is int):  # 0.0 must stay a float
            item["tolerance"] = tolerance
        if data.get("unit"):
            item["unit"] = data["unit"]
    elif version.type == "matching":
        item["pairs"] = [{"left": left, "right": right} for left, right in data["pairs"]]
    else:
        item.update(data)
    item["feedback"] = _Literal(version.feedback_markdown)
    return item


# -- file names ----------------------------------------------------------------------------
@dataclass
class FileNames:
    """Names the repository already gives a unit's files, so that an export unzipped over it
    replaces them: lesson key -> lesson file name, question key -> bank file name."""

    lessons: dict[str, str] = field(default_factory=dict)
    questions: dict[str, str] = field(default_factory=dict)


def bundled_file_names(root: Path, code: str) -> FileNames:
    """The file names of unit `code` under `root` (the repository); empty when it has none.

    The bundled names follow no rule that the database could rebuild (lesson files are
    `NN-<words>.md`, bank files are named by the author), so they are read from the files."""
    names = FileNames()
    for path in sorted((root / "modules" / code / "lessons").glob("*.md")):
        match = re.search(r"\A---\s*\n(?:.*\n)*?id:\s*['\"]?([a-z0-9-]+)", read_text(path))
        if match:
            names.lessons.setdefault(match.group(1), path.name)
    for path in sorted((root / "question_banks" / code).glob("*.yaml")):
        for key in re.findall(r"(?m)^\s*-?\s*id:\s*['\"]?([a-z0-9-]+)", read_text(path)):
            names.questions.setdefault(key, path.name)
    return names


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "soal"


def _unique(name: str, taken: set[str]) -> str:
    stem, dot, suffix = name.rpartition(".")
    number = 1
    while name in taken:
        number += 1
        name = f"{stem}-{number}{dot}{suffix}"
    taken.add(name)
    return name


def _lesson_file(code: str, key: str, order: int, names: FileNames, taken: set[str]) -> str:
    name = names.lessons.get(key) or f"{order:02d}-{key.removeprefix(code + '-') or key}.md"
    return _unique(name, taken)


def _bank_files(questions: list[tuple[str, QuestionVersion]], names: FileNames) -> dict[str, str]:
    """question key -> bank file: where the repository has it, else its topic's file."""
    homes: dict[str, Counter[str]] = {}
    for key, version in questions:
        if key in names.questions:
            homes.setdefault(version.topic, Counter())[names.questions[key]] += 1
    return {
        key: names.questions.get(key)
        or (homes[version.topic].most_common(1)[0][0] if version.topic in homes else None)
        or f"{_slug(version.topic)}.yaml"
        for key, version in questions
    }


# -- building the zip ----------------------------------------------------------------------
def build_unit_archive(unit: Unit, *, names: FileNames | None = None) -> bytes:
    """The unit's current, non-retired lessons (with their images) and questions as a zip of
    `modules/<code>/...` and `question_banks/<code>/<topic>.yaml`."""
    names = names or FileNames()
    files: dict[str, bytes] = {f"modules/{unit.code}/unit.yaml": unit_yaml(unit).encode()}
    files.update(_lesson_files(unit, names))
    questions = current_questions(unit)
    banks: dict[str, list[dict[str, Any]]] = {}
    homes = _bank_files([(key, version) for key, version in questions], names)
    for key, version in questions:
        banks.setdefault(homes[key], []).append(question_item(key, version))
    for name, items in sorted(banks.items()):
        text = _yaml_text({"questions": items}, spaced=True)
        files[f"question_banks/{unit.code}/{name}"] = text.encode()
    return _zip(files)


def _lesson_files(unit: Unit, names: FileNames) -> dict[str, bytes]:
    lessons = db.session.execute(
        sa.select(Lesson.key, LessonVersion)
        .join(LessonVersion, LessonVersion.id == Lesson.current_version_id)
        .where(Lesson.unit_id == unit.id, Lesson.is_retired.is_(False))
        .order_by(LessonVersion.position, Lesson.key)
    ).all()
    digests = {digest for _key, version in lessons for digest in (version.images or {}).values()}
    images = dict(
        db.session.execute(
            sa.select(ContentImage.sha256, ContentImage.data).where(
                ContentImage.sha256.in_(digests)
            )
        ).all()
    )
    folder = f"modules/{unit.code}/lessons"
    files: dict[str, bytes] = {}
    taken: set[str] = set()
    for key, version in lessons:
        body = version.body_markdown
        for name, digest in sorted((version.images or {}).items()):
            path = posixpath.normpath(posixpath.join(folder, name))
            if not path.startswith(folder + "/") or digest not in images:
                continue  # never written outside the folder; the loader will name what is missing
            if path in files and files[path] != images[digest]:
                # Another lesson's image of the same name: this lesson's copy gets its own name.
                renamed = _unique(f"{key}-{posixpath.basename(name)}", taken)
                body, path = _rename_image(body, name, renamed), f"{folder}/{renamed}"
            taken.add(path.removeprefix(folder + "/"))
            files[path] = images[digest]
        file_name = _lesson_file(unit.code, key, version.position, names, taken)
        files[f"{folder}/{file_name}"] = lesson_text(version, key, body).encode()
    return files


def _rename_image(body: str, old: str, new: str) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.group(1) != old:
            return match.group(0)
        start, end = match.span(1)
        return match.group(0)[: start - match.start()] + new + match.group(0)[end - match.start() :]

    return IMAGE_REFERENCE.sub(replace, body)


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            archive.writestr(info, data)
    return buffer.getvalue()
