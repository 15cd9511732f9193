"""Every /api/v1/me/ operation, found in the URL configuration: another learner's token never reads or changes
the first learner's rows, and no token gets a JSON 401."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from knox.models import AuthToken

from learning.models import (
    Dismissal,
    Interaction,
    LearnerProfile,
    LearningPath,
    PathEnrollment,
    PathShare,
    Progress,
)
from learning.services import dismissal_record, progress_record
from learning.services.shares import path_share_create
from tests.api.conftest import assert_error, client_for, make_learner
from tests.factories import InteractionFactory, LearningPathFactory, ResourceFactory, TopicFactory

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")
PREFIX = "api/v1/me/"
SECRETS = ("victim-vera", "vera@victim.example", "vera-secret-comment", "vera-secret-event")


def _routes(patterns, prefix: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def me_operations() -> list[tuple[str, str]]:
    operations = []
    for route, callback in _routes(get_resolver().url_patterns):
        if not route.startswith(PREFIX):
            continue
        actions = getattr(callback, "actions", None)
        view = getattr(callback, "cls", None)
        methods = list(actions) if actions else [m for m in METHODS if view is not None and hasattr(view, m)]
        operations += [(route, method) for method in methods]
    return operations


OPERATIONS = me_operations()

# Valid input for each writing operation, so the request reaches the service instead of stopping at validation.
BODIES = {
    ("api/v1/me/", "patch"): lambda w: {"level": "advanced", "weekly_hours": 9, "goal_topics": [], "frameworks": []},
    ("api/v1/me/progress/<id:resource_id>/", "put"): lambda w: {"status": "saved", "percent": 10},
    ("api/v1/me/events/", "post"): lambda w: {
        "events": [
            {
                "client_event_id": client_id,
                "resource_id": w["progress"].pk,
                "kind": kind,
                "value": None,
                "occurred_at": timezone.now().isoformat(),
            }
            # The victim's own event id among them: ids are per learner.
            for client_id, kind in (("vera-secret-event", "completed"), ("mallory-viewed", "viewed"))
        ]
    },
    ("api/v1/me/recommendations/<id:resource_id>/dismiss/", "post"): lambda w: {"reason": "other"},
    ("api/v1/me/plans/", "post"): lambda w: {"goal": "victim-goal"},
    ("api/v1/me/shares/", "post"): lambda w: {"path": w["path"].slug, "show_name": True},
}
QUERIES = {("api/v1/me/plan/", "get"): lambda w: {"goal": "victim-goal"}}


def test_the_matrix_covers_every_learner_operation():
    assert len(OPERATIONS) >= 10
    assert {("api/v1/me/", "get"), ("api/v1/me/progress/<id:resource_id>/", "delete")} <= set(OPERATIONS)
    writes = {op for op in OPERATIONS if op[1] in {"post", "put", "patch"}}
    assert writes <= set(BODIES), f"add a valid body for {writes - set(BODIES)}"


@pytest.fixture
def victim(db):
    """A learner with a bit of everything: profile choices, progress, a dismissal, events, a path, tokens."""
    user = make_learner("victim-vera")
    get_user_model().objects.filter(pk=user.pk).update(email="vera@victim.example")
    goal = TopicFactory(slug="victim-goal")
    started, dismissed = ResourceFactory(topics=[goal]), ResourceFactory(topics=[goal])
    profile = LearnerProfile.objects.get(user=user)
    profile.goal_topics.set([goal])
    progress_record(learner=user, resource=started, status="completed", rating=4)
    dismissal_record(learner=user, resource=dismissed, reason="too_hard", comment="vera-secret-comment")
    InteractionFactory(learner=user, resource=started, client_event_id="vera-secret-event")
    path = LearningPathFactory()
    PathEnrollment.objects.create(learner=user, path=path)
    share = path_share_create(learner=user, path=path)
    AuthToken.objects.create(user)
    return {"user": user, "progress": started, "dismissed": dismissed, "path": path, "share": share}


def _snapshot(user) -> dict:
    """Every row that belongs to the learner, as plain values."""
    profile = LearnerProfile.objects.get(user=user)
    return {
        "user": get_user_model().objects.filter(pk=user.pk).values().get(),
        "profile": LearnerProfile.objects.filter(pk=profile.pk).values().get(),
        "goals": sorted(profile.goal_topics.values_list("pk", flat=True)),
        "known": sorted(profile.known_topics.values_list("pk", flat=True)),
        "frameworks": sorted(profile.preferred_frameworks.values_list("pk", flat=True)),
        "progress": list(Progress.objects.filter(learner=user).order_by("pk").values()),
        "dismissals": list(Dismissal.objects.filter(learner=user).order_by("pk").values()),
        "interactions": list(Interaction.objects.filter(learner=user).order_by("pk").values()),
        "enrollments": list(PathEnrollment.objects.filter(learner=user).order_by("pk").values()),
        "saved_plans": list(LearningPath.objects.filter(owner=user).order_by("pk").values()),
        "shares": list(PathShare.objects.filter(learner=user).order_by("pk").values()),
        "tokens": sorted(AuthToken.objects.filter(user=user).values_list("digest", "expiry")),
    }


def _request(client, route: str, method: str, victim: dict, resource_key: str):
    url = "/" + re.sub(r"<\w+:resource_id>", str(victim[resource_key].pk), route)
    url = url.replace("<str:token>", victim["share"].token)
    assert not re.search(r"<[^>]+>", url), f"the matrix does not know how to fill {url}"
    body = BODIES.get((route, method), lambda w: None)(victim)
    query = QUERIES.get((route, method), lambda w: None)(victim)
    if method == "get":
        return client.get(url, query)
    return getattr(client, method)(url, body, format="json")


@pytest.mark.parametrize("resource_key", ["progress", "dismissed"])
@pytest.mark.parametrize(("route", "method"), OPERATIONS)
def test_another_learner_never_reads_or_changes_the_first_learners_rows(victim, route, method, resource_key):
    before = _snapshot(victim["user"])
    response = _request(client_for(make_learner("mallory")), route, method, victim, resource_key)
    assert response.status_code < 500
    assert _snapshot(victim["user"]) == before
    text, sent = response.content.decode(), str(BODIES.get((route, method), lambda w: "")(victim))
    assert not [secret for secret in SECRETS if secret in text and secret not in sent]
    if route == "api/v1/me/events/":  # the victim's event id is news to this learner: no "duplicate" leaks it
        assert {item["outcome"] for item in response.json()["events"]} == {"applied"}
    if route.endswith("<id:resource_id>/") and method == "get":
        assert_error(response, 404)


@pytest.mark.parametrize(("route", "method"), OPERATIONS)
def test_without_a_token_every_learner_operation_answers_json_401(api_client, victim, route, method):
    before = _snapshot(victim["user"])
    assert_error(_request(api_client, route, method, victim, "progress"), 401, "not_authenticated")
    assert _snapshot(victim["user"]) == before
