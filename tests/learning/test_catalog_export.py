"""Exports (JSON document, resources CSV) re-import as no-ops and round-trip after a wipe."""

import json
from collections import Counter

import pytest

from learning.models import LearningPath, PathStep, Resource, Topic
from learning.services import (
    catalog_export_json,
    catalog_import,
    catalog_import_text,
    resources_export_csv,
    resources_import_csv,
)
from tests.learning.catalog_documents import (
    catalog_document,
    csv_row,
    csv_text,
    database_state,
    edited_document,
    updated_ats,
)

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("imported")
def test_exported_csv_imported_into_the_same_database_is_a_no_op():
    resources_import_csv(text=csv_text([csv_row("attention-talk", status="draft")]))
    before = database_state()
    stamps = updated_ats()

    report = resources_import_csv(text=resources_export_csv())

    assert report.changed is False
    assert report.unchanged == Counter(resources=Resource.objects.count())
    assert database_state() == before
    assert updated_ats() == stamps


@pytest.mark.usefixtures("imported")
def test_exported_json_reimported_after_a_wipe_gives_an_identical_export():
    document = edited_document()
    document["resources"][2]["status"] = "draft"
    catalog_import(document=document)
    exported = catalog_export_json()
    PathStep.objects.all().delete()
    LearningPath.objects.all().delete()
    Resource.objects.all().delete()
    Topic.objects.all().delete()

    catalog_import_text(text=exported, file_format="json")

    assert catalog_export_json() == exported


@pytest.mark.usefixtures("imported")
def test_exported_json_reimported_into_the_same_database_is_a_no_op():
    report = catalog_import_text(text=catalog_export_json(), file_format="json")

    assert report.changed is False


def test_the_export_lists_prerequisites_before_the_topics_that_need_them():
    document = catalog_document()
    document["topics"].reverse()
    catalog_import(document=document)

    slugs = [entry["slug"] for entry in json.loads(catalog_export_json())["topics"]]

    assert slugs == ["linear-algebra", "neural-networks", "backpropagation"]
