"""Validates a whole catalog document against itself and the database, before anything is written."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from learning.exceptions import LearningError, add_problem
from learning.graph import describe_cycle, find_cycle
from learning.models import Framework, Resource, Topic, TopicPrerequisite
from learning.services.catalog.checks import (
    minutes_warnings,
    path_level_warnings,
    path_order_warnings,
    topic_prerequisite_map,
)
from learning.services.catalog.rows import PathRow, ResourceRow, TopicRow, path_row, resource_row, topic_row

CATALOG_FORMAT = "deeppath-catalog"
# Version 2 added `touches` to resources: topics a resource only mentions, which never gate it. Version 1 files
# stay importable: they have no `touches`, so every tag of theirs is a taught topic, as it always meant.
CATALOG_VERSION = 2
READABLE_VERSIONS = (1, 2)
TOP_LEVEL = "top level"


@dataclass
class CatalogPlan:
    topics: list[TopicRow] = field(default_factory=list)
    resources: list[ResourceRow] = field(default_factory=list)
    paths: list[PathRow] = field(default_factory=list)
    # Curriculum warnings (learning.services.catalog.checks): reported, never a reason to refuse the file.
    warnings: list[str] = field(default_factory=list)


def plan_catalog_document(document: Any) -> CatalogPlan:
    """Check a parsed catalog JSON document; raise LearningError listing every problem found."""
    problems: dict[str, list[str]] = {}
    if not isinstance(document, dict):
        raise LearningError("The catalog must be a JSON object.", {TOP_LEVEL: ["expected an object"]})
    if document.get("format") != CATALOG_FORMAT:
        add_problem(problems, TOP_LEVEL, f"'format' must be {CATALOG_FORMAT!r}")
    version = document.get("version")
    if type(version) is not int or version not in READABLE_VERSIONS:
        add_problem(problems, TOP_LEVEL, f"'version' must be one of {', '.join(map(str, READABLE_VERSIONS))}")
    for key in sorted(document.keys() - {"format", "version", "topics", "resources", "paths"}):
        add_problem(problems, TOP_LEVEL, f"unknown field '{key}'")
    sections = {}
    for key in ("topics", "resources", "paths"):
        sections[key] = document.get(key, [])
        if not isinstance(sections[key], list):
            add_problem(problems, TOP_LEVEL, f"'{key}' must be a list")
            sections[key] = []
    if version == 1 and any(isinstance(raw, dict) and "touches" in raw for raw in sections["resources"]):
        add_problem(problems, TOP_LEVEL, "'touches' needs version 2 (version 1 files list taught topics only)")

    plan = CatalogPlan(
        topics=_rows(sections["topics"], lambda i: f"topics[{i}]", topic_row, problems),
        resources=_rows(sections["resources"], lambda i: f"resources[{i}]", resource_row, problems),
        paths=_rows(sections["paths"], lambda i: f"paths[{i}]", path_row, problems),
    )
    check_plan(plan, problems)
    _raise_if_any(problems)
    plan.warnings = [
        *minutes_warnings(plan.resources),
        *path_order_warnings(plan.paths, plan.resources, topic_prerequisite_map(plan.topics)),
        *path_level_warnings(plan.paths, plan.resources),
    ]
    return plan


def plan_resource_rows(raw_rows: list) -> CatalogPlan:
    """Check resource rows of a CSV file (row 1 is the header); raise LearningError listing every problem."""
    problems: dict[str, list[str]] = {}
    plan = CatalogPlan(resources=_rows(raw_rows, lambda i: f"row {i + 2}", resource_row, problems))
    check_plan(plan, problems)
    _raise_if_any(problems)
    plan.warnings = minutes_warnings(plan.resources)
    return plan


def _raise_if_any(problems: dict[str, list[str]]) -> None:
    if problems:
        count = sum(len(messages) for messages in problems.values())
        raise LearningError(f"The file has {count} problem(s); nothing was imported.", problems)


def _rows(raw_rows: list, label_for, build, problems: dict[str, list[str]]) -> list:
    rows = []
    for index, raw in enumerate(raw_rows):
        slug = raw.get("slug") if isinstance(raw, dict) else None
        label = label_for(index) + (f" '{slug}'" if isinstance(slug, str) and slug else "")
        row = build(raw, label, problems)
        if row is not None:
            rows.append(row)
    return rows


def check_plan(plan: CatalogPlan, problems: dict[str, list[str]]) -> None:
    """Cross-row rules: uniqueness, references to topics/frameworks/resources, and an acyclic topic graph."""
    _check_duplicates(plan.topics, lambda row: row.slug, "slug", problems)
    _check_duplicates(plan.topics, lambda row: row.name, "name", problems)
    _check_duplicates(plan.resources, lambda row: row.slug, "slug", problems)
    _check_duplicates(plan.resources, lambda row: row.fields["url"], "url", problems)
    _check_duplicates(plan.paths, lambda row: row.slug, "slug", problems)

    known_topics = {row.slug for row in plan.topics} | set(Topic.objects.values_list("slug", flat=True))
    known_frameworks = set(Framework.objects.values_list("slug", flat=True))
    known_resources = {row.slug for row in plan.resources} | set(Resource.objects.values_list("slug", flat=True))

    _check_topic_names_free(plan.topics, problems)
    for topic in plan.topics:
        _check_refs(topic.label, "prerequisites", topic.prerequisites, known_topics, "topic", problems)
    for resource in plan.resources:
        _check_refs(resource.label, "topics", resource.topics, known_topics, "topic", problems)
        _check_refs(resource.label, "touches", resource.touches, known_topics, "topic", problems)
        _check_refs(resource.label, "prerequisites", resource.prerequisites, known_topics, "topic", problems)
        _check_refs(resource.label, "frameworks", resource.frameworks, known_frameworks, "framework", problems)
    _check_urls_free(plan.resources, problems)
    for path in plan.paths:
        _check_refs(path.label, "goal_topics", path.goal_topics, known_topics, "topic", problems)
        steps = [step.resource for step in path.steps]
        _check_refs(path.label, "steps", steps, known_resources, "resource", problems)
        for slug, count in Counter(steps).items():
            if count > 1:
                add_problem(problems, path.label, f"steps: resource '{slug}' appears {count} times in the path")
    _check_acyclic(plan.topics, problems)


def _check_duplicates(rows: list, key, name: str, problems: dict[str, list[str]]) -> None:
    first_seen: dict[Any, str] = {}
    for row in rows:
        value = key(row)
        if value in first_seen:
            add_problem(problems, row.label, f"duplicate {name} {value!r}, already used by {first_seen[value]}")
        else:
            first_seen[value] = row.label


def _check_refs(
    label: str, name: str, values: list[str], known: set[str], what: str, problems: dict[str, list[str]]
) -> None:
    for value in values:
        if value not in known:
            add_problem(problems, label, f"{name}: unknown {what} '{value}'")
    for value, count in Counter(values).items():
        if count > 1 and name != "steps":
            add_problem(problems, label, f"{name}: '{value}' is listed {count} times")


def _check_topic_names_free(topics: list[TopicRow], problems: dict[str, list[str]]) -> None:
    taken = dict(Topic.objects.filter(name__in=[row.name for row in topics]).values_list("name", "slug"))
    for row in topics:
        owner = taken.get(row.name)
        if owner is not None and owner != row.slug:
            add_problem(problems, row.label, f"name {row.name!r} is already used by topic '{owner}'")


def _check_urls_free(resources: list[ResourceRow], problems: dict[str, list[str]]) -> None:
    urls = [row.fields["url"] for row in resources]
    taken = dict(Resource.objects.filter(url__in=urls).values_list("url", "slug"))
    for row in resources:
        owner = taken.get(row.fields["url"])
        if owner is not None and owner != row.slug:
            add_problem(problems, row.label, f"url {row.fields['url']!r} already belongs to resource '{owner}'")


def _check_acyclic(topics: list[TopicRow], problems: dict[str, list[str]]) -> None:
    """The graph after import: the file's edges replace those of its topics; other topics keep theirs."""
    replaced = {row.slug for row in topics}
    edges = [
        (topic, prerequisite)
        for topic, prerequisite in TopicPrerequisite.objects.values_list("topic__slug", "prerequisite__slug")
        if topic not in replaced
    ]
    edges += [(row.slug, prerequisite) for row in topics for prerequisite in row.prerequisites]
    cycle = find_cycle(edges)
    if cycle is not None:
        add_problem(problems, "topics", f"prerequisite cycle: {describe_cycle(cycle)}")
