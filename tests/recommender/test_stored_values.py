"""Serving and training survive any stored value, even one written around the model's validation (raw SQL)."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from learning.models import Progress, Resource
from learning.models.choices import STATUS_EVENT
from learning.services import progress_record
from learning.services.demo import demo_learners_seed
from recommender import services
from recommender.data import learner_state, load_catalog_snapshot
from recommender.selectors import recommendation_list
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db
ATTACK = 2_147_483_648


def out_of_range_minutes() -> int:
    """The attack's value on SQLite (any 64-bit integer fits); on PostgreSQL the integer column itself stops it,
    so the largest out-of-range value it can hold stands in."""
    return ATTACK if connection.vendor == "sqlite" else 2_147_483_647


def write_around_the_constraints(sql: str, params: list) -> None:
    """Store a row the CHECK constraints would refuse, as a database migrated from before them may hold."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA ignore_check_constraints = ON")
            try:
                cursor.execute(sql, params)
            finally:
                cursor.execute("PRAGMA ignore_check_constraints = OFF")
        else:
            table = Resource._meta.db_table
            # The fixtures' inserts leave deferred foreign-key checks pending, and PostgreSQL refuses ALTER TABLE
            # while they are: run them now (the data is consistent, so they pass).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT resource_minutes_range")  # rolled back after
            cursor.execute(sql, params)


def store_huge_minutes():
    resource = Resource.objects.published().order_by("pk").first()
    write_around_the_constraints(
        f"UPDATE {Resource._meta.db_table} SET estimated_minutes = %s WHERE id = %s",  # noqa: S608
        [out_of_range_minutes(), resource.pk],
    )
    assert Resource.objects.get(pk=resource.pk).estimated_minutes == out_of_range_minutes()
    return resource


@pytest.fixture
def huge_minutes(catalog):
    return store_huge_minutes()


def test_the_catalog_arrays_clip_an_out_of_range_value_and_log_it(huge_minutes, caplog):
    with caplog.at_level(logging.WARNING, logger="recommender.data.catalog"):
        catalog = load_catalog_snapshot()
    row = catalog.index_of[huge_minutes.pk]
    assert catalog.minutes[row] == 20_000
    assert catalog.cards[row].estimated_minutes == 20_000
    assert f"Resource {huge_minutes.pk} has estimated_minutes={out_of_range_minutes()}" in caplog.text


def test_recommendations_dashboard_plan_and_health_survive_an_out_of_range_value(huge_minutes, learner, client):
    api = client_for(learner)
    assert api.get("/api/v1/me/recommendations/").status_code == 200
    assert api.get("/api/v1/me/plan/", {"goal": huge_minutes.topics.first().slug}).status_code == 200
    client.force_login(learner)
    assert client.get("/dashboard/").status_code == 200
    health = api.get("/api/v1/health/")
    assert (health.status_code, health.json()["status"]) == (200, "ok")


def test_training_survives_an_out_of_range_value(catalog):
    demo_learners_seed(learners=40, seed=3, anchor=datetime(2026, 6, 1, tzinfo=UTC))
    store_huge_minutes()
    report = services.recommender_train()
    assert report.run.status in {"active", "rejected"}, report.reason


def _broken_catalog_build():
    raise OverflowError("Python integer out of bounds for int32")


def test_health_is_degraded_not_ok_when_the_catalog_arrays_cannot_be_built(client, monkeypatch, db):
    monkeypatch.setattr("recommender.data.catalog.load_catalog_snapshot", _broken_catalog_build)
    response = client.get("/api/v1/health/")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert "catalog" in response.json()["reason"]


def test_a_failed_catalog_rebuild_keeps_the_last_snapshot_serving_and_health_degraded(
    catalog, learner, client, settings, monkeypatch
):
    api = client_for(learner)
    before = api.get("/api/v1/me/recommendations/").json()
    assert client.get("/api/v1/health/").json()["status"] == "ok"
    settings.DEEPPATH_CATALOG_CACHE_SECONDS = 0  # every request now wants a fresh snapshot
    monkeypatch.setattr("recommender.data.catalog.load_catalog_snapshot", _broken_catalog_build)
    assert api.get("/api/v1/me/recommendations/").json() == before
    health = client.get("/api/v1/health/").json()
    assert (health["status"], health["reason"]) == ("degraded", "the catalog arrays cannot be built (OverflowError)")
    monkeypatch.undo()
    settings.DEEPPATH_CATALOG_CACHE_SECONDS = 0
    assert api.get("/api/v1/me/recommendations/").status_code == 200
    assert client.get("/api/v1/health/").json()["status"] == "ok"


# Issue 13: a learner whose older rows were written by another client (aware timestamps) then writes through the
# app (naive UTC text on SQLite); the raw progress read must order both kinds.
def test_learner_state_orders_rows_stored_naive_and_aware(catalog, learner):
    first, second, third = Resource.objects.published().order_by("pk")[:3]
    moment = timezone.now() - timedelta(days=2)
    aware_text = (moment.isoformat(sep=" ")) if connection.vendor == "sqlite" else moment
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Progress._meta.db_table} "  # noqa: S608
            "(learner_id, resource_id, status, percent, rating, started_at, completed_at, created_at, updated_at) "
            "VALUES (%s, %s, 'in_progress', 40, NULL, %s, NULL, %s, %s)",
            [learner.pk, first.pk, aware_text, aware_text, aware_text],
        )
    progress_record(learner=learner, resource=second, status="completed")
    progress_record(learner=learner, resource=third, status="saved")
    state = learner_state(learner)
    assert [row[0] for row in state.progress] == [first.pk, second.pk, third.pk]  # oldest activity first
    assert recommendation_list(learner=learner)
    assert client_for(learner).get("/api/v1/me/recommendations/").status_code == 200


def test_a_progress_row_weighs_what_its_events_weigh_in_training():
    """Serving weighs a progress row through the core's one rule, as training weighs the same events."""
    from recommender.core.weights import aggregate_weights
    from recommender.scoring import progress_weight

    cases = [("completed", None, 100), ("completed", 1, 100), ("in_progress", None, 40), ("in_progress", 5, 90)]
    cases += [("saved", None, 0), ("skipped", 3, 0)]
    for status, rating, percent in cases:
        # The events that make such a row in the log: its status, the progress of one in progress, its rating.
        kinds, values = [STATUS_EVENT[status]], [float("nan")]
        if status == "in_progress":
            kinds, values = [*kinds, "progressed"], [*values, float(percent)]
        if rating is not None:
            kinds, values = [*kinds, "rated"], [*values, float(rating)]
        expected = aggregate_weights([0] * len(kinds), [0] * len(kinds), kinds, values)[2][0]
        assert progress_weight(status, rating, percent) == pytest.approx(float(expected))
