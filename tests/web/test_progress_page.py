import re
from datetime import timedelta

import pytest
from django.utils import timezone

from learning.models import LearnerProfile
from learning.services import progress_record
from tests.factories import InteractionFactory

pytestmark = pytest.mark.django_db


def _desc(page: str, chart_id: str) -> str:
    return re.search(rf'<desc id="{chart_id}-desc">([^<]*)</desc>', page).group(1)


def test_progress_needs_a_login(client):
    assert client.get("/progress/")["Location"] == "/accounts/login/?next=/progress/"


def test_a_completion_counts_in_this_weeks_bars(learner_client, learner, graph):
    page = learner_client.get("/progress/").content.decode()
    assert _desc(page, "completions-chart").endswith(": 0 completions")
    progress_record(learner=learner, resource=graph["steps"][1], status="completed")
    response = learner_client.get("/progress/")
    page = response.content.decode()
    assert _desc(page, "completions-chart").endswith(": 1 completion")
    assert _desc(page, "minutes-chart").endswith(": 120 minutes")
    assert response.context["this_week"].completions == 1
    assert '<svg id="completions-chart" class="chart bar-chart"' in page
    assert 'role="img"' in page


def test_completions_of_earlier_weeks_land_in_their_week(learner_client, learner, graph):
    two_weeks_ago = timezone.now() - timedelta(weeks=2)
    progress_record(learner=learner, resource=graph["extra"], status="completed", occurred_at=two_weeks_ago)
    weeks = learner_client.get("/progress/").context["this_week"]
    assert weeks.completions == 0
    page = learner_client.get("/progress/").content.decode()
    assert _desc(page, "completions-chart").count(": 1 completion;") == 1


def test_the_streak_counts_consecutive_active_days(learner_client, learner, graph):
    now = timezone.now()
    for days_ago in (0, 1, 2, 4):
        InteractionFactory(learner=learner, resource=graph["extra"], occurred_at=now - timedelta(days=days_ago))
    streak = learner_client.get("/progress/").context["streak"]
    assert streak.days == 3
    assert streak.weeks >= 1


def test_topic_coverage_counts_known_and_completed_topics(learner_client, learner, graph):
    profile = LearnerProfile.objects.get(user=learner)
    profile.known_topics.add(graph["topics"][0])
    profile.goal_topics.add(graph["topics"][2])
    progress_record(learner=learner, resource=graph["steps"][1], status="completed")
    response = learner_client.get("/progress/")
    assert response.context["covered"] == 2
    assert response.context["topic_total"] == 3
    (goal,) = response.context["goals"]
    assert (goal.topic.slug, goal.covered, goal.total) == ("backprop", 2, 3)
    page = response.content.decode()
    assert "Topic coverage: 2 of 3 topics covered" in page
    assert "Completed: 1 of 3; Known: 1 of 3; In progress: 0 of 3; Ready to start: 1 of 3" in page


def test_progress_shows_nothing_of_another_learner(learner_client, other_learner, graph):
    progress_record(learner=other_learner, resource=graph["steps"][0], status="completed")
    InteractionFactory(learner=other_learner, resource=graph["extra"])
    response = learner_client.get("/progress/")
    assert response.context["this_week"].completions == 0
    assert response.context["streak"].days == 0
    assert response.context["covered"] == 0
    assert response.context["recent"] == []


def test_progress_stays_within_the_query_budget(client, demo_learner, django_assert_max_num_queries):
    client.force_login(demo_learner)
    with django_assert_max_num_queries(15):
        response = client.get("/progress/")
    assert response.context["recent"]
