"""Catalog import/export: validated whole, applied all-or-nothing, idempotent, and round-trippable."""

import csv
import io
import json
from collections import Counter

import pytest
from django.apps import apps

from learning.exceptions import LearningError
from learning.models import LearningPath, PathStep, PublicationStatus, Resource, Topic, TopicPrerequisite
from learning.services import (
    catalog_export_json,
    catalog_import,
    catalog_import_file,
    catalog_import_text,
    resources_export_csv,
    resources_import_csv,
)
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db

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
    counts = {model._meta.label: model.objects.count() for model in apps.get_app_config("learning").get_models(True)}
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


@pytest.fixture
def imported():
    catalog_import(document=catalog_document())
    ResourceFactory(slug="outside", url=TAKEN_URL, topics=[Topic.objects.get(slug="linear-algebra")])


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


@pytest.fixture
def topics_in_database():
    catalog_import(document=catalog_document())


@pytest.mark.usefixtures("topics_in_database")
def test_a_valid_csv_creates_resources_with_their_relations():
    report = resources_import_csv(text=csv_text([csv_row("attention-talk"), csv_row("gradients-talk")]))

    talk = Resource.objects.get(slug="attention-talk")
    assert report.created == Counter(resources=2)
    assert talk.estimated_minutes == 45
    assert talk.kind == "video"
    assert {f.slug for f in talk.frameworks.all()} == {"pytorch", "tensorflow"}
    assert {t.slug for t in talk.topics.all()} == {"neural-networks", "backpropagation"}
    assert {t.slug for t in talk.prerequisites.all()} == {"linear-algebra"}


@pytest.mark.usefixtures("topics_in_database")
def test_reimporting_the_same_csv_changes_nothing():
    text = csv_text([csv_row("attention-talk"), csv_row("gradients-talk")])
    resources_import_csv(text=text)
    before = updated_ats()

    report = resources_import_csv(text=text)

    assert report.changed is False
    assert report.unchanged == Counter(resources=2)
    assert updated_ats() == before


@pytest.mark.usefixtures("topics_in_database")
def test_bad_csv_rows_are_reported_by_row_number_and_nothing_is_imported():
    rows = [csv_row("fine-talk"), csv_row("slow-talk", estimated_minutes="an hour"), csv_row("odd-talk", kind="gif")]
    before = database_state()

    with pytest.raises(LearningError) as raised:
        resources_import_csv(text=csv_text(rows))

    problems = problems_of(raised)
    assert has_problem(
        problems, "row 3 'slow-talk'", "estimated_minutes", "minutes must be a whole number, got 'an hour'"
    )
    assert has_problem(problems, "row 4 'odd-talk'", "kind")
    assert not has_problem(problems, "row 2")
    assert database_state() == before


@pytest.mark.usefixtures("topics_in_database")
def test_the_first_csv_data_row_is_row_2():
    with pytest.raises(LearningError) as raised:
        resources_import_csv(text=csv_text([csv_row("lost-talk", topics="no-such-topic")]))

    assert has_problem(problems_of(raised), "row 2 'lost-talk'", "unknown topic 'no-such-topic'")


@pytest.mark.usefixtures("topics_in_database")
def test_a_csv_missing_a_required_column_is_refused():
    header = [column for column in CSV_HEADER if column != "url"]

    with pytest.raises(LearningError) as raised:
        resources_import_csv(text=csv_text([csv_row("talk")], header=header))

    assert has_problem(problems_of(raised), "header", "missing column 'url'")
    assert not Resource.objects.filter(slug="talk").exists()


@pytest.mark.usefixtures("topics_in_database")
def test_a_csv_with_an_unknown_column_is_refused():
    text = csv_text([csv_row("talk")], header=[*CSV_HEADER, "rating"])

    with pytest.raises(LearningError) as raised:
        resources_import_csv(text=text)

    assert has_problem(problems_of(raised), "header", "unknown column 'rating'")


@pytest.mark.usefixtures("topics_in_database")
def test_a_csv_row_with_a_url_of_another_resource_is_refused():
    with pytest.raises(LearningError) as raised:
        resources_import_csv(text=csv_text([csv_row("copycat", url="https://learn.example.com/la-course")]))

    assert has_problem(problems_of(raised), "row 2 'copycat'", "already belongs to resource 'la-course'")


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


def test_catalog_import_file_reads_a_json_file(tmp_path):
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(catalog_document()), encoding="utf-8")

    report = catalog_import_file(path=path)

    assert report.created == Counter(topics=3, resources=3, paths=1)


def test_catalog_import_file_refuses_a_txt_file(tmp_path):
    path = tmp_path / "catalog.txt"
    path.write_text(json.dumps(catalog_document()), encoding="utf-8")

    with pytest.raises(LearningError) as raised:
        catalog_import_file(path=path)

    assert raised.value.code == "unsupported_format"
    assert not Resource.objects.exists()


def test_catalog_import_file_refuses_a_missing_file(tmp_path):
    with pytest.raises(LearningError) as raised:
        catalog_import_file(path=tmp_path / "missing.json")

    assert raised.value.code == "unreadable"


def test_catalog_import_file_refuses_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "catalog.json"
    path.write_bytes(b'{"format": "\xff\xfe"}')

    with pytest.raises(LearningError) as raised:
        catalog_import_file(path=path)

    assert raised.value.code == "unreadable"


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


@pytest.mark.usefixtures("topics_in_database")
def test_csv_minutes_written_with_a_non_ascii_digit_are_reported_not_a_crash():
    with pytest.raises(LearningError) as raised:
        resources_import_csv(text=csv_text([csv_row("squared-talk", estimated_minutes="²")]))

    assert has_problem(problems_of(raised), "row 2 'squared-talk'", "estimated_minutes")
