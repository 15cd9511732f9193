from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.dateformat import format as date_format

from learning.models import LearnerProfile, PathEnrollment, Resource
from learning.services import progress_record

pytestmark = pytest.mark.django_db


def test_dashboard_needs_a_login(client):
    assert client.get("/dashboard/")["Location"] == "/accounts/login/?next=/dashboard/"


def test_dashboard_shows_a_next_step_with_its_reasons(learner_client, graph):
    response = learner_client.get("/dashboard/")
    next_step = response.context["next_step"]
    assert next_step is not None
    assert next_step.reasons
    page = response.content.decode()
    assert "Your next step" in page
    assert next_step.resource.title in page
    assert next_step.reasons[0].text in page


def test_the_next_step_changes_once_it_is_completed(learner_client, learner, graph):
    first = learner_client.get("/dashboard/").context["next_step"].resource
    progress_record(learner=learner, resource=Resource.objects.get(pk=first.id), status="completed")
    assert learner_client.get("/dashboard/").context["next_step"].resource.id != first.id


def test_more_recommendations_each_come_with_reasons_and_a_not_for_me_control(learner_client, graph):
    response = learner_client.get("/dashboard/")
    page = response.content.decode()
    assert response.context["recommendations"], "the small catalog leaves more than one suggestion"
    for item in response.context["recommendations"]:
        assert item.reasons
        assert f'action="/resources/{item.resource.slug}/dismiss/"' in page
    assert 'name="reason"' in page
    assert "Too easy" in page


def test_in_progress_items_are_offered_to_continue(learner_client, learner, graph):
    progress_record(learner=learner, resource=graph["extra"], status="in_progress")
    response = learner_client.get("/dashboard/")
    assert [row.resource for row in response.context["in_progress"]] == [graph["extra"]]
    assert "Continue" in response.content.decode()


def test_followed_paths_show_progress_and_a_finish_date_at_the_weekly_hours(learner_client, learner, graph):
    PathEnrollment.objects.create(learner=learner, path=graph["path"])
    progress_record(learner=learner, resource=graph["steps"][0], status="completed")
    response = learner_client.get("/dashboard/")
    (row,) = response.context["paths"]
    assert (row.done, row.steps, row.remaining_minutes) == (1, 3, 300)
    # 300 minutes at 3 hours a week: 11.7 days, so the 12th day from today.
    expected = timezone.localdate() + timedelta(days=12)
    assert row.finish == expected
    page = response.content.decode()
    assert '<progress id="path-progress-' in page
    assert 'value="33"' in page
    assert date_format(expected, "j F Y") in page


def test_more_weekly_hours_bring_the_finish_date_closer(learner_client, learner, graph):
    PathEnrollment.objects.create(learner=learner, path=graph["path"])
    slow = learner_client.get("/dashboard/").context["paths"][0].finish
    LearnerProfile.objects.filter(user=learner).update(weekly_hours=20)
    assert learner_client.get("/dashboard/").context["paths"][0].finish < slow


def test_a_learner_who_has_not_onboarded_is_invited_to(learner_client, learner, graph):
    assert 'href="/onboarding/"' in learner_client.get("/dashboard/").content.decode()
    LearnerProfile.objects.filter(user=learner).update(onboarded=True)
    assert "Set up your profile" not in learner_client.get("/dashboard/").content.decode()


def test_the_dashboard_shows_nothing_of_another_learner(learner_client, other_learner, graph):
    PathEnrollment.objects.create(learner=other_learner, path=graph["path"])
    progress_record(learner=other_learner, resource=graph["extra"], status="in_progress")
    response = learner_client.get("/dashboard/")
    assert response.context["in_progress"] == []
    assert response.context["paths"] == []


def test_a_dashboard_with_nothing_left_to_suggest_still_renders(learner_client):
    response = learner_client.get("/dashboard/")
    assert response.status_code == 200
    assert "worked through everything" in response.content.decode()


@pytest.mark.parametrize("model", ["trained", "untrained"])
def test_dashboard_stays_within_the_query_budget(client, demo_learner, request, model, django_assert_max_num_queries):
    if model == "trained":
        request.getfixturevalue("trained")
    client.force_login(demo_learner)
    client.get("/dashboard/")  # the recommender's per-process catalog arrays are cached after the first request
    # 16: one of them reads the learners' ratings and completions of every suggestion shown, at once.
    with django_assert_max_num_queries(16):
        response = client.get("/dashboard/")
    assert response.context["paths"]
    assert response.context["in_progress"]
    assert response.context["recommendations"]
