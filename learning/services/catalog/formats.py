"""The catalog's file formats: one JSON document for everything, CSV for resources alone."""

import csv
import io
import json
import re
from typing import Any

from learning.exceptions import LearningError
from learning.graph import topological_order
from learning.json_input import UnreadableJsonError, json_loads_checked
from learning.models import LearningPath, Provider, Resource, Topic, TopicPrerequisite
from learning.services.catalog.plan import CATALOG_FORMAT, CATALOG_VERSION

CSV_COLUMNS = [
    "slug",
    "title",
    "kind",
    "url",
    "provider",
    "summary",
    "level",
    "estimated_minutes",
    "cost",
    "frameworks",
    "topics",
    "touches",
    "prerequisites",
    "status",
]
CSV_REQUIRED = ["slug", "title", "kind", "url", "provider", "summary", "level", "estimated_minutes", "cost"]
CSV_LIST_COLUMNS = ("frameworks", "topics", "touches", "prerequisites")
CSV_LIST_SEPARATOR = "|"


def parse_json(text: str | bytes) -> Any:
    """The document, or a LearningError for malformed JSON, JSON nested too deep or text that is not Unicode."""
    try:
        return json_loads_checked(text)
    except UnreadableJsonError as error:
        raise LearningError("The file cannot be imported.", {"JSON": [str(error)]}) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise LearningError("The file is not valid JSON.", {"JSON": [str(error)]}) from None


def parse_resources_csv(text: str) -> list[dict[str, Any]]:
    """CSV rows turned into resource objects of the JSON format, so both formats share one validation."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = reader.fieldnames or []
        missing = [column for column in CSV_REQUIRED if column not in header]
        if missing:
            raise LearningError(
                "The CSV header is incomplete.", {"header": [f"missing column '{name}'" for name in missing]}
            )
        unknown = [column for column in header if column not in CSV_COLUMNS]
        if unknown:
            raise LearningError(
                "The CSV header has unknown columns.", {"header": [f"unknown column '{c}'" for c in unknown]}
            )
        return [_csv_row_to_object(row) for row in reader]
    except csv.Error as error:
        raise LearningError("The file is not valid CSV.", {f"line {reader.line_num}": [str(error)]}) from None


_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,30}")


def _csv_row_to_object(row: dict[str, Any]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for column, value in row.items():
        if column is None:  # more cells than header columns
            obj["extra cells"] = value
            continue
        value = (value or "").strip()
        if column in CSV_LIST_COLUMNS:
            obj[column] = [item.strip() for item in value.split(CSV_LIST_SEPARATOR) if item.strip()]
        elif column == "estimated_minutes":
            # A signed whole number becomes an int, so "-5" is refused by the field's bounds ("minutes must be at
            # least 1") rather than as text; anything else stays text and is refused as not a whole number.
            obj[column] = int(value) if _WHOLE_NUMBER.fullmatch(value) else value
        elif value or column in CSV_REQUIRED:
            obj[column] = value
    obj.setdefault("frameworks", [])
    obj.setdefault("topics", [])
    return obj


def export_catalog_document() -> dict[str, Any]:
    """The whole catalog, every status included, in the import format (topics in prerequisite order)."""
    return {
        "format": CATALOG_FORMAT,
        "version": CATALOG_VERSION,
        "providers": [
            {"name": provider.name, "url": provider.url, "aliases": sorted(provider.aliases or [])}
            for provider in Provider.objects.order_by("name")
        ],
        "topics": _export_topics(),
        "resources": [_export_resource(resource) for resource in _resources_for_export()],
        "paths": [_export_path(path) for path in _paths_for_export()],
    }


def _export_topics() -> list[dict[str, Any]]:
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    edges = list(TopicPrerequisite.objects.values_list("topic__slug", "prerequisite__slug"))
    requires: dict[str, list[str]] = {slug: [] for slug in topics}
    for topic, prerequisite in edges:
        requires[topic].append(prerequisite)
    return [
        {
            "slug": slug,
            "name": topics[slug].name,
            "summary": topics[slug].summary,
            "prerequisites": sorted(requires[slug]),
        }
        for slug in topological_order(topics, edges)
    ]


def _resources_for_export():
    return (
        Resource.objects.order_by("slug")
        .select_related("provider")
        .prefetch_related("frameworks", "topics", "touches", "prerequisites")
    )


def _export_resource(resource: Resource) -> dict[str, Any]:
    return {
        "slug": resource.slug,
        "title": resource.title,
        "kind": resource.kind,
        "url": resource.url,
        "provider": resource.provider.name,
        "summary": resource.summary,
        "level": resource.level,
        "estimated_minutes": resource.estimated_minutes,
        "cost": resource.cost,
        "frameworks": sorted(framework.slug for framework in resource.frameworks.all()),
        "topics": sorted(topic.slug for topic in resource.topics.all()),
        "touches": sorted(topic.slug for topic in resource.touches.all()),
        "prerequisites": sorted(topic.slug for topic in resource.prerequisites.all()),
        "status": resource.status,
    }


def _paths_for_export():
    return LearningPath.objects.curated().order_by("slug").prefetch_related("goal_topics", "steps__resource")


def _export_path(path: LearningPath) -> dict[str, Any]:
    return {
        "slug": path.slug,
        "title": path.title,
        "summary": path.summary,
        "level": path.level,
        "goal_topics": sorted(topic.slug for topic in path.goal_topics.all()),
        "status": path.status,
        "steps": [
            {"resource": step.resource.slug, "required": step.required, "note": step.note}
            for step in sorted(path.steps.all(), key=lambda step: step.position)
        ],
    }


def export_resources_csv() -> str:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for resource in _resources_for_export():
        row = _export_resource(resource)
        for column in CSV_LIST_COLUMNS:
            row[column] = CSV_LIST_SEPARATOR.join(row[column])
        writer.writerow(row)
    return buffer.getvalue()
