"""A bad catalog document is refused whole, with every problem listed by row, and leaves the database as it was."""

import json

import pytest

from learning.exceptions import LearningError
from learning.services import (
    catalog_import,
    catalog_import_text,
)
from tests.learning.catalog_documents import (
    TAKEN_URL,
    catalog_document,
    database_state,
    edited_document,
    has_problem,
    problems_of,
    topic,
)

pytestmark = pytest.mark.django_db


def remove_key(section, index, key):
    def mutate(document):
        del document[section][index][key]

    return mutate


def set_value(section, index, key, value):
    def mutate(document):
        document[section][index][key] = value

    return mutate


def append_step(slug):
    def mutate(document):
        document["paths"][0]["steps"].append({"resource": slug})

    return mutate


def duplicate_url(document):
    document["resources"][2]["url"] = document["resources"][0]["url"]


def file_cycle(document):
    document["topics"][0]["prerequisites"] = ["backpropagation"]


def cycle_with_database_edges(document):
    document["topics"] = [topic("linear-algebra", "Linear algebra", ["backpropagation"])]


def top_level(key, value):
    def mutate(document):
        document[key] = value

    return mutate


BAD_DOCUMENTS = [
    ("missing-field", remove_key("resources", 1, "url"), ["resources[1] 'nn-article'", "missing field 'url'"]),
    (
        "unknown-resource-topic",
        set_value("resources", 2, "topics", ["quantum-computing"]),
        ["resources[2] 'backprop-project'", "unknown topic 'quantum-computing'"],
    ),
    (
        "unknown-topic-prerequisite",
        set_value("topics", 1, "prerequisites", ["calculus-ii"]),
        ["topics[1] 'neural-networks'", "prerequisites: unknown topic 'calculus-ii'"],
    ),
    (
        "unknown-resource-prerequisite",
        set_value("resources", 0, "prerequisites", ["set-theory"]),
        ["resources[0] 'la-course'", "prerequisites: unknown topic 'set-theory'"],
    ),
    ("cycle-in-file", file_cycle, ["topics", "prerequisite cycle"]),
    ("cycle-with-database", cycle_with_database_edges, ["topics", "prerequisite cycle"]),
    ("duplicate-url-in-file", duplicate_url, ["resources[2] 'backprop-project'", "duplicate url"]),
    (
        "url-of-another-resource",
        set_value("resources", 1, "url", TAKEN_URL),
        ["resources[1] 'nn-article'", "already belongs to resource 'outside'"],
    ),
    ("unknown-kind", set_value("resources", 0, "kind", "podcast"), ["resources[0] 'la-course'", "kind"]),
    (
        "unknown-framework",
        set_value("resources", 1, "frameworks", ["mxnet"]),
        ["resources[1] 'nn-article'", "unknown framework 'mxnet'"],
    ),
    ("unknown-field", set_value("resources", 1, "rating", 5), ["resources[1] 'nn-article'", "unknown field 'rating'"]),
    ("unknown-step-resource", append_step("ghost"), ["paths[0] 'foundations'", "unknown resource 'ghost'"]),
    ("repeated-step", append_step("la-course"), ["paths[0] 'foundations'", "'la-course' appears 2 times"]),
    ("wrong-format", top_level("format", "other-catalog"), ["top level", "'format'"]),
    ("wrong-version", top_level("version", 3), ["top level", "'version'"]),
    ("version-as-string", top_level("version", "1"), ["top level", "'version'"]),
    ("minutes-as-string", set_value("resources", 2, "estimated_minutes", "90"), ["resources[2]", "whole number"]),
    ("zero-minutes", set_value("resources", 2, "estimated_minutes", 0), ["resources[2]", "estimated_minutes"]),
    ("bad-url", set_value("resources", 0, "url", "not a url"), ["resources[0] 'la-course'", "url"]),
    ("unknown-top-level-field", top_level("authors", []), ["top level", "unknown field 'authors'"]),
]


@pytest.mark.usefixtures("imported")
@pytest.mark.parametrize(
    ("mutate", "fragments"), [case[1:] for case in BAD_DOCUMENTS], ids=[c[0] for c in BAD_DOCUMENTS]
)
def test_a_bad_document_is_refused_whole_and_leaves_the_database_as_it_was(mutate, fragments):
    document = edited_document()
    mutate(document)
    before = database_state()

    with pytest.raises(LearningError) as raised:
        catalog_import(document=document)

    assert has_problem(problems_of(raised), *fragments), problems_of(raised)
    assert database_state() == before


@pytest.mark.usefixtures("imported")
def test_broken_json_text_is_refused_and_leaves_the_database_as_it_was():
    text = json.dumps(edited_document())[:-10]
    before = database_state()

    with pytest.raises(LearningError) as raised:
        catalog_import_text(text=text, file_format="json")

    assert problems_of(raised)[0].startswith("JSON:")
    assert database_state() == before


def test_a_document_that_is_not_an_object_is_refused():
    with pytest.raises(LearningError) as raised:
        catalog_import_text(text="[1, 2, 3]", file_format="json")

    assert has_problem(problems_of(raised), "top level")


def test_an_unknown_text_format_is_refused():
    with pytest.raises(LearningError) as raised:
        catalog_import_text(text="{}", file_format="yaml")

    assert raised.value.code == "unsupported_format"


@pytest.mark.usefixtures("imported")
def test_every_problem_of_a_file_is_listed_not_just_the_first():
    document = edited_document()
    document["resources"][0]["kind"] = "podcast"
    document["resources"][1]["frameworks"] = ["mxnet"]
    document["paths"][0]["steps"].append({"resource": "ghost"})
    document["version"] = 7

    with pytest.raises(LearningError) as raised:
        catalog_import(document=document)

    problems = problems_of(raised)
    assert has_problem(problems, "resources[0] 'la-course'", "kind")
    assert has_problem(problems, "resources[1] 'nn-article'", "unknown framework 'mxnet'")
    assert has_problem(problems, "paths[0] 'foundations'", "unknown resource 'ghost'")
    assert has_problem(problems, "top level", "'version'")
    assert "4 problem(s)" in raised.value.message


@pytest.mark.parametrize(
    ("mutate", "label"),
    [
        (set_value("resources", 0, "frameworks", None), "resources[0] 'la-course'"),
        (set_value("resources", 1, "topics", None), "resources[1] 'nn-article'"),
        (set_value("paths", 0, "steps", None), "paths[0] 'foundations'"),
    ],
    ids=["frameworks", "topics", "steps"],
)
def test_a_null_required_list_is_reported_as_a_problem_of_its_row(mutate, label):
    document = catalog_document()
    mutate(document)

    with pytest.raises(LearningError) as raised:
        catalog_import(document=document)

    assert has_problem(problems_of(raised), label)


def test_a_step_with_null_required_is_reported_as_a_problem_of_its_path():
    document = catalog_document()
    document["paths"][0]["steps"][0]["required"] = None

    with pytest.raises(LearningError) as raised:
        catalog_import(document=document)

    assert has_problem(problems_of(raised), "paths[0] 'foundations' step 1", "required")


def test_version_true_is_not_taken_for_version_1():
    document = catalog_document()
    document["version"] = True

    with pytest.raises(LearningError) as raised:
        catalog_import(document=document)

    assert has_problem(problems_of(raised), "top level", "'version'")
