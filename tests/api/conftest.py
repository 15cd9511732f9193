import pytest
from django.core.cache import cache
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import LearnerProfileFactory, ResourceFactory, TopicFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_passwords_and_fresh_throttles(settings):
    """Quick password hashing (users are made in every test) and no throttle history carried between tests.

    Cleared before each test only: afterwards a test's own monkeypatches (a broken database) may still be in place.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()


def token_for(user) -> str:
    return AuthToken.objects.create(user)[1]


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def learner_client(learner):
    return client_for(learner)


@pytest.fixture
def other_client(other_learner):
    return client_for(other_learner)


@pytest.fixture
def small_catalog(db):
    """Two topics (basics before networks), three published resources and a draft one."""
    basics = TopicFactory(slug="basics", name="Basics")
    networks = TopicFactory(slug="networks", name="Networks")
    networks.prerequisite_links.create(prerequisite=basics)
    return {
        "topics": (basics, networks),
        "resources": [
            ResourceFactory(slug="intro", title="Intro", topics=[basics], kind="course", estimated_minutes=60),
            ResourceFactory(slug="nets", title="Nets", topics=[networks], kind="article", estimated_minutes=20),
            ResourceFactory(slug="deep", title="Deep", topics=[networks], kind="video", level="intermediate"),
        ],
        "draft": ResourceFactory(slug="draft", title="Draft", topics=[basics], status="draft"),
    }


def make_learner(username: str):
    return LearnerProfileFactory(user=UserFactory(username=username)).user


def assert_error(response, status: int, code: str | None = None) -> dict:
    """The one error shape, with the given status (and code)."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"}
    assert isinstance(error["fields"], dict)
    if code is not None:
        assert error["code"] == code
    return error
