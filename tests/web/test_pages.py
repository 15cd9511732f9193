"""Every page for the three kinds of visitor: anonymous, a learner, and another learner (who sees only their own)."""

import pytest

from learning.models import Resource

pytestmark = pytest.mark.django_db
PUBLIC = ["/", "/resources/", "/resources/nets/", "/paths/", "/paths/foundations/", "/topics/", "/topics/basics/"]
PRIVATE = ["/dashboard/", "/onboarding/", "/progress/", "/account/", "/account/export/", "/account/delete/"]
ACCOUNTS = ["/accounts/signup/", "/accounts/login/", "/accounts/password_reset/"]


@pytest.mark.parametrize("url", PUBLIC + ACCOUNTS)
def test_public_pages_open_to_visitors(client, graph, url):
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", [*PRIVATE, "/accounts/password_change/"])
def test_private_pages_send_visitors_to_log_in(client, graph, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize("url", PUBLIC + PRIVATE)
def test_every_page_opens_for_a_learner(learner_client, graph, url):
    assert learner_client.get(url).status_code == 200


@pytest.mark.parametrize("url", PUBLIC + PRIVATE)
def test_one_learners_activity_never_shows_on_another_learners_pages(learner_client, other_client, graph, url):
    other_client.post("/resources/nets/progress/", {"status": "in_progress"})
    other_client.post("/resources/nets/progress/", {"rating": "2"})
    other_client.post("/resources/extra/dismiss/", {"reason": "too_easy", "comment": "grace-was-here"})
    other_client.post("/paths/foundations/follow/")
    page = learner_client.get(url).content.decode()
    assert "grace" not in page, "neither the other learner's name nor comment"
    assert "rated it" not in page
    assert "Following" not in page
    assert "Marked not for you" not in page
    assert "In progress</span>" not in page
    assert 'class="status-in_progress"' not in page


def test_learner_pages_show_the_signed_in_navigation(learner_client, graph):
    page = learner_client.get("/resources/").content.decode()
    for link in ("/dashboard/", "/progress/", "/account/"):
        assert f'href="{link}"' in page
    assert 'aria-current="page"' in page


def test_pages_load_htmx_from_our_own_static_files(client, graph):
    page = client.get("/").content.decode()
    assert '<script src="/static/django_htmx/htmx-2.min.js" defer>' in page
    assert "cdn" not in page.lower()
    assert "unpkg" not in page


def test_home_stays_within_the_query_budget(client, demo_learner, django_assert_max_num_queries):
    assert Resource.objects.published().count() > 100
    for who in (None, demo_learner):
        if who:
            client.force_login(who)
        with django_assert_max_num_queries(15):
            assert client.get("/").status_code == 200


@pytest.mark.parametrize("url", PRIVATE)
def test_an_account_without_a_learner_profile_still_gets_every_page(client, staff_user, graph, url):
    client.force_login(staff_user)  # created by createsuperuser, so no LearnerProfile yet
    assert client.get(url).status_code == 200
