"""Bar charts for the progress page: values over time, and one stacked bar of shares."""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from learning.charts.svg import number, tag

MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 34, 6, 20, 26
MAX_X_LABELS = 4  # more would overlap on a phone, where the chart is drawn at about 0.8 scale


@dataclass(frozen=True)
class Bar:
    label: str  # short axis label, such as "3 Mar"
    value: float
    description: str  # what a screen reader announces, such as "Week of 3 March: 2 completions"


@dataclass(frozen=True)
class Segment:
    label: str
    value: int
    css_class: str


def nice_ceiling(value: float) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50... at least `value` (1 for nothing), so axis ticks are round numbers."""
    if value <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return int(step * magnitude)
    return int(10 * magnitude)


def bar_chart(bars: Sequence[Bar], *, title: str, chart_id: str, width: int = 400, height: int = 200) -> SafeString:
    """A bar chart with a labelled axis; its title and a description listing every value make it readable
    without sight (role="img")."""
    top = nice_ceiling(max((bar.value for bar in bars), default=0))
    plot_w, plot_h = width - MARGIN_LEFT - MARGIN_RIGHT, height - MARGIN_TOP - MARGIN_BOTTOM
    parts = [_grid(top, plot_w, plot_h)]
    slot = plot_w / max(len(bars), 1)
    every = math.ceil(len(bars) / MAX_X_LABELS) if bars else 1
    for i, bar in enumerate(bars):
        bar_h = plot_h * bar.value / top
        x, y = MARGIN_LEFT + i * slot + slot * 0.15, MARGIN_TOP + plot_h - bar_h
        rect = tag("title", escape(bar.description))
        parts.append(
            tag("rect", rect, x=number(x), y=number(y), width=number(slot * 0.7), height=number(bar_h), class_="bar")
        )
        centre = number(x + slot * 0.35)
        if bar.value:
            parts.append(tag("text", escape(_short(bar.value)), x=centre, y=number(y - 4), class_="value"))
        if i == len(bars) - 1:  # the newest bar is always labelled, flush right so a long label is not cut
            parts.append(
                tag(
                    "text",
                    escape(bar.label),
                    x=number(width - MARGIN_RIGHT),
                    y=number(height - 8),
                    class_="x-label last",
                )
            )
        elif (len(bars) - 1 - i) % every == 0:
            parts.append(tag("text", escape(bar.label), x=centre, y=number(height - 8), class_="x-label"))
    description = "; ".join(bar.description for bar in bars) or _("No data yet.")
    return _svg(chart_id, title, description, width, height, "bar-chart", "".join(parts))


def _grid(top: int, plot_w: float, plot_h: float) -> str:
    lines = []
    for tick in sorted({0, top // 2 if top >= 2 else 0, top}):
        y = MARGIN_TOP + plot_h - plot_h * tick / top
        lines.append(tag("line", x1=MARGIN_LEFT, x2=number(MARGIN_LEFT + plot_w), y1=number(y), y2=number(y)))
        lines.append(tag("text", str(tick), x=MARGIN_LEFT - 6, y=number(y + 4), class_="y-label"))
    return tag("g", "".join(lines), class_="grid", aria_hidden="true")


def _short(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def stacked_bar(segments: Sequence[Segment], *, title: str, chart_id: str, width: int = 640) -> SafeString:
    """One horizontal bar split into shares (each segment styled by its CSS class), described in words."""
    height, total = 40, sum(segment.value for segment in segments)
    parts, x = [tag("rect", x=0, y=4, width=width, height=32, rx=6, class_="track")], 0.0
    for segment in segments:
        if not segment.value:
            continue
        w = width * segment.value / total
        label = _share(segment, total)
        tooltip = tag("title", escape(label))
        parts.append(tag("rect", tooltip, x=number(x), y=4, width=number(w), height=32, class_=segment.css_class))
        x += w
    description = "; ".join(_share(s, total) for s in segments) if total else _("No data yet.")
    return _svg(chart_id, title, description, width, height, "stacked-bar", "".join(parts))


def _share(segment: Segment, total: int) -> str:
    return _("%(label)s: %(value)s of %(total)s") % {"label": segment.label, "value": segment.value, "total": total}


def _svg(chart_id: str, title: str, description: str, width: int, height: int, kind: str, body: str) -> SafeString:
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    head = tag("title", escape(title), id=title_id) + tag("desc", escape(description), id=desc_id)
    svg = tag(
        "svg",
        head + body,
        id=chart_id,
        class_=f"chart {kind}",
        viewBox=f"0 0 {width} {height}",
        role="img",
        aria_labelledby=f"{title_id} {desc_id}",
        xmlns="http://www.w3.org/2000/svg",
    )
    return mark_safe(svg)  # noqa: S308  every text and attribute value above is escaped
