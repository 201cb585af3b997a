"""Score distribution as a small inline SVG drawn on the server (pure: standard library only).

No JavaScript chart library: the report must work on slow phones and print as it is seen.
The SVG has only a viewBox (no width/height), so it scales to the width of its container; the
page's CSS may cap it with max-width.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

BAR_COLOUR = "#0b6e4f"
#: An en dash, as typography wants between numbers (escaped: it looks like a hyphen in code).
EN_DASH = "\u2013"
#: Labels of the 10 bins of lms.reports.item_analysis.histogram; "90-100" includes 100 %.
BIN_LABELS = (*(f"{low}{EN_DASH}{low + 9}" for low in range(0, 90, 10)), f"90{EN_DASH}100")

# Drawing units of the viewBox (not pixels: the SVG scales).
_WIDTH = 400
_HEIGHT = 220
_LEFT = 28  # room for the rotated y-axis label
_RIGHT = 6
_TOP = 18  # room for the count above the tallest bar
_BOTTOM = 40  # room for the bin labels and the x-axis label
_SLOT = (_WIDTH - _LEFT - _RIGHT) / len(BIN_LABELS)
_BAR = _SLOT * 0.8
_PLOT_HEIGHT = _HEIGHT - _TOP - _BOTTOM
_BASE = _HEIGHT - _BOTTOM  # the x axis
#: The y and x axes as one path, down the left side and along the base.
_AXES = f'<path d="M{_LEFT} {_TOP}V{_BASE}H{_WIDTH - _RIGHT}" fill="none" stroke="currentColor"/>'


def histogram_svg(counts: Sequence[int], *, title: str, x_label: str, y_label: str) -> str:
    """An accessible SVG bar chart of 10 bin counts.

    role="img" with <title> as the accessible name and <desc> listing every bin, so a screen
    reader gets the numbers without the picture. Every text is escaped: titles can contain a
    test's name, which a trainer typed.
    """
    if len(counts) != len(BIN_LABELS):
        raise ValueError(f"expected {len(BIN_LABELS)} counts, got {len(counts)}")
    if any(count < 0 for count in counts):
        raise ValueError("counts cannot be negative")
    desc = "; ".join(f"{label}: {count}" for label, count in zip(BIN_LABELS, counts, strict=True))
    return "".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {_HEIGHT}" role="img"'
            ' font-family="sans-serif" font-size="10" text-anchor="middle" fill="currentColor">',
            f"<title>{_escape(title)}</title>",
            f"<desc>{_escape(desc)}</desc>",
            _AXES,
            *_bars(counts),
            _axis_labels(x_label, y_label),
            "</svg>",
        ]
    )


def _bars(counts: Sequence[int]) -> list[str]:
    """A bar per bin with its count above it and its label below the axis."""
    # max(..., 1): all-zero counts draw flat bars instead of dividing by zero.
    scale = _PLOT_HEIGHT / max(max(counts), 1)
    bars = []
    for index, (label, count) in enumerate(zip(BIN_LABELS, counts, strict=True)):
        x = _LEFT + index * _SLOT + (_SLOT - _BAR) / 2
        height = count * scale
        middle = x + _BAR / 2
        bars.append(
            f'<rect x="{_num(x)}" y="{_num(_BASE - height)}" width="{_num(_BAR)}"'
            f' height="{_num(height)}" fill="{BAR_COLOUR}"/>'
            f'<text x="{_num(middle)}" y="{_num(_BASE - height - 3)}">{count}</text>'
            f'<text x="{_num(middle)}" y="{_BASE + 12}">{label}</text>'
        )
    return bars


def _axis_labels(x_label: str, y_label: str) -> str:
    """The x-axis label centred under the plot, the y-axis label rotated along its left side."""
    return (
        f'<text x="{_num(_LEFT + (_WIDTH - _LEFT - _RIGHT) / 2)}" y="{_HEIGHT - 6}">'
        f"{_escape(x_label)}</text>"
        f'<text transform="translate(11 {_num(_TOP + _PLOT_HEIGHT / 2)}) rotate(-90)">'
        f"{_escape(y_label)}</text>"
    )


def _escape(text: str) -> str:
    # html.escape's entities (&amp; &lt; &gt; &quot; &#x27;) are all valid XML too.
    return html.escape(text, quote=True)


def _num(value: float) -> str:
    # One decimal is finer than any screen needs and keeps the SVG small.
    return f"{value:.1f}".removesuffix(".0")
