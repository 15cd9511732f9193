"""Pure functions over the topic prerequisite graph.

Edges are `(topic, prerequisite)` pairs of hashable keys (slugs or ids): `topic` requires `prerequisite` first.
Nothing here touches the database, so imports, admin forms and services share one definition of "acyclic".
"""

from collections import defaultdict
from collections.abc import Hashable, Iterable

Edge = tuple[Hashable, Hashable]


def _prerequisite_map(edges: Iterable[Edge]) -> dict[Hashable, set[Hashable]]:
    requires: dict[Hashable, set[Hashable]] = defaultdict(set)
    for topic, prerequisite in edges:
        requires[topic].add(prerequisite)
    return requires


def find_cycle(edges: Iterable[Edge]) -> list[Hashable] | None:
    """Return one cycle as `[a, b, ..., a]` (a requires b requires ... a), or None when the graph is a DAG."""
    requires = _prerequisite_map(edges)
    white, grey, black = 0, 1, 2
    colour: dict[Hashable, int] = defaultdict(int)
    for start in sorted(requires, key=str):
        if colour[start] != white:
            continue
        # Iterative DFS, so a deep graph never hits the recursion limit.
        trail: list[Hashable] = [start]
        stack = [(start, iter(sorted(requires.get(start, ()), key=str)))]
        colour[start] = grey
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                colour[node] = black
                stack.pop()
                trail.pop()
                continue
            if colour[child] == grey:
                return [*trail[trail.index(child) :], child]
            if colour[child] == white:
                colour[child] = grey
                trail.append(child)
                stack.append((child, iter(sorted(requires.get(child, ()), key=str))))
    return None


def describe_cycle(cycle: list[Hashable]) -> str:
    return " requires ".join(str(node) for node in cycle)


def topological_order(nodes: Iterable[Hashable], edges: Iterable[Edge]) -> list[Hashable]:
    """Nodes ordered so that every prerequisite comes before the topics that require it (ties by name)."""
    nodes = list(nodes)
    requires = _prerequisite_map(edges)
    depth = depths(nodes, requires.items())
    return sorted(nodes, key=lambda node: (depth[node], str(node)))


def depths(nodes: Iterable[Hashable], requirements: Iterable[tuple[Hashable, Iterable[Hashable]]]) -> dict:
    """Length of the longest prerequisite chain below each node (0 for a topic with no prerequisites).

    Raises ValueError on a cycle: callers validate with `find_cycle` first.
    """
    requires = {topic: set(prerequisites) for topic, prerequisites in requirements}
    result: dict[Hashable, int] = {}

    def resolve(node: Hashable) -> int:
        pending = [node]
        while pending:
            current = pending[-1]
            missing = [p for p in requires.get(current, ()) if p not in result]
            if missing:
                # One at a time, so `pending` is exactly the chain of ancestors and a repeat means a cycle.
                if missing[0] in pending:
                    raise ValueError("the prerequisite graph has a cycle")
                pending.append(missing[0])
                continue
            pending.pop()
            result[current] = 1 + max((result[p] for p in requires.get(current, ())), default=-1)
        return result[node]

    for node in nodes:
        if node not in result:
            resolve(node)
    return result


def closure(start: Iterable[Hashable], edges: Iterable[Edge]) -> set[Hashable]:
    """Every topic that `start` transitively requires, `start` excluded unless reachable from itself."""
    requires = _prerequisite_map(edges)
    seen: set[Hashable] = set()
    pending = [p for topic in start for p in requires.get(topic, ())]
    while pending:
        node = pending.pop()
        if node not in seen:
            seen.add(node)
            pending.extend(requires.get(node, ()))
    return seen
