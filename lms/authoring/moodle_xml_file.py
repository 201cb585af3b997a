"""The bytes of a Moodle XML file read into an element tree, safely (pure: standard library only).

The file is read with expat directly rather than through ElementTree.parse so that each element
keeps its line number for the report, and so that a DOCTYPE or entity declaration (the vehicle
of "billion laughs" and external-entity attacks, never part of a Moodle export) is refused
outright. Only UTF-8 is accepted: Moodle writes nothing else.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any
from xml.parsers import expat

from lms.authoring.exchange import E_DOCTYPE, E_ENCODING, E_NOT_UTF8, E_XML, FileProblem

_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")

#: The line each element starts on.
Lines = dict[ET.Element, int]


class _Refused(Exception):
    pass


def read_xml(data: bytes) -> tuple[ET.Element, Lines]:
    """The root element of the file and the line of each element; FileProblem if it is bad."""
    declared = _DECLARED_ENCODING.match(data.removeprefix(b"\xef\xbb\xbf")[:200])
    if declared and declared.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8"):
        raise FileProblem(1, E_ENCODING, encoding=declared.group(1).decode("ascii"))
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FileProblem(data[: error.start].count(b"\n") + 1, E_NOT_UTF8) from error

    builder = ET.TreeBuilder()
    lines: Lines = {}
    parser = expat.ParserCreate()

    def start(tag: str, attributes: dict[str, str]) -> None:
        lines[builder.start(tag, attributes)] = parser.CurrentLineNumber

    def refuse(*_args: Any) -> None:
        raise _Refused

    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(data, True)
    except _Refused as error:
        raise FileProblem(parser.CurrentLineNumber, E_DOCTYPE) from error
    except expat.ExpatError as error:
        detail = expat.ErrorString(error.code) or str(error)
        raise FileProblem(error.lineno, E_XML, detail=detail) from error
    return builder.close(), lines
