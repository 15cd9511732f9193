"""A password change, a password reset and "log out everywhere" sign the learner out of every device.

Finding 4 of issue 12: API tokens survived a password change and a reset; auth/logout-all/ left web sessions signed in.
"""

import re

import pytest
from django.core import mail
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from learning.models import LearnerSession

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-staple"  # tests/factories.py gives every user this password
NEW_PASSWORD = "n3w-passphrase-for-ada!"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _browser(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def _signed_in(browser: Client) -> bool:
    return browser.get("/dashboard/").status_code == 200


def _device(user) -> APIClient:
    device = APIClient()
    device.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user)[1]}")
    return device


def _token_works(device: APIClient) -> bool:
    return device.get("/api/v1/me/").status_code == 200


def test_sessions_record_whose_they_are(learner):
    _browser(learner)

    assert LearnerSession.objects.filter(user_id=learner.pk).count() == 1


def test_a_password_change_revokes_every_token_and_every_other_session(learner, other_learner):
    here, elsewhere, phone = _browser(learner), _browser(learner), _device(learner)
    bystander_browser, bystander_phone = _browser(other_learner), _device(other_learner)

    changed = here.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert changed.status_code == 302
    assert _signed_in(here), "the browser that changed the password stays signed in"
    assert not _signed_in(elsewhere)
    assert not _token_works(phone)
    assert _signed_in(bystander_browser)
    assert _token_works(bystander_phone)


def test_a_password_reset_revokes_every_token_and_every_session(client, learner, other_learner):
    signed_in, phone = _browser(learner), _device(learner)
    bystander_phone = _device(other_learner)
    client.post("/accounts/password_reset/", {"email": learner.email})
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]

    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert done["Location"] == "/accounts/reset/done/"
    assert not _signed_in(signed_in)
    assert not _token_works(phone)
    assert _token_works(bystander_phone)


def test_logout_all_ends_web_sessions_too(learner, other_learner):
    browser, phone, tablet = _browser(learner), _device(learner), _device(learner)
    bystander_browser = _browser(other_learner)

    assert phone.post("/api/v1/auth/logout-all/").status_code == 204

    assert not _signed_in(browser)
    assert not _token_works(tablet)
    assert _signed_in(bystander_browser)


def test_deleting_an_account_deletes_its_sessions(learner):
    browser = _browser(learner)
    assert browser.post("/account/delete/", {"password": PASSWORD}).status_code == 302

    assert not LearnerSession.objects.filter(user_id=learner.pk).exists()


def test_a_password_set_by_a_curator_in_the_admin_signs_the_learner_out_everywhere(learner, admin_client):
    browser, phone = _browser(learner), _device(learner)

    saved = admin_client.post(
        f"/admin/auth/user/{learner.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )

    assert saved.status_code == 302
    assert not _signed_in(browser)
    assert not _token_works(phone)
    assert admin_client.get("/admin/").status_code == 200  # the curator's own session is untouched


def test_a_curator_changing_their_own_password_in_the_admin_keeps_this_browser(admin_client, admin_user):
    phone = _device(admin_user)

    saved = admin_client.post(
        f"/admin/auth/user/{admin_user.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )

    assert saved.status_code == 302
    assert admin_client.get("/admin/").status_code == 200
    assert not _token_works(phone)
