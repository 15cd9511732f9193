"""Issue 12 finding 1: the catalog's numbers are bounded by the model AND the database; imports say which field."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.urls import reverse

from learning.exceptions import LearningError
from learning.models import Framework, PathStep, Resource
from learning.models.catalog import MAX_ESTIMATED_MINUTES, MAX_POSITION
from learning.services import catalog_import, resources_import_csv
from tests.factories import LearningPathFactory, ResourceFactory
from tests.learning.catalog_documents import (
    catalog_document,
    csv_row,
    csv_text,
    database_state,
    has_problem,
    problems_of,
)
from tests.learning.test_admin import _upload

pytestmark = pytest.mark.django_db
ATTACK = 2_147_483_648  # one past int32: the value that took recommendations down on SQLite
# SQLite answers an out-of-range value with the CHECK constraint; PostgreSQL's integer column may refuse it first.
REFUSED = (IntegrityError, DataError)


@pytest.mark.parametrize("minutes", [0, MAX_ESTIMATED_MINUTES + 1, ATTACK, 2**63])
def test_full_clean_refuses_minutes_outside_the_bounds(minutes):
    resource = ResourceFactory.build(estimated_minutes=minutes)
    with pytest.raises(ValidationError) as raised:
        resource.full_clean(exclude=["frameworks", "topics", "prerequisites"])
    assert "estimated_minutes" in raised.value.message_dict


def test_full_clean_accepts_the_largest_valid_minutes():
    ResourceFactory.build(estimated_minutes=MAX_ESTIMATED_MINUTES).full_clean(validate_unique=False)


@pytest.mark.parametrize("minutes", [0, MAX_ESTIMATED_MINUTES + 1, ATTACK])
def test_the_database_refuses_minutes_outside_the_bounds(minutes):
    resource = ResourceFactory()
    with pytest.raises(REFUSED), transaction.atomic():
        Resource.objects.filter(pk=resource.pk).update(estimated_minutes=minutes)


def test_the_database_refuses_positions_outside_the_bounds():
    step = PathStep.objects.create(path=LearningPathFactory(), resource=ResourceFactory(), position=1)
    with pytest.raises(REFUSED), transaction.atomic():
        PathStep.objects.filter(pk=step.pk).update(position=MAX_POSITION + 1)
    with pytest.raises(REFUSED), transaction.atomic():
        Framework.objects.filter(slug="none").update(position=MAX_POSITION + 1)


def test_full_clean_refuses_positions_outside_the_bounds():
    with pytest.raises(ValidationError) as raised:
        Framework(slug="big", name="Big", position=MAX_POSITION + 1).full_clean()
    assert "position" in raised.value.message_dict


@pytest.mark.parametrize("minutes", [0, MAX_ESTIMATED_MINUTES + 1, ATTACK])
def test_a_json_import_with_out_of_range_minutes_names_the_field_and_writes_nothing(minutes):
    document = catalog_document()
    document["resources"][0]["estimated_minutes"] = minutes
    before = database_state()
    with pytest.raises(LearningError) as raised:
        catalog_import(document=document)
    assert has_problem(problems_of(raised), "la-course", "estimated_minutes")
    assert database_state() == before


@pytest.mark.usefixtures("topics_in_database")
def test_a_csv_import_with_out_of_range_minutes_names_the_field_and_writes_nothing():
    before = database_state()
    with pytest.raises(LearningError) as raised:
        resources_import_csv(text=csv_text([csv_row("huge-talk", estimated_minutes=str(ATTACK))]))
    assert has_problem(problems_of(raised), "row 2 'huge-talk'", "estimated_minutes", str(MAX_ESTIMATED_MINUTES))
    assert database_state() == before


def test_the_admin_import_lists_out_of_range_minutes_and_writes_nothing(admin_client):
    document = catalog_document()
    document["resources"][0]["estimated_minutes"] = ATTACK
    response = admin_client.post(
        reverse("admin:learning_catalog_import"), {"file": _upload("catalog.json", json.dumps(document))}
    )
    assert response.status_code == 200
    assert any("estimated_minutes" in problem for problem in response.context["problems"])
    assert Resource.objects.count() == 0
