"""The topic prerequisite graph drawn as layers: a topic sits one row below its deepest prerequisite."""

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrPromise

from learning.charts.svg import number, tag
from learning.graph import depths
from learning.models.choices import TopicState

NODE_W, NODE_H, GAP_X, ROW_PITCH, MARGIN = 150, 42, 16, 84, 16
LINE_CHARS, LINE_HEIGHT = 18, 15  # about what fits in NODE_W at the stylesheet's 14px
SWEEPS = 4
SWAP_PASSES = 4
MAX_ROW = 6  # topics a row: six boxes keep the labels near their CSS size when the map fits a 1280 px page
# How the map's tooltips and legend describe each state (in a sentence, so lower case and more explicit).
STATE_LABELS: dict[str, StrPromise] = {
    TopicState.COMPLETED: gettext_lazy("completed"),
    TopicState.KNOWN: gettext_lazy("known"),
    TopicState.IN_PROGRESS: gettext_lazy("in progress"),
    TopicState.READY: gettext_lazy("ready to start"),
    TopicState.LOCKED: gettext_lazy("locked: learn its prerequisites first"),
}


@dataclass(frozen=True)
class MapNode:
    key: Hashable
    label: str
    url: str
    state: str | None = None  # a TopicState, or None when there is no learner


def wrap_label(label: str, width: int = LINE_CHARS, lines: int = 2) -> list[str]:
    """Words greedily packed into at most `lines` lines of about `width` characters, the last cut with an ellipsis."""
    result: list[str] = []
    for word in label.split():
        if result and len(result[-1]) + 1 + len(word) <= width:
            result[-1] += " " + word
        else:
            result.append(word)
    if len(result) > lines:
        result = [*result[: lines - 1], " ".join(result[lines - 1 :])]
    return [line if len(line) <= width else line[: width - 1].rstrip() + "…" for line in result]


def layer_layout(
    keys: Sequence[Hashable], edges: Sequence[tuple[Hashable, Hashable]], labels: dict, *, max_row: int = MAX_ROW
) -> list[list]:
    """Rows of keys, every topic below all its prerequisites and at most `max_row` topics a row, each row ordered
    to keep topics near their prerequisites and dependents (barycentre sweeps, ties broken by label).

    Longest-path layering alone puts a dozen topics in one row, which shrinks every label when the map is scaled
    to the page; so rows are filled like a list schedule: a row takes the ready topics (all prerequisites placed
    above) with the longest chain of dependents first, and the rest wait for the next row.
    """
    requires: dict[Hashable, set] = defaultdict(set)
    dependents: dict[Hashable, set] = defaultdict(set)
    for topic, prerequisite in edges:
        requires[topic].add(prerequisite)
        dependents[prerequisite].add(topic)
    height = depths(keys, dependents.items())  # the longest chain of topics that build on each one
    row_of: dict[Hashable, int] = {}
    remaining = set(keys)
    rows: list[list] = []
    while remaining:
        here = len(rows)
        ready = [key for key in remaining if all(row_of.get(p, here) < here for p in requires[key])]
        ready.sort(key=lambda key: (-height[key], str(labels[key])))
        row = ready[:max_row] or sorted(remaining, key=lambda key: str(labels[key]))  # no ready one: a cycle
        rows.append(sorted(row, key=lambda key: str(labels[key])))
        row_of.update(dict.fromkeys(row, here))
        remaining.difference_update(row)
    for _ in range(SWEEPS):
        for r in range(1, len(rows)):
            _reorder(rows, r, requires)
        for r in range(len(rows) - 2, -1, -1):
            _reorder(rows, r, dependents)
    _swap_neighbours(rows, edges)
    return rows


def _swap_neighbours(rows: list[list], edges: Sequence[tuple[Hashable, Hashable]]) -> None:
    """Swap two neighbours in a row wherever that removes crossings the barycentres left (a few passes)."""
    best = crossings(rows, edges)
    for _ in range(SWAP_PASSES):
        improved = False
        for row in rows:
            for i in range(len(row) - 1):
                row[i], row[i + 1] = row[i + 1], row[i]
                count = crossings(rows, edges)
                if count < best:
                    best, improved = count, True
                else:
                    row[i], row[i + 1] = row[i + 1], row[i]
        if not improved:
            return


def map_rows(nodes: Sequence[MapNode], edges: Sequence[tuple[Hashable, Hashable]]) -> list[list]:
    """The layout's rows of node keys; the drawn map and the list view of the same graph share it."""
    keys = tuple(node.key for node in nodes)
    present = set(keys)
    kept = tuple(sorted(((t, p) for t, p in edges if t in present and p in present), key=str))
    return [list(row) for row in _cached_layout(keys, kept, tuple(node.label for node in nodes))]


@lru_cache(maxsize=16)
def _cached_layout(keys: tuple, edges: tuple, labels: tuple) -> tuple[tuple, ...]:
    # The swaps cost a few hundred milliseconds; the graph changes only when curators edit it.
    return tuple(tuple(row) for row in layer_layout(keys, edges, dict(zip(keys, labels, strict=True))))


def crossings(rows: list[list], edges: Sequence[tuple[Hashable, Hashable]]) -> int:
    """How many pairs of arrows cross when each is drawn straight from its prerequisite to its topic: the
    measure the layout tries to keep low."""
    centre = _centres(rows)
    depth = {key: r for r, row in enumerate(rows) for key in row}
    segments = [((centre[p], depth[p]), (centre[t], depth[t])) for t, p in edges if t in centre and p in centre]
    count = 0
    for i, first in enumerate(segments):
        for second in segments[i + 1 :]:
            if _cross(first, second):
                count += 1
    return count


def _cross(first: tuple, second: tuple) -> bool:
    (a, b), (c, d) = first, second
    if len({a, b, c, d}) < 4:  # arrows sharing an end meet there; that is not a crossing
        return False

    def side(p: tuple, q: tuple, r: tuple) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    return side(a, b, c) * side(a, b, d) < 0 and side(c, d, a) * side(c, d, b) < 0


def _centres(rows: list[list]) -> dict:
    widest = max((len(row) for row in rows), default=0)
    centre = {}
    for row in rows:
        offset = (widest - len(row)) / 2
        for i, key in enumerate(row):
            centre[key] = offset + i
    return centre


def _reorder(rows: list[list], r: int, neighbours: dict) -> None:
    centre = _centres(rows)

    def barycentre(key) -> float:
        placed = [centre[n] for n in neighbours.get(key, ()) if n in centre]
        return sum(placed) / len(placed) if placed else centre[key]

    rows[r].sort(key=lambda key: (barycentre(key), centre[key]))


def topic_map_svg(nodes: Sequence[MapNode], edges: Sequence[tuple[Hashable, Hashable]], *, title: str) -> SafeString:
    """The map as SVG: nodes link to their topic pages and carry their state as a CSS class and in their accessible
    name; arrows run from a prerequisite to the topic that requires it."""
    by_key = {node.key: node for node in nodes}
    edges = [(t, p) for t, p in edges if t in by_key and p in by_key]
    rows = map_rows(nodes, edges)
    widest = max((len(row) for row in rows), default=0)
    width = 2 * MARGIN + widest * NODE_W + max(widest - 1, 0) * GAP_X
    height = 2 * MARGIN + max(len(rows) - 1, 0) * ROW_PITCH + NODE_H
    place = {}
    for r, row in enumerate(rows):
        left = (width - len(row) * NODE_W - (len(row) - 1) * GAP_X) / 2
        for i, key in enumerate(row):
            place[key] = (left + i * (NODE_W + GAP_X), MARGIN + r * ROW_PITCH)
    arrows = "".join(_edge(place[prerequisite], place[topic]) for topic, prerequisite in edges)
    body = (
        tag("title", escape(title))
        + _arrow_marker()
        + tag("g", arrows, class_="tm-edges", aria_hidden="true")
        + tag("g", "".join(_node(by_key[key], *place[key]) for row in rows for key in row), class_="tm-nodes")
    )
    svg = tag(
        "svg",
        body,
        class_="topic-map-svg",
        viewBox=f"0 0 {width} {height}",
        role="group",
        aria_label=title,
        xmlns="http://www.w3.org/2000/svg",
    )
    return mark_safe(svg)  # noqa: S308  every text and attribute value above is escaped


def _arrow_marker() -> str:
    path = tag("path", d="M0,0 L8,4 L0,8 z", class_="tm-arrow")
    marker = tag(
        "marker", path, id="tm-arrow", viewBox="0 0 8 8", refX=8, refY=4, markerWidth=7, markerHeight=7, orient="auto"
    )
    return tag("defs", marker)


def _edge(start: tuple[float, float], end: tuple[float, float]) -> str:
    x1, y1 = start[0] + NODE_W / 2, start[1] + NODE_H
    x2, y2 = end[0] + NODE_W / 2, end[1]
    bend = (y2 - y1) / 2
    points = [(x1, y1), (x1, y1 + bend), (x2, y2 - bend), (x2, y2)]
    p0, c1, c2, p1 = (f"{number(x)},{number(y)}" for x, y in points)
    d = f"M{p0} C{c1} {c2} {p1}"
    return tag("path", d=d, marker_end="url(#tm-arrow)")


def _node(node: MapNode, x: float, y: float) -> str:
    state = STATE_LABELS.get(node.state or "")
    name = f"{node.label}: {state}" if state else node.label
    lines = wrap_label(node.label)
    first = y + NODE_H / 2 - (len(lines) - 1) * LINE_HEIGHT / 2 + 4
    # A space between the lines: text tools that read the SVG's text run the lines together without it.
    text = " ".join(
        tag("tspan", escape(line), x=number(x + NODE_W / 2), y=number(first + i * LINE_HEIGHT))
        for i, line in enumerate(lines)
    )
    box = tag("rect", x=number(x), y=number(y), width=NODE_W, height=NODE_H, rx=8)
    content = tag("title", escape(name)) + box + tag("text", text, aria_hidden="true")
    return tag("a", content, href=node.url, class_=f"tm-node tm-{node.state or 'none'}", aria_label=name)
