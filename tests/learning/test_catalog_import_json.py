"""Importing a catalog document: a valid file creates topics, resources and paths; importing it again, or an
edited copy, changes exactly what differs."""

from collections import Counter

import pytest

from learning.models import LearningPath, PathStep, PublicationStatus, Resource, Topic, TopicPrerequisite
from learning.services import (
    catalog_import,
)
from tests.learning.catalog_documents import catalog_document, updated_ats

pytestmark = pytest.mark.django_db


def test_a_valid_import_creates_topics_resources_and_paths():
    report = catalog_import(document=catalog_document())

    assert report.created == Counter(topics=3, resources=3, paths=1)
    assert Topic.objects.count() == 3
    assert Resource.objects.count() == 3
    assert LearningPath.objects.count() == 1


def test_a_valid_import_creates_the_topic_prerequisite_edges():
    catalog_import(document=catalog_document())

    edges = set(TopicPrerequisite.objects.values_list("topic__slug", "prerequisite__slug"))
    assert edges == {("neural-networks", "linear-algebra"), ("backpropagation", "neural-networks")}


def test_a_valid_import_sets_the_resource_relations():
    catalog_import(document=catalog_document())

    article = Resource.objects.get(slug="nn-article")
    project = Resource.objects.get(slug="backprop-project")
    assert {f.slug for f in article.frameworks.all()} == {"pytorch"}
    assert {f.slug for f in project.frameworks.all()} == {"pytorch", "tensorflow"}
    assert {t.slug for t in article.topics.all()} == {"neural-networks"}
    assert {t.slug for t in article.prerequisites.all()} == {"linear-algebra"}
    assert article.kind == "article"
    assert article.status == PublicationStatus.PUBLISHED


def test_a_valid_import_creates_the_path_steps_in_file_order():
    catalog_import(document=catalog_document())

    path = LearningPath.objects.get(slug="foundations")
    steps = list(path.steps.order_by("position").values_list("position", "resource__slug", "required", "note"))
    assert steps == [
        (1, "la-course", True, "Start here."),
        (2, "nn-article", True, ""),
        (3, "backprop-project", False, ""),
    ]
    assert {t.slug for t in path.goal_topics.all()} == {"backpropagation"}


def test_status_defaults_to_draft_when_the_file_leaves_it_out():
    document = catalog_document()
    del document["resources"][0]["status"]

    catalog_import(document=document)

    assert Resource.objects.get(slug="la-course").status == PublicationStatus.DRAFT


def test_importing_the_same_document_twice_changes_nothing():
    catalog_import(document=catalog_document())
    before = updated_ats()

    report = catalog_import(document=catalog_document())

    assert report.changed is False
    assert report.unchanged == Counter(topics=3, resources=3, paths=1)
    assert sum(report.created.values()) == sum(report.updated.values()) == 0
    assert updated_ats() == before


def test_a_changed_title_updates_exactly_that_resource():
    catalog_import(document=catalog_document())
    before = updated_ats()
    document = catalog_document()
    document["resources"][1]["title"] = "Neural Networks, Explained Again"

    report = catalog_import(document=document)

    after = updated_ats()
    assert report.changed is True
    assert report.updated == Counter(resources=1)
    assert report.unchanged == Counter(topics=3, resources=2, paths=1)
    assert Resource.objects.get(slug="nn-article").title == "Neural Networks, Explained Again"
    assert after["resources"]["nn-article"] > before["resources"]["nn-article"]
    assert {slug: at for slug, at in after["resources"].items() if slug != "nn-article"} == {
        slug: at for slug, at in before["resources"].items() if slug != "nn-article"
    }
    assert after["paths"] == before["paths"]


def test_a_changed_prerequisite_counts_as_an_updated_topic():
    catalog_import(document=catalog_document())
    document = catalog_document()
    document["topics"][2]["prerequisites"] = ["neural-networks", "linear-algebra"]

    report = catalog_import(document=document)

    assert report.updated == Counter(topics=1)
    assert TopicPrerequisite.objects.filter(topic__slug="backpropagation").count() == 2


def test_reordered_path_steps_are_rewritten_in_the_new_order():
    catalog_import(document=catalog_document())
    document = catalog_document()
    document["paths"][0]["steps"].reverse()

    report = catalog_import(document=document)

    slugs = list(PathStep.objects.order_by("position").values_list("resource__slug", flat=True))
    assert slugs == ["backprop-project", "nn-article", "la-course"]
    assert report.updated == Counter(paths=1)
