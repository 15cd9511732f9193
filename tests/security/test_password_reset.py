"""Password reset is rate limited (per client address and per email, on the shared cache) and does the same work
whether the address is known or not, sending after the response (issue 12, finding 11)."""

import pytest
from django.core import mail
from django.test import RequestFactory

from learning.views.password_reset import PasswordResetForm, PasswordResetView
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/accounts/password_reset/"


def test_too_many_requests_from_one_address_get_a_429_with_retry_after(client, settings):
    settings.DEEPPATH_PASSWORD_RESET_RATE_IP = "3/hour"
    answers = [client.post(URL, {"email": f"someone{n}@example.com"}) for n in range(4)]

    assert [answer.status_code for answer in answers] == [302, 302, 302, 429]
    assert int(answers[-1]["Retry-After"]) > 0
    assert "Too many reset requests" in answers[-1].content.decode()


def test_a_forged_forwarded_for_does_not_escape_the_address_limit(client, settings):
    settings.DEEPPATH_PASSWORD_RESET_RATE_IP = "2/hour"
    statuses = [
        client.post(URL, {"email": "a@example.com"}, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(3)
    ]

    assert statuses == [302, 302, 429]


def test_one_mailbox_gets_at_most_the_email_limit_and_the_answer_does_not_change(client, settings):
    settings.DEEPPATH_PASSWORD_RESET_RATE_EMAIL = "2/hour"
    learner = UserFactory(email="ada@example.com")

    answers = [client.post(URL, {"email": "ADA@example.com"}) for _ in range(4)]

    assert {answer["Location"] for answer in answers} == {"/accounts/password_reset/done/"}
    assert len(mail.outbox) == 2
    assert mail.outbox[0].to == [learner.email]


def test_an_unknown_address_renders_the_same_email_for_no_one():
    """The work in the request is the same for both: one rendered email each, only a known one is kept."""
    UserFactory(email="ada@example.com")
    rendered = []

    class Watching(PasswordResetForm):
        def send_mail(self, *args, **kwargs):
            super().send_mail(*args, **kwargs)
            rendered.append(self.outbox[-1].subject)

    for email in ("ada@example.com", "nobody@example.com"):
        form = Watching({"email": email})
        assert form.is_valid()
        form.save(domain_override="testserver")

    assert rendered == ["Reset your DeepPath password", "Reset your DeepPath password"]
    assert form.outbox == []


def test_the_email_is_sent_after_the_response():
    UserFactory(email="ada@example.com")
    request = RequestFactory().post(URL, {"email": "ada@example.com"})
    request._dont_enforce_csrf_checks = True

    response = PasswordResetView.as_view()(request)

    assert response.status_code == 302
    assert mail.outbox == []
    response.close()  # what the server does once the response has been sent
    assert len(mail.outbox) == 1
