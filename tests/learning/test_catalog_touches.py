"""Taught versus touched topics: the version 2 format, version 1 files still importable, and gating on taught
topics only."""

import copy
import json

import pytest

from learning.exceptions import LearningError
from learning.models import Resource, Topic
from learning.services import catalog_export_json, catalog_import, resources_export_csv, resources_import_csv
from recommender.data import load_catalog_snapshot
from tests.learning.catalog_documents import catalog_document, csv_row, csv_text

pytestmark = pytest.mark.django_db


def version_2_document():
    document = catalog_document()
    document["version"] = 2
    document["topics"].append({"slug": "optimizers", "name": "Optimizers", "prerequisites": ["backpropagation"]})
    # An intro to neural networks that mentions optimizers in passing must not be gated behind backpropagation.
    document["resources"][1]["touches"] = ["optimizers"]
    return document


def test_a_version_1_file_still_imports_with_every_tag_taught():
    catalog_import(document=catalog_document())
    article = Resource.objects.get(slug="nn-article")
    assert [t.slug for t in article.topics.all()] == ["neural-networks"]
    assert not article.touches.exists()


def test_a_version_2_file_imports_touched_topics_and_exports_them_back():
    catalog_import(document=version_2_document())
    article = Resource.objects.get(slug="nn-article")
    assert [t.slug for t in article.touches.all()] == ["optimizers"]
    exported = json.loads(catalog_export_json())
    assert exported["version"] == 2
    row = next(r for r in exported["resources"] if r["slug"] == "nn-article")
    assert row["touches"] == ["optimizers"]
    assert row["topics"] == ["neural-networks"]
    again = copy.deepcopy(exported)
    assert not catalog_import(document=again).changed  # the export round-trips


def test_touches_in_a_version_1_file_is_refused():
    document = version_2_document()
    document["version"] = 1
    with pytest.raises(LearningError) as raised:
        catalog_import(document=document)
    assert any("'touches' needs version 2" in p for p in raised.value.problems)


def test_a_topic_cannot_be_both_taught_and_touched():
    document = version_2_document()
    document["resources"][1]["touches"] = ["neural-networks"]
    with pytest.raises(LearningError) as raised:
        catalog_import(document=document)
    assert any("already listed in topics" in p for p in raised.value.problems)


def test_an_unknown_touched_topic_is_refused():
    document = version_2_document()
    document["resources"][1]["touches"] = ["no-such-topic"]
    with pytest.raises(LearningError) as raised:
        catalog_import(document=document)
    assert any("touches: unknown topic 'no-such-topic'" in p for p in raised.value.problems)


def test_touched_topics_never_gate_a_resource():
    catalog_import(document=version_2_document())
    snapshot = load_catalog_snapshot()
    article = snapshot.index_of[Resource.objects.get(slug="nn-article").pk]
    required = {snapshot.topic_ids[t] for t in snapshot.required[article].indices}
    slugs = dict(Topic.objects.values_list("pk", "slug"))
    assert {slugs[int(pk)] for pk in required} == {"linear-algebra"}  # not backpropagation via optimizers


def test_csv_carries_touched_topics_both_ways():
    catalog_import(document=version_2_document())
    assert "touches" in resources_export_csv().splitlines()[0].split(",")
    header = [*csv_row("x").keys()][:11] + ["touches", "prerequisites", "status"]
    resources_import_csv(text=csv_text([csv_row("talk", touches="optimizers")], header=header))
    assert [t.slug for t in Resource.objects.get(slug="talk").touches.all()] == ["optimizers"]
