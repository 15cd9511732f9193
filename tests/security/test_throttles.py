"""Throttles count the client's real address: X-Forwarded-For only as far as our own proxies wrote it.

Finding 5 of issue 12: 50 sign-in attempts, each with another X-Forwarded-For, were never throttled.
"""

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from rest_framework.test import APIClient

from learning.client_address import client_address

TOKEN_URL = "/api/v1/auth/token/"
BAD_LOGIN = {"username": "nobody", "password": "wrong"}


@pytest.fixture(autouse=True)
def _strict_auth_rate(settings, db):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"auth": "3/min"}}
    cache.clear()


def _statuses(client, forwarded_for: list[str]) -> list[int]:
    return [client.post(TOKEN_URL, BAD_LOGIN, HTTP_X_FORWARDED_FOR=ip).status_code for ip in forwarded_for]


@pytest.mark.django_db
def test_a_new_forwarded_for_on_each_request_does_not_escape_the_throttle_without_a_proxy(settings):
    settings.DEEPPATH_PROXY_COUNT = 0

    statuses = _statuses(APIClient(), [f"203.0.113.{n}" for n in range(6)])

    assert statuses == [400, 400, 400, 429, 429, 429]


@pytest.mark.django_db
def test_behind_one_proxy_the_address_it_appended_is_the_client(settings):
    settings.DEEPPATH_PROXY_COUNT = 1
    client = APIClient()

    # A client forging entries to the left of what our proxy appended is still one client.
    forged = _statuses(client, [f"198.51.100.{n}, 203.0.113.7" for n in range(4)])
    other_client = _statuses(client, ["203.0.113.8"])

    assert forged == [400, 400, 400, 429]
    assert other_client == [400]


@pytest.mark.parametrize(
    ("proxies", "header", "expected"),
    [
        (0, "1.1.1.1", "10.0.0.1"),
        (0, "", "10.0.0.1"),
        (1, "1.1.1.1, 2.2.2.2", "2.2.2.2"),
        (2, "1.1.1.1, 2.2.2.2, 3.3.3.3", "2.2.2.2"),
        (3, "2.2.2.2", "2.2.2.2"),
        (1, "", "10.0.0.1"),
    ],
)
def test_client_address_trusts_only_as_many_forwarded_entries_as_there_are_proxies(settings, proxies, header, expected):
    settings.DEEPPATH_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=header)

    assert client_address(request) == expected


@pytest.mark.django_db
def test_the_login_lockout_also_ignores_a_forged_forwarded_for(settings):
    """django-axes counts failures per username and client address, the same address as the throttles."""
    from tests.factories import UserFactory

    settings.DEEPPATH_PROXY_COUNT = 0
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"auth": "100/min"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    UserFactory(username="target")
    client = APIClient()
    body = {"username": "target", "password": "wrong"}
    statuses = [
        client.post(TOKEN_URL, body, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(settings.AXES_FAILURE_LIMIT + 1)
    ]

    assert statuses[-1] == 429
