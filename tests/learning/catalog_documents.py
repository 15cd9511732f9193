"""Documents, CSV rows and checks shared by the catalog import and export tests."""

import csv
import io

from django.apps import apps

from learning.models import LearningPath, Resource
from learning.services import (
    catalog_export_json,
)

TAKEN_URL = "https://elsewhere.example.com/taken"


CSV_HEADER = [
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
    "prerequisites",
    "status",
]


def topic(slug, name, prerequisites=()):
    return {"slug": slug, "name": name, "summary": f"About {name}.", "prerequisites": list(prerequisites)}


def resource(slug, kind, topics, *, frameworks=("none",), prerequisites=(), level="beginner"):
    return {
        "slug": slug,
        "title": slug.replace("-", " ").title(),
        "kind": kind,
        "url": f"https://learn.example.com/{slug}",
        "provider": "Example Academy",
        "summary": f"What you get from {slug}.",
        "level": level,
        "estimated_minutes": 90,
        "cost": "free",
        "frameworks": list(frameworks),
        "topics": list(topics),
        "prerequisites": list(prerequisites),
        "status": "published",
    }


def catalog_document():
    return {
        "format": "deeppath-catalog",
        "version": 1,
        "topics": [
            topic("linear-algebra", "Linear algebra"),
            topic("neural-networks", "Neural networks", ["linear-algebra"]),
            topic("backpropagation", "Backpropagation", ["neural-networks"]),
        ],
        "resources": [
            resource("la-course", "course", ["linear-algebra"]),
            resource(
                "nn-article", "article", ["neural-networks"], frameworks=["pytorch"], prerequisites=["linear-algebra"]
            ),
            resource("backprop-project", "project", ["backpropagation"], frameworks=["pytorch", "tensorflow"]),
        ],
        "paths": [
            {
                "slug": "foundations",
                "title": "Foundations",
                "summary": "From vectors to gradients.",
                "level": "beginner",
                "goal_topics": ["backpropagation"],
                "status": "published",
                "steps": [
                    {"resource": "la-course", "required": True, "note": "Start here."},
                    {"resource": "nn-article"},
                    {"resource": "backprop-project", "required": False},
                ],
            }
        ],
    }


def edited_document():
    """A document with legitimate edits, so a partial write of a refused file would show."""
    document = catalog_document()
    document["resources"][0]["title"] = "Linear Algebra, Revised"
    document["topics"].append(topic("calculus", "Calculus"))
    return document


def database_state():
    # ImportedRow is the importer's own bookkeeping (what each import wrote), not catalog content.
    models = [model for model in apps.get_app_config("learning").get_models(True) if model.__name__ != "ImportedRow"]
    counts = {model._meta.label: model.objects.count() for model in models}
    return counts, catalog_export_json()


def updated_ats():
    return {
        "resources": dict(Resource.objects.values_list("slug", "updated_at")),
        "paths": dict(LearningPath.objects.values_list("slug", "updated_at")),
    }


def csv_text(rows, header=CSV_HEADER):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def csv_row(slug, **overrides):
    row = {
        "slug": slug,
        "title": slug.replace("-", " ").title(),
        "kind": "video",
        "url": f"https://videos.example.com/{slug}",
        "provider": "Example Tube",
        "summary": f"A talk on {slug}.",
        "level": "intermediate",
        "estimated_minutes": "45",
        "cost": "free",
        "frameworks": "pytorch|tensorflow",
        "topics": "neural-networks|backpropagation",
        "prerequisites": "linear-algebra",
        "status": "published",
    }
    return {**row, **overrides}


def problems_of(raised):
    return raised.value.problems


def has_problem(problems, *fragments):
    return any(all(fragment in problem for fragment in fragments) for problem in problems)
