"""Server-rendered SVG: progress charts and the topic map. Pure functions from plain data to markup, so pages need
no JavaScript and the builders are unit-tested without a database."""

from learning.charts.bars import Bar, Segment, bar_chart, nice_ceiling, stacked_bar
from learning.charts.topic_map import MapNode, layer_layout, topic_map_svg, wrap_label

__all__ = [
    "Bar",
    "MapNode",
    "Segment",
    "bar_chart",
    "layer_layout",
    "nice_ceiling",
    "stacked_bar",
    "topic_map_svg",
    "wrap_label",
]
