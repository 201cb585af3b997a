"""Markdown to safe HTML (pure): a maintained parser, then an allow-list sanitiser."""

from __future__ import annotations

import re
from collections.abc import Callable

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "b", "i", "ul", "ol", "li",
    "blockquote", "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "a", "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "loading", "width", "height"},
    "th": {"align"},
    "td": {"align"},
}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def render_markdown(text: str, image_url: Callable[[str], str] | None = None) -> str:
    """Sanitised HTML for `text`; local image names are mapped through `image_url`.

    Raw HTML in the Markdown is escaped by the parser and, as a second wall, anything outside
    the allow-list (scripts, event handlers, javascript: links, styles) is removed by nh3.
    """
    html = _markdown.render(text or "")
    if image_url is not None:
        html = _rewrite_images(html, image_url)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        set_tag_attribute_values={"img": {"loading": "lazy"}},
    )


def _rewrite_images(html: str, image_url: Callable[[str], str]) -> str:
    def replace(match: re.Match[str]) -> str:
        return f'<img src="{image_url(match.group(1))}"'

    return re.sub(r'<img src="([^"]+)"', replace, html)
