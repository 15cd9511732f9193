"""The topic graph helpers are pure: edges are (topic, prerequisite) pairs and nothing touches the database."""

import pytest

from learning.graph import closure, depths, describe_cycle, find_cycle, topological_order

DIAMOND = [("deep-learning", "calculus"), ("deep-learning", "linear-algebra"), ("calculus", "algebra")]
DIAMOND += [("linear-algebra", "algebra")]


def assert_is_cycle_of(cycle, edges):
    assert cycle[0] == cycle[-1]
    assert len(cycle) >= 2
    for topic, prerequisite in zip(cycle, cycle[1:], strict=False):
        assert (topic, prerequisite) in edges


def test_find_cycle_returns_none_for_an_empty_graph():
    assert find_cycle([]) is None


def test_find_cycle_returns_none_for_a_dag_with_shared_prerequisites():
    assert find_cycle(DIAMOND) is None


def test_find_cycle_handles_a_very_deep_chain_without_recursion():
    edges = [(f"t{n}", f"t{n + 1}") for n in range(5000)]

    assert find_cycle(edges) is None


def test_find_cycle_reports_a_two_topic_cycle_closed_on_itself():
    edges = [("a", "b"), ("b", "a")]

    cycle = find_cycle(edges)

    assert_is_cycle_of(cycle, edges)
    assert set(cycle) == {"a", "b"}


def test_find_cycle_reports_a_self_loop():
    assert find_cycle([("a", "a")]) == ["a", "a"]


def test_find_cycle_reports_every_topic_of_a_long_cycle():
    edges = [(f"t{n}", f"t{(n + 1) % 500}") for n in range(500)]

    cycle = find_cycle(edges)

    assert_is_cycle_of(cycle, edges)
    assert len(cycle) == 501
    assert set(cycle) == {f"t{n}" for n in range(500)}


def test_find_cycle_leaves_out_topics_that_only_lead_into_the_cycle():
    edges = [("entry", "x"), ("x", "y"), ("y", "z"), ("z", "x")]

    cycle = find_cycle(edges)

    assert_is_cycle_of(cycle, edges)
    assert set(cycle) == {"x", "y", "z"}


def test_find_cycle_finds_a_cycle_beside_an_acyclic_part():
    edges = [*DIAMOND, ("p", "q"), ("q", "r"), ("r", "p")]

    assert set(find_cycle(edges)) == {"p", "q", "r"}


def test_find_cycle_works_with_integer_keys():
    edges = [(1, 2), (2, 3), (3, 1)]

    assert_is_cycle_of(find_cycle(edges), edges)


def test_find_cycle_returns_the_cycle_a_new_edge_closes():
    cycle = find_cycle([*DIAMOND, ("algebra", "deep-learning")])

    assert cycle[0] == cycle[-1]
    assert {"algebra", "deep-learning"} <= set(cycle)


def test_find_cycle_returns_none_after_a_safe_new_edge():
    assert find_cycle([*DIAMOND, ("deep-learning", "algebra")]) is None


def test_find_cycle_reports_a_self_edge():
    assert find_cycle([*DIAMOND, ("calculus", "calculus")]) == ["calculus", "calculus"]


def test_describe_cycle_reads_as_a_chain_of_requirements():
    assert describe_cycle(["a", "b", "a"]) == "a requires b requires a"


def test_topological_order_puts_every_prerequisite_before_its_topic():
    nodes = ["deep-learning", "linear-algebra", "calculus", "algebra"]

    order = topological_order(nodes, DIAMOND)

    assert sorted(order) == sorted(nodes)
    for topic, prerequisite in DIAMOND:
        assert order.index(prerequisite) < order.index(topic)


def test_topological_order_breaks_ties_by_name_and_keeps_isolated_topics():
    order = topological_order(["zeta", "beta", "alpha", "omega"], [("alpha", "omega")])

    assert order == ["beta", "omega", "zeta", "alpha"]


def test_topological_order_raises_on_a_cycle():
    with pytest.raises(ValueError, match="cycle"):
        topological_order(["a", "b"], [("a", "b"), ("b", "a")])


def test_depths_are_zero_for_topics_without_prerequisites():
    assert depths(["a", "b"], []) == {"a": 0, "b": 0}


def test_depths_count_the_longest_prerequisite_chain():
    requirements = [("a", ["b", "c"]), ("b", ["d"]), ("d", ["e"]), ("c", ["e"])]

    result = depths(["a", "b", "c", "d", "e"], requirements)

    assert result == {"a": 3, "b": 2, "c": 1, "d": 1, "e": 0}


def test_depths_handle_a_very_deep_chain_without_recursion():
    requirements = [(n, [n + 1]) for n in range(5000)]

    assert depths([0], requirements)[0] == 5000


@pytest.mark.parametrize(
    "requirements",
    [
        [("a", ["a"])],
        [("a", ["b"]), ("b", ["a"])],
        [("a", ["b"]), ("b", ["c"]), ("c", ["a"])],
        [("start", ["a"]), ("a", ["b"]), ("b", ["c"]), ("c", ["a"])],
    ],
    ids=["self-loop", "two-cycle", "three-cycle", "cycle-behind-a-chain"],
)
def test_depths_raise_value_error_on_a_cycle(requirements):
    with pytest.raises(ValueError, match="cycle"):
        depths([topic for topic, _ in requirements], requirements)


def test_closure_collects_every_transitive_prerequisite_without_the_start():
    assert closure(["deep-learning"], DIAMOND) == {"calculus", "linear-algebra", "algebra"}


def test_closure_of_a_topic_without_prerequisites_is_empty():
    assert closure(["algebra"], DIAMOND) == set()


def test_closure_unites_the_prerequisites_of_several_starts():
    edges = [("a", "b"), ("c", "d"), ("d", "e")]

    assert closure(["a", "c"], edges) == {"b", "d", "e"}


def test_closure_includes_the_start_when_it_is_reachable_from_itself():
    assert closure(["a"], [("a", "b"), ("b", "a")]) == {"a", "b"}
