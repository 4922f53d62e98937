"""Bar charts as server-side SVG: no script, no library, nothing from a CDN.

Each chart draws its numbers on the bars, in dark ink on white, so it reads at a
glance on a screen and in black-and-white print; the stacked chart tells its
parts apart by fill pattern (solid, hatched, outlined), not by colour alone.
Every chart on a page has the table of the same numbers beside it: the chart is
``aria-hidden`` in spirit (``role="img"`` with a title that says so), the table
is what a screen reader reads."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

INK = "#1f2328"
BAR = "#8e1414"
MUTED = "#57606a"
FONT = 13
# The width of a CJK character at FONT size, to size the label column.
CHAR = 13.5
MAX_LABEL = 12


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | Decimal | float
    # A second line under a column's label (the year under "1月").
    sublabel: str = ""


def _number(value) -> str:
    if isinstance(value, Decimal | float) and value != int(value):
        return f"{value:.1f}"
    return f"{int(value)}"


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def _svg(chart_id: str, title: str, width: float, height: float, body: str):
    return mark_safe(
        f'<svg class="chart" id="{escape(chart_id)}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" '
        f'height="{height:.0f}" preserveAspectRatio="xMinYMin meet" '
        f'font-size="{FONT}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f"{body}</svg>"
    )


def column_chart(chart_id: str, title: str, bars: list[Bar]) -> SafeString:
    """Vertical columns, one per bar, left to right (months)."""
    step, top, plot, bottom = 44, 22, 150, 40
    width = max(320, 16 + step * len(bars))
    height = top + plot + bottom
    peak = max((b.value for b in bars), default=0) or 1
    parts = [
        f'<line x1="8" y1="{top + plot}" x2="{width - 8}" y2="{top + plot}" '
        f'stroke="{INK}" stroke-width="1"/>'
    ]
    for n, bar in enumerate(bars):
        x = 8 + n * step + 6
        h = plot * float(bar.value) / float(peak)
        y = top + plot - h
        if bar.value:
            parts.append(
                f'<rect x="{x}" y="{y:.1f}" width="{step - 12}" height="{h:.1f}" '
                f'fill="{BAR}"/>'
            )
        centre = x + (step - 12) / 2
        parts.append(
            f'<text x="{centre:.1f}" y="{y - 5:.1f}" text-anchor="middle" '
            f'fill="{INK}">{_number(bar.value)}</text>'
        )
        parts.append(
            f'<text x="{centre:.1f}" y="{top + plot + 17}" text-anchor="middle" '
            f'fill="{INK}">{escape(_short(bar.label))}</text>'
        )
        if bar.sublabel:
            parts.append(
                f'<text x="{centre:.1f}" y="{top + plot + 33}" text-anchor="middle" '
                f'fill="{MUTED}" font-size="11">{escape(bar.sublabel)}</text>'
            )
    return _svg(chart_id, title, width, height, "".join(parts))


def _label_width(labels) -> float:
    longest = max((len(_short(label)) for label in labels), default=2)
    return 12 + CHAR * longest


def bar_chart(chart_id: str, title: str, bars: list[Bar]) -> SafeString:
    """Horizontal bars, one row per bar, labels on the left (kinds, counties)."""
    width, row, room_for_value = 520, 26, 56
    left = _label_width(b.label for b in bars)
    span = width - left - room_for_value
    height = 8 + row * max(len(bars), 1)
    peak = max((b.value for b in bars), default=0) or 1
    parts = []
    for n, bar in enumerate(bars):
        y = 4 + n * row
        w = span * float(bar.value) / float(peak)
        parts.append(
            f'<text x="{left - 8:.1f}" y="{y + 17}" text-anchor="end" '
            f'fill="{INK}">{escape(_short(bar.label))}</text>'
        )
        if bar.value:
            parts.append(
                f'<rect x="{left:.1f}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" '
                f'fill="{BAR}"/>'
            )
        parts.append(
            f'<text x="{left + w + 6:.1f}" y="{y + 17}" fill="{INK}">'
            f"{_number(bar.value)}</text>"
        )
    parts.append(
        f'<line x1="{left:.1f}" y1="2" x2="{left:.1f}" y2="{height - 2}" '
        f'stroke="{INK}" stroke-width="1"/>'
    )
    return _svg(chart_id, title, width, height, "".join(parts))


@dataclass(frozen=True)
class Stack:
    label: str
    parts: tuple  # values, in the order of the chart's legend


# Fills of a stacked chart's parts: solid, hatched, outlined. Told apart in grey
# print as well as on a screen.
_FILLS = ("solid", "hatch", "outline")


def _fill(chart_id: str, kind: str) -> str:
    if kind == "solid":
        return f'fill="{BAR}"'
    if kind == "hatch":
        return f'fill="url(#{escape(chart_id)}-hatch)" stroke="{BAR}"'
    return f'fill="#fff" stroke="{INK}"'


def stacked_bar_chart(
    chart_id: str, title: str, legend: list[str], stacks: list[Stack]
) -> SafeString:
    """Horizontal bars split into parts (on time, late, missing), with a legend
    above; the total at the end of each bar."""
    width, row, room_for_value, head = 520, 26, 96, 28
    left = _label_width(s.label for s in stacks)
    span = width - left - room_for_value
    height = head + 8 + row * max(len(stacks), 1)
    peak = max((sum(s.parts) for s in stacks), default=0) or 1
    parts = [
        f'<defs><pattern id="{escape(chart_id)}-hatch" width="6" height="6" '
        f'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="#fff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{BAR}" stroke-width="3"/>'
        f"</pattern></defs>"
    ]
    x = left
    for name, kind in zip(legend, _FILLS, strict=False):
        parts.append(
            f'<rect x="{x:.1f}" y="6" width="14" height="14" {_fill(chart_id, kind)}/>'
        )
        parts.append(
            f'<text x="{x + 20:.1f}" y="18" fill="{INK}">{escape(name)}</text>'
        )
        x += 34 + CHAR * len(name)
    for n, stack in enumerate(stacks):
        y = head + 4 + n * row
        parts.append(
            f'<text x="{left - 8:.1f}" y="{y + 17}" text-anchor="end" '
            f'fill="{INK}">{escape(_short(stack.label))}</text>'
        )
        x = left
        for value, kind in zip(stack.parts, _FILLS, strict=False):
            w = span * float(value) / float(peak)
            if value:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" '
                    f'height="{row - 8}" {_fill(chart_id, kind)}/>'
                )
            x += w
        parts.append(
            f'<text x="{x + 6:.1f}" y="{y + 17}" fill="{INK}">'
            f"{'/'.join(_number(v) for v in stack.parts)}</text>"
        )
    return _svg(chart_id, title, width, height, "".join(parts))
