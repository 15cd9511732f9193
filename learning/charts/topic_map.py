"""The topic prerequisite graph drawn as layers: a topic sits one row below its deepest prerequisite."""

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from learning.charts.svg import number, tag
from learning.graph import depths

NODE_W, NODE_H, GAP_X, ROW_PITCH, MARGIN = 150, 42, 16, 84, 16
LINE_CHARS, LINE_HEIGHT = 18, 15  # about what fits in NODE_W at the stylesheet's 13px
SWEEPS = 4
STATE_LABELS = {
    "completed": "completed",
    "known": "known",
    "in_progress": "in progress",
    "ready": "ready to start",
    "locked": "locked: learn its prerequisites first",
}


@dataclass(frozen=True)
class MapNode:
    key: Hashable
    label: str
    url: str
    state: str | None = None  # a key of STATE_LABELS, or None when there is no learner


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


def layer_layout(keys: Sequence[Hashable], edges: Sequence[tuple[Hashable, Hashable]], labels: dict) -> list[list]:
    """Rows of keys, row r holding the topics whose longest prerequisite chain has length r, each row ordered to
    keep topics near their prerequisites and dependents (barycentre sweeps, ties broken by label)."""
    requires: dict[Hashable, set] = defaultdict(set)
    dependents: dict[Hashable, set] = defaultdict(set)
    for topic, prerequisite in edges:
        requires[topic].add(prerequisite)
        dependents[prerequisite].add(topic)
    depth = depths(keys, requires.items())
    rows: list[list] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for key in sorted(keys, key=lambda k: str(labels[k])):
        rows[depth[key]].append(key)
    for _ in range(SWEEPS):
        for r in range(1, len(rows)):
            _reorder(rows, r, requires)
        for r in range(len(rows) - 2, -1, -1):
            _reorder(rows, r, dependents)
    return rows


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
    rows = layer_layout(list(by_key), edges, {k: n.label for k, n in by_key.items()})
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
    text = "".join(
        tag("tspan", escape(line), x=number(x + NODE_W / 2), y=number(first + i * LINE_HEIGHT))
        for i, line in enumerate(lines)
    )
    box = tag("rect", x=number(x), y=number(y), width=NODE_W, height=NODE_H, rx=8)
    content = tag("title", escape(name)) + box + tag("text", text, aria_hidden="true")
    return tag("a", content, href=node.url, class_=f"tm-node tm-{node.state or 'none'}", aria_label=name)
