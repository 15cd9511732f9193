"""Curriculum checks: the warnings an import reports, and that they catch the first shipped catalog's mistakes."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from learning.models import Resource
from learning.services import catalog_import, catalog_import_file, resources_import_csv
from learning.services.catalog.formats import parse_json
from learning.services.catalog.plan import plan_catalog_document

pytestmark = pytest.mark.django_db

FIRST_SHIPPED_CATALOG = Path(__file__).parent / "fixtures" / "catalog_v1_shipped.json"


def topic(slug, prerequisites=()):
    return {"slug": slug, "name": slug.title(), "summary": "", "prerequisites": list(prerequisites)}


def resource(slug, topics, *, kind="tutorial", level="beginner", minutes=60, prerequisites=()):
    return {
        "slug": slug,
        "title": slug,
        "kind": kind,
        "url": f"https://learn.example.com/{slug}",
        "provider": "Example Academy",
        "summary": "What you get.",
        "level": level,
        "estimated_minutes": minutes,
        "cost": "free",
        "frameworks": ["none"],
        "topics": list(topics),
        "prerequisites": list(prerequisites),
        "status": "published",
    }


def document(resources, steps, topics=None):
    topics = topics if topics is not None else [topic("basics"), topic("advanced-topic", ["basics"])]
    path = {"slug": "a-path", "title": "A path", "summary": "Steps.", "level": "beginner", "status": "published"}
    path["steps"] = [{"resource": slug} for slug in steps]
    return {
        "format": "deeppath-catalog",
        "version": 2,
        "providers": [{"name": "Example Academy"}],
        "topics": list(topics),
        "resources": resources,
        "paths": [path],
    }


def test_a_step_needing_a_topic_only_a_later_step_teaches_is_reported():
    report = catalog_import(
        document=document(
            [resource("uses-advanced", ["advanced-topic"]), resource("teaches-basics", ["basics"])],
            ["uses-advanced", "teaches-basics"],
        )
    )

    assert report.warnings == [
        "paths[0] 'a-path' step 1 'uses-advanced': needs topic 'basics', which this path teaches only later "
        "(step 2 'teaches-basics')"
    ]
    assert "1 warning(s)" in report.summary()


def test_the_same_steps_in_teaching_order_are_not_reported():
    report = catalog_import(
        document=document(
            [resource("uses-advanced", ["advanced-topic"]), resource("teaches-basics", ["basics"])],
            ["teaches-basics", "uses-advanced"],
        )
    )

    assert report.warnings == []


def test_an_extra_prerequisite_taught_later_is_reported_too():
    report = catalog_import(
        document=document(
            [
                resource("needs-basics", ["advanced-topic"], prerequisites=["basics"]),
                resource("basics-101", ["basics"]),
            ],
            ["needs-basics", "basics-101"],
        )
    )

    assert len(report.warnings) == 1
    assert "needs topic 'basics'" in report.warnings[0]


def test_a_step_just_before_an_easier_one_is_reported_unless_it_is_a_paper():
    resources = [
        resource("hard-tutorial", ["basics"], level="advanced"),
        resource("easy-tutorial", ["basics"]),
        resource("hard-paper", ["basics"], kind="paper", level="advanced"),
        resource("easy-project", ["basics"], kind="project"),
    ]

    report = catalog_import(
        document=document(resources, ["hard-tutorial", "easy-tutorial", "hard-paper", "easy-project"])
    )

    assert report.warnings == [
        "paths[0] 'a-path' step 1 'hard-tutorial' (advanced) comes just before the easier step 2 'easy-tutorial' "
        "(beginner); teach the easier one first"
    ]


@pytest.mark.parametrize(
    ("kind", "level", "minutes", "warned"),
    [
        ("book", "advanced", 4000, True),
        ("book", "advanced", 4800, False),
        ("book", "intermediate", 600, True),
        ("book", "beginner", 900, False),
        ("course", "beginner", 60, True),
        ("course", "beginner", 120, False),
        ("tutorial", "beginner", 10, False),
    ],
)
def test_books_and_courses_below_the_floor_for_their_kind_are_reported(kind, level, minutes, warned):
    report = catalog_import(
        document=document([resource("x", ["basics"], kind=kind, level=level, minutes=minutes)], ["x"])
    )

    assert bool(report.warnings) is warned


def test_a_csv_import_reports_implausible_minutes():
    header = "slug,title,kind,url,provider,summary,level,estimated_minutes,cost,frameworks,topics"
    catalog_import(document=document([], [], topics=[topic("basics")]) | {"paths": []})
    row = "big-book,Big Book,book,https://learn.example.com/b,Example Academy,A book.,advanced,300,free,none,basics"

    report = resources_import_csv(text=f"{header}\n{row}\n")

    assert len(report.warnings) == 1
    assert "'big-book'" in report.warnings[0]


def test_the_first_shipped_catalog_is_warned_about_its_known_mistakes():
    warnings = "\n".join(catalog_import_file(path=FIRST_SHIPPED_CATALOG).warnings)

    for too_short in ["deep-learning-book", "probml-book1", "little-book-of-deep-learning"]:
        assert f"'{too_short}': " in warnings
        assert "implausibly low" in warnings
    for harder_first in [
        "'hands-on-pytorch' step 5 'pytorch-what-is-torch-nn'",
        "'nlp-and-transformers' step 8 'annotated-transformer'",
        "'generative-deep-learning' step 9 'hf-annotated-diffusion'",
        "'deep-reinforcement-learning' step 9 'cleanrl'",
    ]:
        assert harder_first in warnings


def test_the_shipped_catalog_has_no_warnings():
    """The import reports its plan's warnings (the checks read the file alone): planning is enough to see them."""
    document = parse_json(settings.DEEPPATH_CATALOG_FILE.read_text(encoding="utf-8"))
    assert plan_catalog_document(document).warnings == []


def test_import_catalog_check_lists_warnings_and_writes_nothing(capsys):
    call_command("import_catalog", str(FIRST_SHIPPED_CATALOG), "--check")

    output = capsys.readouterr().out
    assert "Checked (nothing written)" in output
    assert "! resources[" in output
    assert not Resource.objects.exists()
