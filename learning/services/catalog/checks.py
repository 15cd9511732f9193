"""Curriculum checks on a valid catalog plan: mistakes a file can be well-formed with, but a learner would trip on.

They are warnings, not refusals: a curator may import a path still being built. The import report and the admin
list them, and the shipped catalog is held to none (tests/learning/test_shipped_catalog.py).
"""

from dataclasses import dataclass

from learning.models import Kind, Level, Resource, TopicPrerequisite
from learning.models.choices import LEVEL_RANK
from learning.services.catalog.rows import PathRow, ResourceRow

# The least time a book or course of each kind can honestly take. A floor, not an estimate: an entry below it was
# almost certainly given a placeholder (the first catalog gave 800-page textbooks 4,000 minutes).
BOOK_MINUTES_FLOOR = {Level.BEGINNER: 900, Level.INTERMEDIATE: 1_500, Level.ADVANCED: 4_800}
COURSE_MINUTES_FLOOR = 120


@dataclass(frozen=True)
class TeachingFacts:
    """What one resource teaches (taught topics only: touched topics neither teach nor gate) and what it needs."""

    teaches: frozenset[str]
    needs: frozenset[str]


def minutes_warnings(resources: list[ResourceRow]) -> list[str]:
    warnings = []
    for row in resources:
        kind, level, minutes = row.fields["kind"], row.fields["level"], row.fields["estimated_minutes"]
        floor = BOOK_MINUTES_FLOOR.get(level) if kind == Kind.BOOK else None
        if kind == Kind.COURSE:
            floor = COURSE_MINUTES_FLOOR
        if floor is not None and minutes < floor:
            warnings.append(
                f"{row.label}: {minutes} minutes is implausibly low for a {level} {kind} "
                f"(at least {floor}); count the time to work through it, not to skim it"
            )
    return warnings


def path_order_warnings(paths: list[PathRow], resources: list[ResourceRow], topic_prerequisites) -> list[str]:
    """A step whose prerequisite topics are taught only by later steps of the same path is out of teaching order.

    `topic_prerequisites` maps a topic slug to the slugs it requires (the graph after the import).
    """
    facts = _teaching_facts(paths, resources, topic_prerequisites)
    warnings = []
    for path in paths:
        slugs = [step.resource for step in path.steps]
        for position, slug in enumerate(slugs, start=1):
            earlier = set().union(*(facts[s].teaches for s in slugs[: position - 1]))
            for later_position, later in enumerate(slugs[position:], start=position + 1):
                for topic in sorted((facts[slug].needs - earlier) & facts[later].teaches):
                    warnings.append(
                        f"{path.label} step {position} '{slug}': needs topic '{topic}', which this path teaches only "
                        f"later (step {later_position} '{later}')"
                    )
                earlier |= facts[later].teaches  # report each missing topic once, at its first later teacher
    return warnings


def path_level_warnings(paths: list[PathRow], resources: list[ResourceRow]) -> list[str]:
    """A step immediately followed by an easier one: the easier step should come first.

    Papers are exempt: reading the original before the easier implementation of it is a deliberate order.
    """
    facts = {row.slug: (row.fields["level"], row.fields["kind"]) for row in resources}
    wanted = {step.resource for path in paths for step in path.steps} - facts.keys()
    facts.update((slug, (level, kind)) for slug, level, kind in _db_levels(wanted))
    warnings = []
    for path in paths:
        slugs = [step.resource for step in path.steps]
        for position, (slug, following) in enumerate(zip(slugs, slugs[1:], strict=False), start=1):
            (level, kind), (next_level, _) = facts[slug], facts[following]
            if kind != Kind.PAPER and LEVEL_RANK[next_level] < LEVEL_RANK[level]:
                warnings.append(
                    f"{path.label} step {position} '{slug}' ({level}) comes just before the easier step "
                    f"{position + 1} '{following}' ({next_level}); teach the easier one first"
                )
    return warnings


def _db_levels(slugs: set[str]):
    return Resource.objects.filter(slug__in=slugs).values_list("slug", "level", "kind")


def _teaching_facts(paths, resources, topic_prerequisites) -> dict[str, TeachingFacts]:
    rows = {row.slug: (row.topics, row.prerequisites) for row in resources}
    wanted = {step.resource for path in paths for step in path.steps}
    for resource in Resource.objects.filter(slug__in=wanted - rows.keys()).prefetch_related("topics", "prerequisites"):
        rows[resource.slug] = (
            [topic.slug for topic in resource.topics.all()],
            [topic.slug for topic in resource.prerequisites.all()],
        )
    facts = {}
    for slug in wanted:
        taught, extra = rows.get(slug, ([], []))
        needs = set(extra).union(*(topic_prerequisites.get(topic, ()) for topic in taught)) - set(taught)
        facts[slug] = TeachingFacts(teaches=frozenset(taught), needs=frozenset(needs))
    return facts


def topic_prerequisite_map(topic_rows) -> dict[str, set[str]]:
    """The prerequisite graph after an import: the file's edges replace those of its topics; others keep theirs."""
    replaced = {row.slug for row in topic_rows}
    graph: dict[str, set[str]] = {row.slug: set(row.prerequisites) for row in topic_rows}
    for topic, prerequisite in TopicPrerequisite.objects.values_list("topic__slug", "prerequisite__slug"):
        if topic not in replaced:
            graph.setdefault(topic, set()).add(prerequisite)
    return graph
