import re

import pytest

from learning.models import LearnerProfile, Topic
from learning.services import progress_record

pytestmark = pytest.mark.django_db


def _node_classes(page: str) -> dict[str, str]:
    return dict(re.findall(r'<a href="/topics/([\w-]+)/" class="tm-node tm-(\w+)"', page))


def test_the_topic_map_draws_every_topic_as_a_link_in_an_svg(client, graph):
    page = client.get("/topics/").content.decode()
    assert '<svg class="topic-map-svg"' in page
    assert 'aria-label="Topic prerequisite map"' in page
    assert _node_classes(page) == {"basics": "none", "networks": "none", "backprop": "none"}
    assert page.count('marker-end="url(#tm-arrow)"') == 2, "one arrow per prerequisite edge"
    assert "Log in</a> to mark the topics you know" in page


def test_the_map_layers_topics_below_their_prerequisites(client, graph):
    page = client.get("/topics/").content.decode()
    tops = {
        slug: float(y)
        for slug, y in re.findall(
            r'<a href="/topics/([\w-]+)/"[^>]*><title>[^<]*</title><rect x="[\d.]+" y="([\d.]+)"', page
        )
    }
    assert tops["basics"] < tops["networks"] < tops["backprop"]


def test_the_map_colours_each_topic_by_the_learners_state(learner_client, learner, graph):
    basics, networks, backprop = graph["topics"]
    page = learner_client.get("/topics/").content.decode()
    assert _node_classes(page) == {"basics": "ready", "networks": "locked", "backprop": "locked"}
    LearnerProfile.objects.get(user=learner).known_topics.add(basics)
    progress_record(learner=learner, resource=graph["steps"][1], status="in_progress")
    page = learner_client.get("/topics/").content.decode()
    assert _node_classes(page) == {"basics": "known", "networks": "in_progress", "backprop": "locked"}
    progress_record(learner=learner, resource=graph["steps"][1], status="completed")
    page = learner_client.get("/topics/").content.decode()
    assert _node_classes(page) == {"basics": "known", "networks": "completed", "backprop": "ready"}
    assert 'aria-label="Backprop: ready to start"' in page
    assert "Completed: 1" in page


def test_the_map_ignores_other_learners(learner_client, other_learner, graph):
    progress_record(learner=other_learner, resource=graph["steps"][0], status="completed")
    assert _node_classes(learner_client.get("/topics/").content.decode())["basics"] == "ready"


def test_topic_page_shows_the_learners_status_on_each_resource(learner_client, learner, other_learner, graph):
    progress_record(learner=learner, resource=graph["extra"], status="saved")
    progress_record(learner=other_learner, resource=graph["steps"][0], status="completed")
    response = learner_client.get("/topics/basics/")
    assert response.context["statuses"] == {graph["extra"].pk: "Saved"}


def test_topic_pages_stay_within_the_query_budget(client, demo_learner, django_assert_max_num_queries):
    topic = Topic.objects.get(slug="transformers")
    for who in (None, demo_learner):
        if who:
            client.force_login(who)
        for url in ("/topics/", topic.get_absolute_url()):
            with django_assert_max_num_queries(15):
                assert client.get(url).status_code == 200
