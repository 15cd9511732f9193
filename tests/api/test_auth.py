from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from knox.models import AuthToken

from learning.models import LearnerProfile
from tests.api.conftest import assert_error, client_for, token_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"


def _me(client, token: str):
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get("/api/v1/me/")


def test_registering_creates_the_learner_with_a_profile_and_answers_a_token(api_client):
    body = {"username": "linus", "email": "linus@example.com", "password": PASSWORD}
    response = api_client.post("/api/v1/auth/register/", body)
    assert response.status_code == 201
    data = response.json()
    assert data["user"] == {"username": "linus", "email": "linus@example.com"}
    assert data["expires_at"]
    assert LearnerProfile.objects.filter(user__username="linus").exists()
    assert _me(api_client, data["token"]).json()["username"] == "linus"


def test_registering_a_taken_username_names_the_field(api_client, learner):
    body = {"username": "ada", "email": "other@example.com", "password": PASSWORD}
    error = assert_error(api_client.post("/api/v1/auth/register/", body), 400, "invalid")
    assert "username" in error["fields"]


def test_a_token_is_stored_hashed_and_expires_after_the_configured_days(api_client, learner):
    response = api_client.post("/api/v1/auth/token/", {"username": "ada", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    stored = AuthToken.objects.get(user=learner)
    assert token not in (stored.digest, stored.token_key)
    assert timedelta(days=29) < stored.expiry - timezone.now() <= timedelta(days=30)


def test_wrong_credentials_are_refused_without_saying_which_part_was_wrong(api_client, learner):
    response = api_client.post("/api/v1/auth/token/", {"username": "ada", "password": "wrong"})
    assert_error(response, 400, "invalid_credentials")
    assert not AuthToken.objects.exists()


def test_repeated_failures_lock_the_username_out_even_with_the_right_password(api_client, learner, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert_error(api_client.post("/api/v1/auth/token/", {"username": "ada", "password": "x"}), 400)
    locked = api_client.post("/api/v1/auth/token/", {"username": "ada", "password": "x"})
    assert_error(locked, 429, "locked_out")
    assert int(locked["Retry-After"]) > 0
    assert_error(api_client.post("/api/v1/auth/token/", {"username": "ada", "password": PASSWORD}), 429, "locked_out")
    assert not AuthToken.objects.exists()


def test_a_successful_sign_in_resets_the_failure_count(api_client, learner, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        api_client.post("/api/v1/auth/token/", {"username": "ada", "password": "x"})
    assert api_client.post("/api/v1/auth/token/", {"username": "ada", "password": PASSWORD}).status_code == 200
    assert_error(api_client.post("/api/v1/auth/token/", {"username": "ada", "password": "x"}), 400)


def test_an_expired_token_is_refused_and_deleted(api_client, learner):
    token, other_device = token_for(learner), token_for(learner)
    AuthToken.objects.filter(user=learner).update(expiry=timezone.now() - timedelta(seconds=1))
    assert_error(_me(api_client, token), 401, "authentication_failed")
    assert AuthToken.objects.filter(user=learner).count() == 1, "only the presented token is removed at once"
    assert_error(_me(api_client, other_device), 401, "authentication_failed")
    assert not AuthToken.objects.filter(user=learner).exists()


def test_signing_in_sweeps_the_learners_expired_tokens_and_no_one_elses(api_client, learner, other_learner):
    token_for(learner), token_for(other_learner)
    AuthToken.objects.update(expiry=timezone.now() - timedelta(seconds=1))
    assert api_client.post("/api/v1/auth/token/", {"username": "ada", "password": PASSWORD}).status_code == 200
    assert AuthToken.objects.filter(user=learner).count() == 1
    assert AuthToken.objects.filter(user=other_learner).count() == 1


@pytest.mark.parametrize(
    "header",
    [b"Token \xff\xfe", b"Token not-a-token", b"Token " + b"a" * 200, b"Token", b"Token a b"],
    ids=["not-utf8", "unknown", "long", "empty", "spaces"],
)
def test_a_malformed_token_is_a_401_never_a_500(api_client, header):
    response = api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=header.decode("latin-1"))
    assert_error(response, 401)


def test_authenticating_a_request_takes_one_query(api_client, learner, django_assert_num_queries):
    from learning.api.authentication import DeviceTokenAuthentication

    header = f"Token {token_for(learner)}".encode().split()[1]
    with django_assert_num_queries(1):
        user, _ = DeviceTokenAuthentication().authenticate_credentials(header)
    assert user == learner


def test_the_token_and_its_user_read_back_exactly_as_the_orm_reads_them(learner):
    """The prepared join converts every column as the ORM does (aware datetimes on SQLite too)."""
    from learning.api.authentication import tokens_with_key

    token, _ = AuthToken.objects.create(learner)
    (found,) = tokens_with_key(token.token_key)
    orm = AuthToken.objects.select_related("user").get(pk=token.pk)

    assert (found.pk, found.digest, found.created, found.expiry) == (orm.pk, orm.digest, orm.created, orm.expiry)
    assert found.expiry.tzinfo is not None
    assert {f.attname: getattr(found.user, f.attname) for f in found.user._meta.concrete_fields} == {
        f.attname: getattr(orm.user, f.attname) for f in orm.user._meta.concrete_fields
    }
    assert found.user.date_joined.tzinfo is not None


def test_logout_revokes_only_the_token_used(api_client, learner):
    phone, tablet = token_for(learner), token_for(learner)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {phone}")
    assert api_client.post("/api/v1/auth/logout/").status_code == 204
    assert_error(_me(api_client, phone), 401)
    assert _me(api_client, tablet).status_code == 200


def test_logout_all_revokes_every_token_of_the_learner_and_no_one_elses(api_client, learner, other_learner):
    phone, tablet, others = token_for(learner), token_for(learner), token_for(other_learner)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {phone}")
    assert api_client.post("/api/v1/auth/logout-all/").status_code == 204
    assert_error(_me(api_client, phone), 401)
    assert_error(_me(api_client, tablet), 401)
    assert _me(api_client, others).status_code == 200


def test_auth_endpoints_are_throttled_with_retry_after(api_client, learner, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"auth": "2/min"}}
    body = {"username": "nobody", "password": "x"}
    for _ in range(2):
        assert api_client.post("/api/v1/auth/token/", body).status_code == 400
    throttled = api_client.post("/api/v1/auth/token/", body)
    assert_error(throttled, 429, "throttled")
    assert int(throttled["Retry-After"]) > 0


def test_a_deactivated_learner_cannot_use_their_token(learner):
    client = client_for(learner)
    get_user_model().objects.filter(pk=learner.pk).update(is_active=False)
    assert_error(client.get("/api/v1/me/"), 401)


def test_registration_refuses_usernames_django_would_not_accept(api_client):
    body = {"username": "has space", "email": "x@example.com", "password": PASSWORD}
    assert "username" in assert_error(api_client.post("/api/v1/auth/register/", body), 400)["fields"]
    assert not get_user_model().objects.filter(username="has space").exists()


def test_sign_in_records_the_last_login(api_client):
    user = UserFactory(username="kay", password=PASSWORD)
    api_client.post("/api/v1/auth/token/", {"username": "kay", "password": PASSWORD})
    user.refresh_from_db()
    assert user.last_login is not None
