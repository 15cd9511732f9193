"""The SVG builders are pure functions: no database, milliseconds."""

import re

import pytest

from learning.charts import Bar, MapNode, Segment, bar_chart, layer_layout, nice_ceiling, stacked_bar, topic_map_svg
from learning.charts.topic_map import wrap_label


@pytest.mark.parametrize(("value", "expected"), [(0, 1), (1, 1), (3, 5), (7, 10), (12, 20), (180, 200), (501, 1000)])
def test_nice_ceiling_rounds_up_to_1_2_or_5_times_a_power_of_ten(value, expected):
    assert nice_ceiling(value) == expected


def _heights(svg: str) -> list[float]:
    return [float(h) for h in re.findall(r'<rect [^>]*height="([\d.]+)" class="bar"', svg)]


def test_bar_chart_draws_one_bar_per_value_in_proportion():
    svg = bar_chart([Bar("a", 1, "A: 1"), Bar("b", 2, "B: 2"), Bar("c", 0, "C: 0")], title="T", chart_id="c")
    heights = _heights(svg)
    assert len(heights) == 3
    assert heights[1] == pytest.approx(2 * heights[0])
    assert heights[2] == 0


def test_bar_chart_is_described_for_screen_readers():
    svg = bar_chart([Bar("3 Mar", 2, "Week of 3 March: 2 completions")], title="Completed", chart_id="done")
    assert 'role="img"' in svg
    assert 'aria-labelledby="done-title done-desc"' in svg
    assert '<title id="done-title">Completed</title>' in svg
    assert '<desc id="done-desc">Week of 3 March: 2 completions</desc>' in svg


def test_bar_chart_with_no_data_still_renders_an_axis():
    svg = bar_chart([], title="Nothing", chart_id="empty")
    assert "No data yet." in svg
    assert "<line" in svg


def test_bar_chart_labels_at_most_four_weeks_and_always_the_newest():
    bars = [Bar(f"w{i}", i, f"week {i}") for i in range(12)]
    labels = re.findall(r'class="x-label(?: last)?">([^<]+)<', bar_chart(bars, title="T", chart_id="c"))
    assert labels == ["w2", "w5", "w8", "w11"]


def test_chart_text_is_escaped():
    svg = bar_chart([Bar("<b>", 1, '"><script>alert(1)</script>')], title="<i>x</i>", chart_id="c")
    assert "<script>" not in svg
    assert "<b>" not in svg
    assert "<i>" not in svg
    assert "&lt;script&gt;" in svg


def test_stacked_bar_splits_the_width_by_share_and_skips_empty_segments():
    svg = stacked_bar(
        [Segment("Done", 1, "tm-completed"), Segment("None", 0, "tm-known"), Segment("Rest", 3, "tm-locked")],
        title="Coverage",
        chart_id="cov",
        width=400,
    )
    widths = dict(re.findall(r'width="([\d.]+)" height="32" class="(tm-\w+)"', svg))
    assert widths == {"100": "tm-completed", "300": "tm-locked"}
    assert "Done: 1 of 4; None: 0 of 4; Rest: 3 of 4" in svg


def test_long_topic_names_wrap_onto_two_lines_and_are_cut_beyond():
    assert wrap_label("Sequence models (RNNs and LSTMs)") == ["Sequence models", "(RNNs and LSTMs)"]
    assert wrap_label("Python") == ["Python"]
    assert wrap_label("Recommender systems") == ["Recommender", "systems"]
    assert wrap_label("Alpha beta gamma delta epsilon zeta eta theta") == ["Alpha beta gamma", "delta epsilon zet…"]


def test_layers_put_every_topic_below_all_its_prerequisites():
    edges = [("b", "a"), ("c", "b"), ("d", "a"), ("e", "c"), ("e", "d")]
    rows = layer_layout(list("abcde"), edges, {k: k for k in "abcde"})
    row_of = {key: r for r, row in enumerate(rows) for key in row}
    assert all(row_of[topic] > row_of[prerequisite] for topic, prerequisite in edges)
    assert rows[0] == ["a"]
    assert sorted(rows[1]) == ["b", "d"]


def test_layer_order_keeps_topics_under_their_prerequisites():
    # Alphabetically z would sit on the left, under b; the sweeps move it under its own prerequisite a.
    edges = [("y", "b"), ("z", "a")]
    rows = layer_layout(["a", "b", "y", "z"], edges, {k: k for k in "abyz"})
    assert rows[0].index("a") < rows[0].index("b")
    assert rows[1] == ["z", "y"]


def test_topic_map_links_each_node_and_names_its_state():
    nodes = [
        MapNode(1, "Basics", "/topics/basics/", "completed"),
        MapNode(2, "Nets & more", "/topics/nets/", "locked"),
        MapNode(3, "Loose", "/topics/loose/", None),
    ]
    svg = topic_map_svg(nodes, [(2, 1), (2, 99)], title="Map")
    assert svg.count("<a ") == 3
    assert 'class="tm-node tm-completed" aria-label="Basics: completed"' in svg
    assert 'aria-label="Nets &amp; more: locked: learn its prerequisites first"' in svg
    assert 'class="tm-node tm-none" aria-label="Loose"' in svg
    assert svg.count("marker-end") == 1, "edges to unknown topics are dropped"
    assert 'role="group" aria-label="Map"' in svg
