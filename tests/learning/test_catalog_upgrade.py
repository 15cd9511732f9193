"""`make run` on a database holding the first shipped catalog: new rows arrive, curators' edits and progress stay."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from learning.models import ImportedRow, LearningPath, Progress, ProgressStatus, Resource, Topic
from learning.services import catalog_import, catalog_import_file, catalog_upgrade_file

pytestmark = pytest.mark.django_db

FIRST_SHIPPED_CATALOG = Path(__file__).parent / "fixtures" / "catalog_v1_shipped.json"


def _first_catalog() -> None:
    shipped = json.loads(settings.DEEPPATH_CATALOG_FILE.read_text(encoding="utf-8"))
    catalog_import(document={"format": "deeppath-catalog", "version": 2, "providers": shipped["providers"]})
    catalog_import_file(path=FIRST_SHIPPED_CATALOG)
    ImportedRow.objects.all().delete()


@pytest.fixture
def first_site(learner, built_once):
    """A site set up before this upgrade existed: the first catalog imported, no import fingerprints recorded
    (providers as the provider migration leaves them), a learner's progress, and a curator's edit."""
    built_once("first-catalog", _first_catalog)
    Progress.objects.create(
        learner=learner,
        resource=Resource.objects.get(slug="nanogpt"),
        status=ProgressStatus.COMPLETED,
        completed_at=timezone.now(),
    )
    Resource.objects.filter(slug="adam-paper").update(summary="Our curator's own summary of Adam.")
    return learner


def test_upgrading_the_first_catalog_adds_and_updates_rows_and_keeps_edits_and_progress(first_site):
    # One upgrade, every promise checked on it: each upgrade of the whole catalog costs seconds.
    report = catalog_upgrade_file(path=settings.DEEPPATH_CATALOG_FILE)

    shipped = json.loads(settings.DEEPPATH_CATALOG_FILE.read_text(encoding="utf-8"))
    assert Topic.objects.count() == len(shipped["topics"])
    assert Resource.objects.count() == len(shipped["resources"])
    assert LearningPath.objects.count() == len(shipped["paths"])
    assert Resource.objects.get(slug="nyu-deep-learning").url == "https://atcold.github.io/NYU-DLSP20/"
    assert Resource.objects.get(slug="nanogpt").status == "archived"
    assert report.warnings == []
    # A curator's edit stays, and the report says so.
    assert Resource.objects.get(slug="adam-paper").summary == "Our curator's own summary of Adam."
    assert report.kept == {"resources": ["adam-paper"]}
    assert "1 row(s) a curator edited kept as they are" in report.summary()
    # Learners' progress stays, even on a resource the upgrade archived.
    progress = Progress.objects.get(learner=first_site)
    assert (progress.resource.slug, progress.status) == ("nanogpt", ProgressStatus.COMPLETED)


def test_a_second_upgrade_changes_nothing_and_still_keeps_the_edit(first_site):
    catalog_upgrade_file(path=settings.DEEPPATH_CATALOG_FILE)

    report = catalog_upgrade_file(path=settings.DEEPPATH_CATALOG_FILE)

    assert report.changed is False
    assert report.kept == {"resources": ["adam-paper"]}


def test_an_edit_after_an_upgrade_is_kept_by_the_next_one(first_site):
    catalog_upgrade_file(path=settings.DEEPPATH_CATALOG_FILE)
    Topic.objects.filter(slug="calculus").update(summary="Edited after the upgrade.")

    report = catalog_upgrade_file(path=settings.DEEPPATH_CATALOG_FILE)

    assert Topic.objects.get(slug="calculus").summary == "Edited after the upgrade."
    assert "calculus" in report.kept["topics"]


def test_a_plain_import_overwrites_edits_as_make_catalog_promises(first_site):
    catalog_import_file(path=settings.DEEPPATH_CATALOG_FILE)

    assert Resource.objects.get(slug="adam-paper").summary != "Our curator's own summary of Adam."


def test_make_run_upgrades_an_empty_database_too(capsys):
    call_command("import_catalog", str(settings.DEEPPATH_CATALOG_FILE), "--upgrade")

    assert Resource.objects.published().count() >= 330
    assert "Imported catalog.json" in capsys.readouterr().out
