"""The text of a Moodle text field, as BinaKader holds it (pure: standard library only).

Moodle texts come as HTML, Markdown, plain text or Moodle's auto-format; BinaKader keeps
Markdown/plain text, so HTML is turned into text with its paragraphs and line breaks kept. A
text that shows an image or another file cannot come along: the exchange file does not hold it,
so the question is skipped.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from lms.authoring.exchange import S_MEDIA, SkipQuestion

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
