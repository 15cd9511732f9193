"""Usernames are NFKC-normalised, ASCII only and unique whatever their case, by a database index too.

Finding 7 of issue 12: "Ａlice" (fullwidth) was stored as "Alice" beside "alice", Cyrillic "аlice" was accepted, and
6 case variants registered at the same moment on PostgreSQL made 2 accounts.
"""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, connections, transaction
from rest_framework.test import APIClient

from tests.factories import UserFactory

REGISTER = "/api/v1/auth/register/"
PASSWORD = "a-Long-passphrase-42"


@pytest.fixture(autouse=True)
def _fast_passwords_and_room_to_register(settings, db):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"auth": "1000/min"}}


def _register(username: str, client=None):
    client = client or APIClient()
    return client.post(REGISTER, {"username": username, "email": "x@example.com", "password": PASSWORD}, format="json")


@pytest.mark.parametrize(
    ("existing", "look_alike"),
    [("alice", "Ａlice"), ("alice", "ALICE"), ("admin", "ＡDMIN"), ("alice", "ａｌｉｃｅ")],
)
def test_a_name_that_normalises_to_an_existing_one_in_any_case_is_refused(existing, look_alike):
    UserFactory(username=existing)

    response = _register(look_alike)

    assert response.status_code == 400, response.content
    assert "username" in response.json()["error"]["fields"]
    assert get_user_model().objects.count() == 1


@pytest.mark.parametrize("name", ["аlice", "alicе", "αlice", "ali ce", "a/b", "émile", ""])
def test_names_outside_ascii_letters_digits_and_few_signs_are_refused(name):
    response = _register(name)

    assert response.status_code == 400, response.content
    assert "username" in response.json()["error"]["fields"]
    assert not get_user_model().objects.exists()


def test_a_fullwidth_name_is_stored_in_its_normal_form():
    assert _register("Ｇrace").status_code == 201
    assert get_user_model().objects.get().username == "Grace"


def test_web_sign_up_refuses_a_cyrillic_look_alike(client):
    data = {"username": "аlice", "email": "a@example.com", "password1": PASSWORD, "password2": PASSWORD}

    response = client.post("/accounts/signup/", data)

    assert response.status_code == 400
    assert "English letters" in response.content.decode()
    assert not get_user_model().objects.exists()


def test_the_database_refuses_a_second_account_differing_only_in_case():
    UserFactory(username="alice")

    with pytest.raises(IntegrityError), transaction.atomic():
        get_user_model().objects.create(username="ALICE")


def test_sign_in_finds_the_account_whatever_the_case_or_width_typed():
    UserFactory(username="alice")
    client = APIClient()

    for typed in ("ALICE", "Ａlice"):
        response = client.post("/api/v1/auth/token/", {"username": typed, "password": "correct-horse-battery-staple"})
        assert response.status_code == 200, response.content


def test_failed_sign_ins_in_any_case_count_toward_one_lockout(settings):
    UserFactory(username="alice")
    client = APIClient()
    typed = ["alice", "ALICE", "Alice", "aLICE", "ａlice", "alicE"][: settings.AXES_FAILURE_LIMIT + 1]

    statuses = [client.post("/api/v1/auth/token/", {"username": t, "password": "wrong"}).status_code for t in typed]

    assert statuses[-1] == 429


@pytest.mark.django_db(transaction=True)
def test_six_case_variants_registered_at_once_make_one_account():
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers: run with DATABASE_URL=postgres://...")
    variants = ["bob", "Bob", "BOB", "bOb", "boB", "BoB"]
    start = threading.Barrier(len(variants))
    statuses: list[int] = []

    def register(name: str) -> None:
        try:
            client = APIClient()
            start.wait()
            statuses.append(_register(name, client).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(name,)) for name in variants]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(statuses) == [201] + [400] * 5
    assert get_user_model().objects.filter(username__iexact="bob").count() == 1
