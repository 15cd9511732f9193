from datetime import timedelta

import pytest
from django.utils import timezone

from learning.models import LearnerProfile, Progress, Resource
from learning.services import progress_record
from tests.factories import ProgressFactory, ResourceFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_visitor_sees_the_summary_and_provider_link_and_is_invited_to_log_in(client, graph):
    resource = graph["steps"][1]
    page = client.get(resource.get_absolute_url()).content.decode()
    assert resource.summary in page
    assert f'href="{resource.url}"' in page
    assert "/accounts/login/?next=/resources/nets/" in page
    assert 'id="progress-controls"' not in page


def test_a_learner_gets_progress_controls_for_every_status_and_not_for_me(learner_client, graph):
    page = learner_client.get(graph["steps"][1].get_absolute_url()).content.decode()
    assert 'id="progress-controls"' in page
    for status in ("saved", "in_progress", "completed", "skipped"):
        assert f'name="status" value="{status}"' in page
    assert 'action="/resources/nets/dismiss/"' in page
    assert 'hx-post="/resources/nets/progress/"' in page, "enhanced by htmx"
    assert 'name="rating"' not in page, "rating comes once the learner has started"


def test_prerequisites_show_whether_the_learner_has_them(learner_client, learner, graph):
    basics, networks, _ = graph["topics"]
    checks = learner_client.get("/resources/bp/").context["prerequisites"]
    assert [(c.topic, c.met) for c in checks] == [(networks, False)]
    progress_record(learner=learner, resource=graph["steps"][1], status="completed")
    checks = learner_client.get("/resources/bp/").context["prerequisites"]
    assert [(c.topic, c.met) for c in checks] == [(networks, True)]
    LearnerProfile.objects.get(user=learner).known_topics.add(basics)
    page = learner_client.get("/resources/nets/").content.decode()
    assert "you have this" in page


def test_extra_prerequisites_of_a_resource_are_listed_too(learner_client, graph):
    basics, _, backprop = graph["topics"]
    resource = ResourceFactory(slug="advanced", topics=[basics])
    resource.prerequisites.add(backprop)
    checks = learner_client.get(resource.get_absolute_url()).context["prerequisites"]
    assert [(c.topic, c.met) for c in checks] == [(backprop, False)]


def test_visitors_see_prerequisites_without_a_state(client, graph):
    checks = client.get("/resources/bp/").context["prerequisites"]
    assert [c.met for c in checks] == [None]


def _finish(user, resource, days_ago: int) -> None:
    at = timezone.now() - timedelta(days=days_ago)
    ProgressFactory(learner=user, resource=resource, status="completed", percent=100, completed_at=at, updated_at=at)


def test_learners_who_finished_it_went_on_to_what_they_completed_next(client, graph):
    intro, nets, bp = graph["steps"]
    for name in ("a", "b", "c"):
        user = UserFactory(username=name)
        _finish(user, intro, days_ago=10)
        _finish(user, nets, days_ago=5)
    _finish(UserFactory(username="d"), bp, days_ago=1)
    _finish(UserFactory(username="d"), intro, days_ago=3)  # finished bp *before* intro: does not count
    (item,) = client.get("/resources/intro/").context["next_after"]
    assert (item.resource, item.learners) == (nets, 3)
    assert "Learners who finished this went on to" in client.get("/resources/intro/").content.decode()


def test_what_learners_went_on_to_leaves_out_what_the_reader_knows(client, learner, graph):
    intro, nets, _ = graph["steps"]
    for name in ("a", "b"):
        user = UserFactory(username=name)
        _finish(user, intro, days_ago=10)
        _finish(user, nets, days_ago=5)
    LearnerProfile.objects.get_or_create(user=learner)[0].known_topics.set([graph["topics"][1]])
    client.force_login(learner)
    assert client.get("/resources/intro/").context["next_after"] == []


def test_what_one_single_learner_did_next_is_never_shown(client, graph):
    intro, nets, _ = graph["steps"]
    user = UserFactory(username="alone")
    _finish(user, intro, days_ago=10)
    _finish(user, nets, days_ago=5)
    assert client.get("/resources/intro/").context["next_after"] == []


def test_a_learners_own_state_is_shown_and_nobody_elses(learner_client, other_learner, graph):
    progress_record(learner=other_learner, resource=graph["extra"], status="completed", rating=2)
    page = learner_client.get("/resources/extra/").content.decode()
    assert "Not on your list yet" in page
    assert "rated it" not in page


def test_unpublished_resources_are_not_found(learner_client, graph):
    ResourceFactory(slug="draft", status="draft")
    assert learner_client.get("/resources/draft/").status_code == 404


def test_resource_page_stays_within_the_query_budget(client, demo_learner, django_assert_max_num_queries):
    resource = Resource.objects.filter(progress__learner=demo_learner, progress__status="completed").first()
    assert Progress.objects.filter(resource=resource, status="completed").count() > 1
    for who in (None, demo_learner):
        if who:
            client.force_login(who)
        # 20: touched topics, the topic graph (known topics imply their prerequisites) and, for "went on to", the
        # resources' topics and what the reader has covered are read too; 21: the learners' ratings and completions.
        with django_assert_max_num_queries(21):
            response = client.get(resource.get_absolute_url())
        assert response.status_code == 200
