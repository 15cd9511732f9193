"""The curated catalog shipped in learning/data/catalog.json is valid, rich enough, and imports idempotently."""

import json
from collections import Counter

import pytest
from django.conf import settings

from learning.graph import find_cycle
from learning.models import Kind, LearningPath, Level, PathStep, Resource, Topic, TopicPrerequisite
from learning.services import catalog_import_file

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalog")]

REQUIRED_TOPIC_SLUG_PARTS = [
    ("backprop",),
    ("activation",),
    ("optimi",),
    ("transformer",),
    ("cnn", "convolution"),
    ("reinforcement",),
    ("pytorch",),
    ("tensorflow", "keras"),
    ("mlops", "deploy"),
    ("healthcare",),
    ("finance",),
    ("recommend",),
    ("autonomous", "driving"),
]


def shipped_document():
    return json.loads(settings.DEEPPATH_CATALOG_FILE.read_text(encoding="utf-8"))


def published_paths():
    return LearningPath.objects.published().prefetch_related("steps__resource")


def test_the_shipped_catalog_imports_every_row_of_the_file():
    document = shipped_document()

    assert Topic.objects.count() == len(document["topics"])
    assert Resource.objects.count() == len(document["resources"])
    assert LearningPath.objects.count() == len(document["paths"])


def test_importing_the_shipped_catalog_a_second_time_changes_nothing():
    report = catalog_import_file(path=settings.DEEPPATH_CATALOG_FILE)

    assert report.changed is False


def test_there_are_at_least_100_published_resources():
    assert Resource.objects.published().count() >= 100


def test_published_resources_span_at_least_6_kinds():
    kinds = set(Resource.objects.published().values_list("kind", flat=True))

    assert len(kinds) >= 6
    assert kinds <= set(Kind.values)


def test_published_resources_cover_all_3_levels():
    assert set(Resource.objects.published().values_list("level", flat=True)) == set(Level.values)


def test_every_resource_url_is_https():
    not_https = [url for url in Resource.objects.values_list("url", flat=True) if not url.startswith("https://")]

    assert not_https == []


def test_every_resource_url_in_the_file_is_unique():
    urls = Counter(resource["url"] for resource in shipped_document()["resources"])

    assert [url for url, count in urls.items() if count > 1] == []


def test_there_are_at_least_25_topics_and_25_prerequisite_edges():
    assert Topic.objects.count() >= 25
    assert TopicPrerequisite.objects.count() >= 25


def test_the_topic_graph_is_acyclic():
    edges = list(TopicPrerequisite.objects.values_list("topic__slug", "prerequisite__slug"))

    assert find_cycle(edges) is None


def test_there_are_at_least_6_published_paths_of_at_least_6_steps():
    long_paths = [path for path in published_paths() if path.steps.count() >= 6]

    assert len(long_paths) >= 6


def test_every_published_path_mixes_a_course_a_project_and_an_article():
    lacking = {
        path.slug: sorted({"course", "project", "article"} - {step.resource.kind for step in path.steps.all()})
        for path in published_paths()
    }

    assert {slug: missing for slug, missing in lacking.items() if missing} == {}


def test_every_step_of_a_published_path_is_a_published_resource():
    unpublished = PathStep.objects.filter(path__in=LearningPath.objects.published()).exclude(
        resource__in=Resource.objects.published()
    )

    assert list(unpublished.values_list("path__slug", "resource__slug")) == []


def test_every_published_resource_teaches_a_topic_and_names_a_framework():
    published = Resource.objects.published()

    assert not published.filter(topics__isnull=True).exists()
    assert not published.filter(frameworks__isnull=True).exists()


@pytest.mark.parametrize(
    "parts", REQUIRED_TOPIC_SLUG_PARTS, ids=["-or-".join(parts) for parts in REQUIRED_TOPIC_SLUG_PARTS]
)
def test_the_topics_the_issue_asks_for_exist(parts):
    slugs = list(Topic.objects.values_list("slug", flat=True))

    assert any(part in slug for slug in slugs for part in parts), f"no topic slug contains any of {parts}"
