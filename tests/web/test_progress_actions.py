"""Every progress action works as a plain form (redirect back) and through htmx (a partial swapped in place)."""

import pytest

from learning.models import Dismissal, PathEnrollment, Progress
from learning.services import dismissal_record, progress_record
from tests.web import HTMX

pytestmark = pytest.mark.django_db
STATUSES = ["saved", "in_progress", "completed", "skipped"]
LABELS = {"saved": "Saved", "in_progress": "In progress", "completed": "Completed", "skipped": "Skipped"}
DONE = {"saved": "Saved for later", "in_progress": "Started", "completed": "Marked complete", "skipped": "Skipped"}


def _status(learner, resource) -> str | None:
    row = Progress.objects.filter(learner=learner, resource=resource).first()
    return row.status if row else None


@pytest.mark.parametrize("status", STATUSES)
def test_status_form_without_javascript_records_it_and_redirects_back(learner_client, learner, graph, status):
    response = learner_client.post("/resources/nets/progress/", {"status": status, "next": "/resources/nets/"})
    assert response.status_code == 302
    assert response["Location"] == "/resources/nets/"
    assert _status(learner, graph["steps"][1]) == status
    page = learner_client.get("/resources/nets/").content.decode()
    assert f'class="status-{status}">{LABELS[status]}</strong>' in page


@pytest.mark.parametrize("status", STATUSES)
def test_status_form_through_htmx_returns_the_updated_controls(learner_client, learner, graph, status):
    response = learner_client.post("/resources/nets/progress/", {"status": status, "next": "/resources/nets/"}, **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="progress-controls"'), "a partial, not a whole page"
    assert "<html" not in page
    assert f'class="status-{status}">{LABELS[status]}</strong>' in page
    assert f'name="status" value="{status}" class="button" aria-pressed="true"' in page
    assert f'hx-swap-oob="true">{DONE[status]}: Nets explained.</div>' in page, "announced to screen readers"
    assert _status(learner, graph["steps"][1]) == status


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["no-js", "htmx"])
def test_rating_a_started_resource_records_it(learner_client, learner, graph, headers):
    progress_record(learner=learner, resource=graph["extra"], status="in_progress")
    response = learner_client.post("/resources/extra/progress/", {"rating": "4"}, **headers)
    assert response.status_code == (200 if headers else 302)
    assert Progress.objects.get(learner=learner, resource=graph["extra"]).rating == 4
    page = (response if headers else learner_client.get("/resources/extra/")).content.decode()
    assert "you rated it 4 out of 5" in page


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["no-js", "htmx"])
def test_rating_before_starting_shows_the_rule_as_an_error(learner_client, learner, graph, headers):
    response = learner_client.post("/resources/extra/progress/", {"rating": "5"}, **headers)
    assert response.status_code == (200 if headers else 400)
    assert "Start or finish a resource before rating it." in response.content.decode()
    assert Progress.objects.filter(learner=learner, resource=graph["extra"], rating=5).count() == 0


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["no-js", "htmx"])
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "done"}, "Select a valid choice"),
        ({"rating": "6"}, "Select a valid choice"),
        ({}, "Choose a status or a rating."),
    ],
)
def test_bad_progress_input_shows_an_error_not_a_server_error(learner_client, learner, graph, headers, data, message):
    response = learner_client.post("/resources/extra/progress/", data, **headers)
    assert response.status_code == (200 if headers else 400)
    assert message in response.content.decode()
    assert not Progress.objects.filter(learner=learner).exists()


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["no-js", "htmx"])
def test_not_for_me_records_the_reason(learner_client, learner, graph, headers):
    response = learner_client.post("/resources/extra/dismiss/", {"reason": "too_easy", "comment": "Seen it"}, **headers)
    assert response.status_code == (200 if headers else 302)
    dismissal = Dismissal.objects.get(learner=learner, resource=graph["extra"])
    assert (dismissal.reason, dismissal.comment) == ("too_easy", "Seen it")
    if headers:
        assert "Marked not for you (too easy)" in response.content.decode()
        assert 'action="/resources/extra/undismiss/"' in response.content.decode()


def test_not_for_me_from_a_dashboard_card_through_htmx_replaces_the_card(learner_client, graph):
    data = {"reason": "not_relevant", "partial": "card", "next": "/dashboard/"}
    response = learner_client.post("/resources/extra/dismiss/", data, **HTMX)
    page = response.content.decode()
    assert page.lstrip().startswith('<article class="card rec-card done"')
    assert "Not for you, noted" in page
    assert "Undo" in page


def test_not_for_me_from_the_dashboard_without_javascript_goes_back_to_the_dashboard(learner_client, graph):
    data = {"reason": "not_relevant", "partial": "card", "next": "/dashboard/"}
    response = learner_client.post("/resources/extra/dismiss/", data)
    assert response["Location"] == "/dashboard/"
    assert graph["extra"] not in [i.resource for i in learner_client.get("/dashboard/").context["recommendations"]]


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["no-js", "htmx"])
@pytest.mark.parametrize(
    ("data", "field"), [({"reason": "meh"}, "reason"), ({"reason": "other", "comment": "x" * 301}, "comment")]
)
def test_bad_dismissal_input_shows_field_errors(learner_client, learner, graph, headers, data, field):
    response = learner_client.post("/resources/extra/dismiss/", data, **headers)
    assert response.status_code == (200 if headers else 400)
    assert 'aria-invalid="true"' in response.content.decode()
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Dismissal.objects.filter(learner=learner).exists()


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["no-js", "htmx"])
def test_undoing_not_for_me_makes_it_a_suggestion_again(learner_client, learner, graph, headers):
    dismissal_record(learner=learner, resource=graph["extra"], reason="too_easy")
    response = learner_client.post("/resources/extra/undismiss/", **headers)
    assert response.status_code == (200 if headers else 302)
    assert not Dismissal.objects.filter(learner=learner).exists()


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["no-js", "htmx"])
def test_removing_a_resource_from_my_list_forgets_its_progress(learner_client, learner, graph, headers):
    progress_record(learner=learner, resource=graph["extra"], status="saved")
    response = learner_client.post("/resources/extra/forget/", **headers)
    assert response.status_code == (200 if headers else 302)
    assert not Progress.objects.filter(learner=learner).exists()
    if headers:
        assert "Not on your list yet" in response.content.decode()


def test_marking_complete_from_a_dashboard_card_through_htmx_confirms_on_the_card(learner_client, learner, graph):
    progress_record(learner=learner, resource=graph["extra"], status="in_progress")
    data = {"status": "completed", "partial": "card", "next": "/dashboard/"}
    response = learner_client.post("/resources/extra/progress/", data, **HTMX)
    assert "Marked complete" in response.content.decode()
    assert _status(learner, graph["extra"]) == "completed"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x"])
def test_actions_never_redirect_to_another_site(learner_client, graph, target):
    response = learner_client.post("/resources/extra/progress/", {"status": "saved", "next": target})
    assert response["Location"] == "/resources/extra/"


@pytest.mark.parametrize("action", ["progress", "dismiss", "undismiss", "forget"])
def test_visitors_are_sent_to_log_in_and_back_to_the_resource(client, graph, action):
    response = client.post(f"/resources/extra/{action}/", {"status": "saved", "reason": "other"})
    assert response["Location"] == "/accounts/login/?next=/resources/extra/"
    htmx = client.post(f"/resources/extra/{action}/", {"status": "saved"}, **HTMX)
    assert htmx["HX-Redirect"] == "/accounts/login/?next=/resources/extra/"
    assert not Progress.objects.exists()
    assert not Dismissal.objects.exists()


@pytest.mark.parametrize("action", ["progress", "dismiss", "undismiss", "forget"])
def test_actions_only_accept_post(learner_client, graph, action):
    assert learner_client.get(f"/resources/extra/{action}/").status_code == 405


def test_actions_on_unpublished_resources_are_not_found(learner_client, graph):
    graph["extra"].status = "archived"
    graph["extra"].save()
    assert learner_client.post("/resources/extra/progress/", {"status": "saved"}).status_code == 404


def test_a_learners_actions_never_touch_another_learners_data(learner_client, learner, other_learner, graph):
    progress_record(learner=other_learner, resource=graph["extra"], status="in_progress", rating=3)
    dismissal_record(learner=other_learner, resource=graph["steps"][0], reason="too_easy")
    learner_client.post("/resources/extra/progress/", {"status": "completed"})
    learner_client.post("/resources/extra/forget/")
    learner_client.post("/resources/intro/undismiss/")
    row = Progress.objects.get(learner=other_learner, resource=graph["extra"])
    assert (row.status, row.rating) == ("in_progress", 3)
    assert Dismissal.objects.filter(learner=other_learner).exists()


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["no-js", "htmx"])
def test_following_and_unfollowing_a_path(learner_client, learner, graph, headers):
    response = learner_client.post("/paths/foundations/follow/", {"next": "/paths/"}, **headers)
    assert PathEnrollment.objects.filter(learner=learner, path=graph["path"]).exists()
    if headers:
        assert "Following" in response.content.decode()
        assert "Unfollow" in response.content.decode()
    else:
        assert response["Location"] == "/paths/"
    response = learner_client.post("/paths/foundations/unfollow/", **headers)
    assert not PathEnrollment.objects.filter(learner=learner).exists()
    if headers:
        assert ">Follow<" in response.content.decode()
    else:
        assert response["Location"] == "/paths/foundations/"


def test_visitors_are_sent_to_log_in_before_following_a_path(client, graph):
    assert client.post("/paths/foundations/follow/")["Location"] == "/accounts/login/?next=/paths/foundations/"
    assert not PathEnrollment.objects.exists()
