"""Ranked catalog search: field order, whole words before substrings, abbreviations, the index kept in step with
catalog edits, and input that is never a 500 (web and API)."""

import pytest
from rest_framework.test import APIClient

from learning.models import Framework, Provider, Resource, Topic
from learning.search_terms import MAX_TERMS, parse_query
from learning.selectors import published_resources
from learning.selectors.search import resource_search
from tests.factories import ResourceFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_client():
    return APIClient()


def _search(text: str) -> list[str]:
    return [r.slug for r in resource_search(queryset=published_resources(), text=text)]


@pytest.fixture
def fields():
    """ "Dropout" in one field of each resource: the title, a topic's name, the summary; and inside a longer word."""
    topic = TopicFactory(slug="dropout-methods", name="Dropout methods")
    other = TopicFactory(slug="misc", name="Miscellany")
    return {
        "summary": ResourceFactory(
            slug="in-summary", title="Aaa notes", summary="We cover dropout here.", topics=[other]
        ),
        "topic": ResourceFactory(slug="in-topic", title="Bbb notes", topics=[topic]),
        "title": ResourceFactory(slug="in-title", title="Zzz dropout notes", topics=[other]),
        "substring": ResourceFactory(slug="in-word", title="Ccc notes", summary="Dropoutish words.", topics=[other]),
        "none": ResourceFactory(slug="unrelated", title="Unrelated", topics=[other]),
    }


def test_title_matches_come_before_topic_names_before_summary_words_before_substrings(fields):
    assert _search("dropout") == ["in-title", "in-topic", "in-summary", "in-word"]


def test_the_api_and_the_web_catalog_rank_the_same_way(fields, client, api_client):
    body = api_client.get("/api/v1/resources/", {"search": "dropout"}).json()
    assert [row["slug"] for row in body["results"]] == ["in-title", "in-topic", "in-summary", "in-word"]
    page = client.get("/resources/", {"search": "dropout"}).context["page"]
    assert [r.slug for r in page] == ["in-title", "in-topic", "in-summary", "in-word"]


def test_an_explicit_ordering_still_wins_over_relevance(fields, api_client):
    body = api_client.get("/api/v1/resources/", {"search": "dropout", "ordering": "title"}).json()
    assert [row["slug"] for row in body["results"]] == ["in-summary", "in-topic", "in-word", "in-title"]


def test_more_query_words_found_rank_higher_and_all_words_must_match(db):
    ResourceFactory(slug="both", title="Graph attention", summary="Attention over graphs.")
    ResourceFactory(slug="one", title="Attention basics")
    assert _search("graph attention") == ["both"]


def test_when_no_resource_has_every_word_those_with_some_are_shown(db):
    ResourceFactory(slug="one", title="Attention basics")
    assert _search("attention xylophone") == ["one"]


@pytest.mark.parametrize(
    ("typed", "title"),
    [
        ("llm", "Understanding Large Language Models"),
        ("LLMs", "Understanding Large Language Models"),
        ("cnn", "Convolutional Neural Networks explained"),
        ("rnn", "Recurrent neural networks in practice"),
        ("nlp", "Natural language processing today"),
        ("gan", "Generative Adversarial Networks"),
        ("rl", "Reinforcement Learning: An Introduction"),
        ("backprop", "Backpropagation by hand"),
    ],
)
def test_abbreviations_find_what_they_stand_for(db, typed, title):
    ResourceFactory(slug="target", title=title)
    ResourceFactory(slug="other", title="Something else entirely")
    assert _search(typed) == ["target"]


def test_words_are_stemmed(db):
    ResourceFactory(slug="t", title="The Illustrated Transformer")
    assert _search("transformers") == ["t"]


def test_the_index_follows_catalog_edits(db):
    topic = TopicFactory(slug="old", name="Quokka studies")
    resource = ResourceFactory(slug="r", title="Plain title", topics=[topic])
    assert _search("quokka") == ["r"]
    Topic.objects.filter(pk=topic.pk).update(name="Wombat studies")
    assert _search("quokka") == []
    assert _search("wombat") == ["r"]
    resource.title = "Platypus guide"
    resource.save()
    assert _search("platypus") == ["r"]
    assert _search("plain") == []
    resource.topics.clear()
    assert _search("wombat") == []
    Provider.objects.filter(pk=resource.provider_id).update(name="Echidna Press")
    assert _search("echidna") == ["r"]
    framework = Framework.objects.create(slug="numbat", name="Numbat")
    resource.frameworks.add(framework)
    assert _search("numbat") == ["r"]
    Resource.objects.filter(pk=resource.pk).delete()
    assert _search("platypus") == []


def test_only_published_resources_are_found(db):
    ResourceFactory(slug="draft", title="Secret draft", status="draft")
    assert _search("secret") == []


HOSTILE = [
    "x" * 5000,
    '"unbalanced',
    "NEAR(a b) * - -- AND OR NOT",
    "title:foo {title}: ^bar",
    "ünïcödé 深度学习 🤖",
    "'; DROP TABLE learning_resource; --",
    "\u200b\u200b",
    "a" * 60 + " " + "b" * 60,
    "*",
    " ".join(["word"] * 200),
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_search_input_is_never_a_500(fields, client, api_client, text):
    assert client.get("/resources/", {"search": text}).status_code == 200
    assert api_client.get("/api/v1/resources/", {"search": text}).status_code == 200


def test_a_query_is_cut_to_a_bounded_number_of_terms():
    query = parse_query(" ".join(f"w{i}" for i in range(50)))
    assert len(query.terms) == MAX_TERMS


def test_operators_and_stop_words_never_become_terms():
    query = parse_query('the "NEAR" * -attention_span')
    assert [term.word for term in query.terms] == ["near", "attention", "span"]


def _indexed_titles(word: str) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT title FROM learning_resource_search WHERE learning_resource_search MATCH %s", [word])
        return [title for (title,) in cursor.fetchall()]


def test_migrate_puts_back_the_index_triggers_a_table_rebuild_drops_and_refills_the_index():
    """SQLite drops a table's triggers with the table, and Django rebuilds `learning_resource` to alter most of its
    columns: after any such migration the index would stop following edits. Every migrate restores them."""
    from django.core.management.sql import emit_post_migrate_signal
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's search needs no index table")
    resource = ResourceFactory(slug="kept", title="Quokka networks")
    with connection.cursor() as cursor:  # what a rebuild of learning_resource leaves behind
        for name in ("learning_resource_search_ai", "learning_resource_search_au", "learning_resource_search_ad"):
            cursor.execute(f"DROP TRIGGER {name}")
    Resource.objects.filter(pk=resource.pk).update(title="Wombat networks")  # an edit the index misses
    assert _indexed_titles("wombat") == []

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    assert _indexed_titles("wombat") == ["Wombat networks"]  # refilled from the catalog
    assert _indexed_titles("quokka") == []
    resource.title = "Numbat networks"
    resource.save()  # and the triggers follow edits again
    assert _indexed_titles("numbat") == ["Numbat networks"]
    assert _indexed_titles("wombat") == []
