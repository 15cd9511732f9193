"""Accounts: sign-up, log-in and lockout, password change and reset, and the account page (profile, export,
deletion)."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import RequestFactory

from learning.models import Dismissal, Framework, Interaction, LearnerProfile, Progress
from learning.services import dismissal_record, progress_record
from learning.views import lockout

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-staple"  # tests/factories.py gives every user this password


def _signup(client, **overrides):
    data = {"username": "newbie", "email": "newbie@example.com", "password1": "a-Long-passphrase-42"}
    data["password2"] = data["password1"]
    data.update(overrides)
    return client.post("/accounts/signup/", data)


def test_signup_page_asks_for_username_email_and_the_password_twice(client):
    page = client.get("/accounts/signup/").content.decode()
    for name in ("username", "email", "password1", "password2"):
        assert f'name="{name}"' in page
        assert f'for="id_{name}"' in page, "every field has a label"


def test_signup_creates_a_learner_with_a_profile_logs_them_in_and_starts_onboarding(client):
    response = _signup(client)
    assert response.status_code == 302
    assert response["Location"] == "/onboarding/"
    user = get_user_model().objects.get(username="newbie")
    assert user.email == "newbie@example.com"
    assert user.check_password("a-Long-passphrase-42")
    assert LearnerProfile.objects.filter(user=user, onboarded=False).exists()
    assert client.get("/dashboard/").status_code == 200, "signed in after signing up"


def test_signup_with_different_passwords_shows_the_error_on_the_second_password(client):
    response = _signup(client, password2="something-else-42")
    assert response.status_code == 400
    assert response.context["form"].errors == {"password2": ["The two passwords differ."]}
    assert not get_user_model().objects.filter(username="newbie").exists()


@pytest.mark.parametrize(("password", "complaint"), [("password", "too common"), ("Zq9!x", "too short")])
def test_signup_applies_djangos_password_validators(client, password, complaint):
    response = _signup(client, password1=password, password2=password)
    assert response.status_code == 400
    assert any(complaint in error for error in response.context["form"].errors["password1"])


def test_signup_refuses_a_username_taken_in_another_case(client, learner):
    response = _signup(client, username=learner.username.upper())
    assert response.status_code == 400
    assert response.context["form"].errors["username"] == ["A user with that username already exists."]


@pytest.mark.parametrize(
    ("field", "value"), [("email", "not-an-email"), ("username", "spaces are not allowed"), ("username", "")]
)
def test_signup_shows_field_errors_for_bad_input(client, field, value):
    response = _signup(client, **{field: value})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode()


def test_a_signed_in_learner_is_sent_from_signup_and_login_to_the_dashboard(learner_client):
    assert learner_client.get("/accounts/signup/")["Location"] == "/dashboard/"
    assert learner_client.get("/accounts/login/")["Location"] == "/dashboard/"


def test_login_with_the_right_password_goes_to_the_dashboard(client, learner):
    response = client.post("/accounts/login/", {"username": learner.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"


def test_login_honours_a_local_next_but_not_another_site(client, learner):
    credentials = {"username": learner.username, "password": PASSWORD}
    assert client.post("/accounts/login/?next=/progress/", credentials)["Location"] == "/progress/"
    client.post("/accounts/logout/")
    assert client.post("/accounts/login/?next=https://evil.example/", credentials)["Location"] == "/dashboard/"


def test_login_with_a_wrong_password_shows_an_error(client, learner):
    response = client.post("/accounts/login/", {"username": learner.username, "password": "wrong"})
    assert response.status_code == 200
    assert "do not match" in response.content.decode()


@pytest.fixture
def lockout_page(settings):
    """The setting this page needs (to be added to config/settings.py): axes then renders our lockout page."""
    settings.AXES_LOCKOUT_CALLABLE = "learning.views.lockout"


def test_repeated_failed_logins_lock_the_account_out_with_a_clear_message(client, learner, settings, lockout_page):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post("/accounts/login/", {"username": learner.username, "password": "wrong"}).status_code == 200
    response = client.post("/accounts/login/", {"username": learner.username, "password": "wrong"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed log-in attempts" in page
    assert "Try again in 15 minutes" in page
    assert 'href="/accounts/password_reset/"' in page
    locked = client.post("/accounts/login/", {"username": learner.username, "password": PASSWORD})
    assert locked.status_code == 429, "even the right password is refused during the lockout"
    assert client.get("/dashboard/")["Location"].startswith("/accounts/login/")


def test_lockout_is_never_a_server_error_even_with_axes_defaults(client, learner, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/accounts/login/", {"username": learner.username, "password": "wrong"})
    assert response.status_code == 429


def test_lockout_answers_the_api_with_its_json_error_format():
    request = RequestFactory().post("/api/v1/auth/token/")
    response = lockout(request, None, {"username": "ada"})
    assert response.status_code == 429
    assert json.loads(response.content)["error"]["code"] == "locked_out"


def test_logout_is_a_post_that_ends_the_session(learner_client):
    assert learner_client.get("/accounts/logout/").status_code == 405
    response = learner_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert learner_client.get("/dashboard/").status_code == 302


def test_every_page_offers_logout_as_a_form_to_learners(learner_client):
    page = learner_client.get("/resources/").content.decode()
    assert re.search(r'<form method="post" action="/accounts/logout/"', page)


def test_password_change_needs_the_old_password_and_then_takes_the_new_one(client, learner):
    assert client.get("/accounts/password_change/")["Location"].startswith("/accounts/login/")
    client.force_login(learner)
    bad = client.post(
        "/accounts/password_change/",
        {"old_password": "wrong", "new_password1": "n3w-passphrase!", "new_password2": "n3w-passphrase!"},
    )
    assert bad.status_code == 200
    assert "old_password" in bad.context["form"].errors
    good = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "n3w-passphrase!", "new_password2": "n3w-passphrase!"},
    )
    assert good["Location"] == "/accounts/password_change/done/"
    learner.refresh_from_db()
    assert learner.check_password("n3w-passphrase!")
    assert client.get("/accounts/password_change/done/").status_code == 200


def test_password_reset_emails_a_link_that_sets_a_new_password(client, learner):
    assert client.get("/accounts/password_reset/").status_code == 200
    response = client.post("/accounts/password_reset/", {"email": learner.email})
    assert response["Location"] == "/accounts/password_reset/done/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Reset your DeepPath password"
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]  # Django swaps the token for a session-held one
    assert "Choose a new password" in client.get(form_url).content.decode()
    done = client.post(form_url, {"new_password1": "n3w-passphrase!", "new_password2": "n3w-passphrase!"})
    assert done["Location"] == "/accounts/reset/done/"
    learner.refresh_from_db()
    assert learner.check_password("n3w-passphrase!")


def test_password_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client):
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.com"})
    assert response["Location"] == "/accounts/password_reset/done/"
    assert mail.outbox == []


# The account page: the learning profile, the data export and deleting the account.


@pytest.mark.parametrize("url", ["/account/", "/account/export/", "/account/delete/"])
def test_account_pages_need_a_login(client, url):
    assert client.get(url)["Location"] == f"/accounts/login/?next={url}"


def test_the_account_page_changes_the_learning_profile(learner_client, learner):
    page = learner_client.get("/account/").content.decode()
    assert 'name="weekly_hours"' in page
    assert 'href="/accounts/password_change/"' in page
    jax = Framework.objects.get(slug="jax")
    response = learner_client.post("/account/", {"level": "advanced", "weekly_hours": "10", "frameworks": [jax.pk]})
    assert response["Location"] == "/account/"
    profile = LearnerProfile.objects.get(user=learner)
    assert (profile.level, profile.weekly_hours) == ("advanced", 10)
    assert [f.slug for f in profile.preferred_frameworks.all()] == ["jax"]


def test_bad_profile_input_shows_field_errors(learner_client, learner):
    response = learner_client.post("/account/", {"level": "beginner", "weekly_hours": "-2"})
    assert response.status_code == 400
    assert "weekly_hours" in response.context["form"].errors
    assert LearnerProfile.objects.get(user=learner).weekly_hours == 3


def test_export_downloads_all_my_data_and_nobody_elses(learner_client, learner, other_learner, graph):
    progress_record(learner=learner, resource=graph["extra"], status="in_progress")
    dismissal_record(learner=learner, resource=graph["steps"][2], reason="too_hard")
    progress_record(learner=other_learner, resource=graph["steps"][0], status="completed")
    response = learner_client.get("/account/export/")
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["username"] == learner.username
    assert [row["resource"] for row in data["progress"]] == ["extra"]
    assert [row["resource"] for row in data["dismissals"]] == ["bp"]
    assert {event["resource"] for event in data["events"]} == {"extra", "bp"}


def test_export_holds_every_column_of_the_learner_tables_dismissal_comments_included(learner_client, learner, graph):
    progress_record(learner=learner, resource=graph["extra"], status="in_progress")
    dismissal_record(learner=learner, resource=graph["steps"][2], reason="other", comment="Too much maths for me")
    data = json.loads(learner_client.get("/account/export/").content)
    assert data["dismissals"][0]["comment"] == "Too much maths for me"
    owner_columns = {"id", "learner", "user", "resource"}  # who it belongs to is the export itself; resource by slug
    tables = {"progress": Progress, "dismissals": Dismissal, "events": Interaction}
    for key, model in tables.items():
        columns = {field.name for field in model._meta.concrete_fields} - owner_columns
        assert columns <= set(data[key][0]), (key, columns - set(data[key][0]))
    profile_columns = {field.name for field in LearnerProfile._meta.get_fields() if field.concrete} - owner_columns
    exported = set(data["profile"])
    assert profile_columns <= exported, profile_columns - exported


def test_deleting_the_account_needs_the_password(learner_client, learner):
    assert "cannot be undone" in learner_client.get("/account/delete/").content.decode()
    response = learner_client.post("/account/delete/", {"password": "wrong"})
    assert response.status_code == 400
    assert response.context["form"].errors == {"password": ["That is not your password."]}
    assert get_user_model().objects.filter(pk=learner.pk).exists()


def test_deleting_the_account_removes_everything_and_logs_out(learner_client, learner, other_learner, graph):
    progress_record(learner=learner, resource=graph["extra"], status="completed")
    dismissal_record(learner=learner, resource=graph["steps"][0], reason="too_easy")
    progress_record(learner=other_learner, resource=graph["extra"], status="saved")
    response = learner_client.post("/account/delete/", {"password": PASSWORD})
    assert response["Location"] == "/"
    assert not get_user_model().objects.filter(pk=learner.pk).exists()
    assert not Progress.objects.filter(learner_id=learner.pk).exists()
    assert not Dismissal.objects.filter(learner_id=learner.pk).exists()
    assert not Interaction.objects.filter(learner_id=learner.pk).exists()
    assert Progress.objects.filter(learner=other_learner).exists(), "other learners keep their data"
    assert learner_client.get("/dashboard/").status_code == 302
    assert "account and all your data are deleted" in learner_client.get("/").content.decode()


@pytest.mark.parametrize("url", ["/account/", "/account/export/", "/account/delete/"])
def test_account_pages_stay_within_the_query_budget(client, demo_learner, url, django_assert_max_num_queries):
    client.force_login(demo_learner)
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200
