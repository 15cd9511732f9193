"""Providers as data: merged spellings, matching by name or alias in both import formats, refusal of unknown ones."""

import json
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from learning.exceptions import LearningError
from learning.models import Provider, Resource
from learning.services import catalog_export_json, catalog_import, catalog_import_file, resources_import_csv

pytestmark = pytest.mark.django_db

FIRST_SHIPPED_CATALOG = Path(__file__).parent / "fixtures" / "catalog_v1_shipped.json"
BEFORE, AFTER = ("learning", "0009_saved_plans"), ("learning", "0010_provider")


def document(provider, *, version=2, providers=None):
    resource = {
        "slug": "intro",
        "title": "Intro",
        "kind": "article",
        "url": "https://learn.example.com/intro",
        "provider": provider,
        "summary": "An intro.",
        "level": "beginner",
        "estimated_minutes": 30,
        "cost": "free",
        "frameworks": ["none"],
        "topics": ["basics"],
        "status": "published",
    }
    doc = {
        "format": "deeppath-catalog",
        "version": version,
        "topics": [{"slug": "basics", "name": "Basics"}],
        "resources": [resource],
    }
    if providers is not None:
        doc["providers"] = providers
    return doc


def test_a_resource_matches_its_provider_by_alias():
    providers = [{"name": "Andrej Karpathy", "url": "https://karpathy.ai/", "aliases": ["Andrej Karpathy (blog)"]}]

    catalog_import(document=document("Andrej Karpathy (blog)", providers=providers))

    assert Resource.objects.get(slug="intro").provider.name == "Andrej Karpathy"
    assert Provider.objects.get().url == "https://karpathy.ai/"


def test_a_file_declaring_its_providers_cannot_name_another_one():
    with pytest.raises(LearningError) as raised:
        catalog_import(document=document("Nobody Knows", providers=[]))

    assert "unknown provider 'Nobody Knows'" in str(raised.value.problems)
    assert not Resource.objects.exists()


@pytest.mark.parametrize("version", [1, 2])
def test_a_file_without_providers_creates_a_new_spelling_with_a_warning(version):
    report = catalog_import(document=document("Some Blog", version=version))

    assert Resource.objects.get().provider.name == "Some Blog"
    assert any("new provider 'Some Blog'" in warning for warning in report.warnings)


def test_a_csv_row_matches_an_alias_and_warns_about_a_new_provider():
    catalog_import(document=document("Academy", providers=[{"name": "Academy", "aliases": ["The Academy"]}]))
    header = "slug,title,kind,url,provider,summary,level,estimated_minutes,cost,frameworks,topics"
    row = "{},Two,article,https://learn.example.com/{},{},A second one.,beginner,30,free,none,basics"

    known = resources_import_csv(text=f"{header}\n{row.format('two', 'two', 'The Academy')}\n")
    new = resources_import_csv(text=f"{header}\n{row.format('three', 'three', 'Elsewhere')}\n")

    assert Resource.objects.get(slug="two").provider.name == "Academy"
    assert known.warnings == []
    assert any("new provider 'Elsewhere'" in warning for warning in new.warnings)


def test_declaring_an_alias_merges_the_provider_of_that_name():
    catalog_import(document=document("Lilian Weng (Lil'Log)", version=1))

    catalog_import(
        document=document("Lilian Weng", providers=[{"name": "Lilian Weng", "aliases": ["Lilian Weng (Lil'Log)"]}])
    )

    assert list(Provider.objects.values_list("name", flat=True)) == ["Lilian Weng"]
    assert Provider.objects.get().aliases == ["Lilian Weng (Lil'Log)"]


def test_two_providers_cannot_claim_the_same_alias():
    providers = [{"name": "A", "aliases": ["Same"]}, {"name": "B", "aliases": ["Same"]}]

    with pytest.raises(LearningError):
        catalog_import(document=document("A", providers=providers))


def test_the_first_catalog_still_imports_after_the_shipped_one_and_maps_to_its_providers(catalog):
    providers_before = Provider.objects.count()

    catalog_import_file(path=FIRST_SHIPPED_CATALOG)

    assert Provider.objects.count() == providers_before
    assert Resource.objects.get(slug="adam-paper").provider.name == "arXiv"


def test_the_shipped_catalog_names_far_fewer_providers_than_the_first_one_had_spellings(catalog):
    first = json.loads(FIRST_SHIPPED_CATALOG.read_text(encoding="utf-8"))
    karpathy = Provider.objects.get(name="Andrej Karpathy")

    assert len({row["provider"] for row in first["resources"]}) == 147
    assert Provider.objects.count() < 110
    assert {"Andrej Karpathy (GitHub)", "Andrej Karpathy on YouTube"} <= set(karpathy.aliases)


def test_export_round_trips_providers(catalog):
    exported = json.loads(catalog_export_json())

    assert {"name", "url", "aliases"} <= exported["providers"][0].keys()
    assert catalog_import(document=exported).changed is False


@pytest.mark.django_db(transaction=True)
def test_the_migration_merges_the_first_catalogs_spellings_into_providers():
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old = executor.loader.project_state([BEFORE]).apps
    old_resource = old.get_model("learning", "Resource")
    first = json.loads(FIRST_SHIPPED_CATALOG.read_text(encoding="utf-8"))
    for row in first["resources"][:60]:
        old_resource.objects.create(
            slug=row["slug"],
            title=row["title"],
            kind=row["kind"],
            url=row["url"],
            provider=row["provider"],
            summary=row["summary"],
            level=row["level"],
            estimated_minutes=row["estimated_minutes"],
            cost=row["cost"],
            status=row["status"],
        )

    executor = MigrationExecutor(connection)
    executor.migrate([AFTER])
    new = executor.loader.project_state([AFTER]).apps
    new_resource, new_provider = new.get_model("learning", "Resource"), new.get_model("learning", "Provider")

    assert new_resource.objects.get(slug="micrograd").provider.name == "Andrej Karpathy"
    assert new_resource.objects.get(slug="karpathy-micrograd-video").provider.name == "Andrej Karpathy"
    assert "Andrej Karpathy (GitHub)" in new_provider.objects.get(name="Andrej Karpathy").aliases
    assert new_resource.objects.count() == 60

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
