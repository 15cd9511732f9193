"""Horizontal bars with their labels on the left: a path's funnel, a rating distribution, dismissal reasons.

A row whose value is hidden (None: too few learners to show) keeps its place and says so, so the shape of a
funnel never hides a step.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from learning.charts.bars import _svg
from learning.charts.svg import number, tag

ROW_H, BAR_H, LABEL_W, VALUE_W, TOP = 26, 16, 260, 200, 6
LABEL_CHARS = 38


@dataclass(frozen=True)
class HBar:
    label: str
    value: int | None  # None: too few learners to show
    marked: bool = False  # drawn in the warning colour (the step that loses most learners)
    note: str = ""  # said after the value, such as "most learners stop here"


def hbar_chart(rows: Sequence[HBar], *, title: str, chart_id: str, width: int = 720) -> SafeString:
    """One bar per row, scaled to the largest shown value, each with its number (or "too few to show")."""
    height = TOP * 2 + ROW_H * max(len(rows), 1)
    top = max((row.value for row in rows if row.value is not None), default=0) or 1
    plot_w = width - LABEL_W - VALUE_W
    parts = []
    for i, row in enumerate(rows):
        y = TOP + i * ROW_H
        label = row.label if len(row.label) <= LABEL_CHARS else row.label[: LABEL_CHARS - 1].rstrip() + "…"
        parts.append(tag("text", escape(label), x=LABEL_W - 8, y=number(y + BAR_H - 3), class_="hbar-label"))
        if row.value is None:
            text = _("too few to show")
        else:
            bar_w = max(1.0, plot_w * row.value / top) if row.value else 0.0
            css = "hbar marked" if row.marked else "hbar"
            tooltip = tag("title", escape(f"{row.label}: {row.value}"))
            parts.append(tag("rect", tooltip, x=LABEL_W, y=y, width=number(bar_w), height=BAR_H, class_=css))
            text = str(row.value)
        if row.note:
            text = f"{text} · {row.note}"
        parts.append(
            tag("text", escape(text), x=number(LABEL_W + plot_w + 6), y=number(y + BAR_H - 3), class_="hbar-value")
        )
    description = "; ".join(
        f"{row.label}: {_('too few to show') if row.value is None else row.value}"
        + (f" ({row.note})" if row.note else "")
        for row in rows
    )
    return _svg(chart_id, title, description or _("No data yet."), width, height, "hbar-chart", "".join(parts))
