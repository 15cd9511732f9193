"""One definition of path progress ("you know this" steps, required and optional apart) and of finish dates."""

from datetime import date

import pytest

from learning import selectors
from learning.models import LearnerProfile, PathEnrollment
from learning.services import progress_record
from tests.api.conftest import client_for
from tests.factories import LearningPathFactory, PathStepFactory, ResourceFactory, TopicFactory

pytestmark = pytest.mark.django_db


def know(learner, *topics):
    profile, _ = LearnerProfile.objects.get_or_create(user=learner)
    profile.known_topics.set(topics)


def test_a_step_teaching_only_known_topics_is_you_know_this_on_the_page_and_the_api(learner_client, learner, graph):
    basics, networks, _ = graph["topics"]
    know(learner, networks)  # knowing networks counts as knowing basics, its prerequisite
    PathStepFactory(path=graph["path"], position=4, required=False, resource=ResourceFactory(topics=[basics]))
    page = learner_client.get("/paths/foundations/")
    assert [s.known for s in page.context["steps"]] == [True, True, False, True]
    text = page.content.decode()
    assert text.count("you know this") == 3
    assert "2 of 3 required, 1 of 1 optional" in text
    body = client_for(learner).get("/api/v1/paths/foundations/").json()
    assert [step["known"] for step in body["steps"]] == [True, True, False, True]
    assert body["progress"]["summary"] == "2 of 3 required, 1 of 1 optional"
    assert body["progress"]["remaining_minutes"] == 180


def test_dashboard_page_and_api_count_progress_the_same_way(learner_client, learner, graph):
    PathStepFactory(path=graph["path"], position=4, required=False, resource=ResourceFactory())
    PathEnrollment.objects.create(learner=learner, path=graph["path"])
    progress_record(learner=learner, resource=graph["steps"][0], status="completed")
    dashboard = learner_client.get("/dashboard/").content.decode()
    page = learner_client.get("/paths/foundations/").content.decode()
    api = client_for(learner).get("/api/v1/paths/foundations/").json()["progress"]["summary"]
    assert api == "1 of 3 required, 0 of 1 optional"
    assert api in dashboard
    assert api in page


def test_a_path_building_on_another_finishes_after_it(learner, graph):
    basics, networks, backprop = graph["topics"]
    later_topic = TopicFactory(slug="later")
    later_topic.prerequisite_links.create(prerequisite=backprop)
    graph["path"].goal_topics.set([backprop])
    later = LearningPathFactory(slug="later-path")
    later.goal_topics.set([later_topic])
    PathStepFactory(path=later, position=1, resource=ResourceFactory(topics=[later_topic], estimated_minutes=30))
    # Followed first, but it builds on the foundations path: it is scheduled after it, sharing the hours.
    PathEnrollment.objects.create(learner=learner, path=later)
    PathEnrollment.objects.create(learner=learner, path=graph["path"])
    rows = selectors.followed_paths_progress(learner=learner, weekly_hours=1, today=date(2026, 1, 1))
    assert [row.path.slug for row in rows] == ["foundations", "later-path"]
    assert rows[0].finish < rows[1].finish
    assert (rows[1].finish - date(2026, 1, 1)).days == 46  # 360 + 30 minutes at an hour a week: 45.5 days
