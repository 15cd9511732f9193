"""The curated catalog shipped in learning/data/catalog.json is valid, rich enough, and imports idempotently."""

import json
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from learning.graph import find_cycle
from learning.models import Kind, LearningPath, Level, PathStep, Resource, Topic, TopicPrerequisite
from learning.services import catalog_import_file

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalog")]


@pytest.fixture
def catalog(catalog_for_module, db):
    """Every test here reads the shipped catalog: it is imported once for the module."""


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


FIRST_SHIPPED_CATALOG = Path(__file__).parent / "fixtures" / "catalog_v1_shipped.json"
SEED_AREAS = [
    "activation-functions",
    "backpropagation",
    "optimizers",
    "computer-vision",
    "nlp",
    "healthcare-applications",
    "finance-applications",
    "recommender-systems",
    "tensorflow-keras",
    "pytorch",
    "staying-current",
]
NEW_TOPICS = [
    "ethics-fairness",
    "evaluation-interpretability",
    "embeddings-retrieval",
    "llm-fine-tuning",
    "model-serving-quantization",
    "experiment-tracking",
    "graph-neural-networks",
    "self-supervised-learning",
    "speech-audio",
]


def published_teaching(topic_slug: str):
    return Resource.objects.published().filter(topics__slug=topic_slug)


def test_no_slug_of_the_first_shipped_catalog_was_lost():
    first = json.loads(FIRST_SHIPPED_CATALOG.read_text(encoding="utf-8"))

    for section, model in [("topics", Topic), ("resources", Resource), ("paths", LearningPath)]:
        missing = {row["slug"] for row in first[section]} - set(model.objects.values_list("slug", flat=True))
        assert missing == set(), section


def test_the_catalog_is_as_large_as_the_issue_asks():
    published = Resource.objects.published()

    assert Topic.objects.count() >= 40
    assert published.count() >= 330
    assert published.filter(level=Level.BEGINNER).count() >= 0.3 * published.count()
    assert LearningPath.objects.published().count() >= 12


@pytest.mark.parametrize("slug", NEW_TOPICS)
def test_the_new_topics_exist(slug):
    assert Topic.objects.filter(slug=slug).exists()


def test_every_topic_has_a_beginner_or_intermediate_resource():
    lacking = [
        topic.slug
        for topic in Topic.objects.all()
        if not published_teaching(topic.slug).filter(level__in=[Level.BEGINNER, Level.INTERMEDIATE]).exists()
    ]

    assert lacking == []


@pytest.mark.parametrize("slug", SEED_AREAS)
def test_every_seed_area_has_three_resources_and_a_beginner_one(slug):
    teaching = published_teaching(slug)

    assert teaching.count() >= 3
    assert teaching.filter(level=Level.BEGINNER).exists()


@pytest.mark.parametrize(
    ("path", "goal"),
    [
        ("jax-for-deep-learning", "jax"),
        ("llm-engineering", "llm-fine-tuning"),
        ("llm-engineering", "embeddings-retrieval"),
        ("llm-engineering", "model-serving-quantization"),
        ("staying-current-with-research", "staying-current"),
        ("deep-learning-foundations", "activation-functions"),
    ],
)
def test_the_paths_the_issue_asks_for_exist_with_their_goals(path, goal):
    assert LearningPath.objects.published().filter(slug=path, goal_topics__slug=goal).exists()


def test_the_staying_current_path_has_feeds_paper_reading_and_communities():
    kinds = set(
        PathStep.objects.filter(path__slug="staying-current-with-research").values_list("resource__kind", flat=True)
    )

    assert {Kind.FEED, Kind.COMMUNITY, Kind.PAPER} <= kinds


@pytest.mark.parametrize(
    ("topic", "prerequisite", "present"),
    [
        ("autonomous-driving", "reinforcement-learning", False),
        ("numpy", "linear-algebra", False),
        ("loss-functions", "neural-networks", False),
        ("loss-functions", "machine-learning-basics", True),
        ("reinforcement-learning", "optimizers", False),
        ("healthcare-applications", "computer-vision", False),
        ("deployment-mlops", "neural-networks", False),
        ("deployment-mlops", "machine-learning-basics", True),
        ("backpropagation", "loss-functions", True),
        ("backpropagation", "activation-functions", True),
        ("nlp", "sequence-models", False),
    ],
)
def test_the_topic_graph_edges_the_review_corrected(topic, prerequisite, present):
    exists = TopicPrerequisite.objects.filter(topic__slug=topic, prerequisite__slug=prerequisite).exists()

    assert exists is present


def test_superseded_resources_are_archived_and_out_of_every_path():
    superseded = ["nanogpt", "made-with-ml-repo", "karpathy-zero-to-hero", "pytorch-60-minute-blitz"]

    assert set(Resource.objects.filter(slug__in=superseded).values_list("status", flat=True)) == {"archived"}
    assert not PathStep.objects.filter(resource__slug__in=superseded).exists()
    assert Resource.objects.published().filter(slug="nanochat").exists()


def test_moved_urls_point_where_the_content_lives_now():
    assert Resource.objects.get(slug="nyu-deep-learning").url == "https://atcold.github.io/NYU-DLSP20/"
    assert not Resource.objects.filter(url__startswith="https://pytorch.org/tutorials/").exists()


def test_paper_feeds_are_feeds_not_papers():
    feeds = ["hf-daily-papers", "arxiv-cs-lg-recent", "openreview"]

    assert set(Resource.objects.filter(slug__in=feeds).values_list("kind", flat=True)) == {Kind.FEED}


def test_keras_3_examples_are_tagged_with_every_backend():
    frameworks = set(Resource.objects.get(slug="keras-mnist-convnet").frameworks.values_list("slug", flat=True))

    assert frameworks == {"jax", "pytorch", "tensorflow"}
