"""Marking topics known, learning or not yet on the topic map: plain forms, htmx, and the recommender following."""

import json
import re

import pytest
from django.conf import settings

from learning.charts.topic_map import crossings, layer_layout
from learning.exceptions import LearningError
from learning.models import LearnerProfile, Topic, TopicMark
from learning.services import topic_mark

pytestmark = pytest.mark.django_db


def _pressed(page: str, slug: str) -> list[str]:
    return re.findall(rf'id="mark-{slug}-(\w+)" class="mark-button" aria-pressed="true"', page)


def _profile(user) -> LearnerProfile:
    return LearnerProfile.objects.prefetch_related("known_topics", "goal_topics").get(user=user)


def test_a_learner_marks_a_topic_known_without_javascript(learner_client, learner, graph):
    page = learner_client.get("/topics/").content.decode()
    assert _pressed(page, "basics") == ["not_yet"]
    response = learner_client.post("/topics/basics/mark/", {"mark": "known", "next": "/topics/#topic-basics"})
    assert response.status_code == 302
    assert response["Location"] == "/topics/#topic-basics"
    assert [t.slug for t in _profile(learner).known_topics.all()] == ["basics"]
    page = learner_client.get("/topics/").content.decode()
    assert _pressed(page, "basics") == ["known"]
    assert 'href="/topics/basics/" class="tm-node tm-known"' in page
    assert "Basics: Known." in page  # the message after the redirect


def test_marking_with_htmx_returns_the_map_again_and_announces_it(learner_client, learner, graph):
    response = learner_client.post("/topics/networks/mark/", {"mark": "learning"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.startswith('<div id="topic-map-body">')
    assert "<html" not in page
    assert _pressed(page, "networks") == ["learning"]
    assert 'hx-swap-oob="true">Networks: Learning.</div>' in page
    assert [t.slug for t in _profile(learner).goal_topics.all()] == ["networks"]


def test_the_three_marks_move_a_topic_between_known_goals_and_neither(learner, graph):
    basics = graph["topics"][0]
    topic_mark(user=learner, topic=basics, mark=TopicMark.KNOWN)
    profile = _profile(learner)
    assert (list(profile.known_topics.all()), list(profile.goal_topics.all())) == ([basics], [])
    topic_mark(user=learner, topic=basics, mark=TopicMark.LEARNING)
    profile = _profile(learner)
    assert (list(profile.known_topics.all()), list(profile.goal_topics.all())) == ([], [basics])
    topic_mark(user=learner, topic=basics, mark=TopicMark.NOT_YET)
    profile = _profile(learner)
    assert (list(profile.known_topics.all()), list(profile.goal_topics.all())) == ([], [])


def test_a_bad_mark_changes_nothing_and_says_so(learner_client, learner, graph):
    response = learner_client.post("/topics/basics/mark/", {"mark": "expert"})
    assert response.status_code == 400
    assert "Not saved: choose Known, Learning or Not yet." in response.content.decode()
    htmx = learner_client.post("/topics/basics/mark/", {"mark": ""}, headers={"HX-Request": "true"})
    assert htmx.status_code == 200
    assert "Not saved" in htmx.content.decode()
    assert not _profile(learner).known_topics.exists()
    with pytest.raises(LearningError):
        topic_mark(user=learner, topic=graph["topics"][0], mark="expert")
    assert learner_client.post("/topics/no-such-topic/mark/", {"mark": "known"}).status_code == 404


def test_visitors_are_sent_to_log_in_and_get_no_buttons(client, graph):
    response = client.post("/topics/basics/mark/", {"mark": "known"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/topics/")
    page = client.get("/topics/").content.decode()
    assert "mark-button" not in page
    assert 'id="topic-basics"' in page, "the list view of the map is there for visitors too"


def test_a_mark_is_the_learners_own(learner_client, other_learner, learner, graph):
    learner_client.post("/topics/basics/mark/", {"mark": "known"})
    assert not LearnerProfile.objects.filter(user=other_learner, known_topics__isnull=False).exists()
    assert _profile(learner).known_topics.count() == 1


def test_marking_a_topic_known_removes_its_resources_from_the_suggestions(learner_client, learner, graph):
    from recommender.selectors import recommendation_list

    before = {item.resource.id for item in recommendation_list(learner=learner, limit=10)}
    assert {graph["extra"].pk, graph["steps"][0].pk} <= before, "both teach only basics"
    learner_client.post("/topics/basics/mark/", {"mark": "known"})
    after = {item.resource.id for item in recommendation_list(learner=learner, limit=10)}
    assert graph["extra"].pk not in after
    assert graph["steps"][0].pk not in after
    dashboard = learner_client.get("/dashboard/").content.decode()
    assert "Extra video" not in dashboard


def test_the_list_view_holds_every_topic_in_the_maps_rows(client, graph):
    response = client.get("/topics/")
    rows = response.context["rows"]
    assert [[node.slug for node, _ in row.topics] for row in rows] == [["basics"], ["networks"], ["backprop"]]
    assert rows[1].topics[0][1] == ["Basics"], "each topic lists what it needs"
    page = response.content.decode()
    assert "needs Basics" in page
    assert 'id="map-hint"' in page, "the hint to swipe the map on a small screen"


def test_svg_node_names_keep_a_space_between_their_lines(client, db):
    Topic.objects.create(slug="prob", name="Probability and statistics", summary="s")
    page = client.get("/topics/").content.decode()
    assert 'aria-label="Probability and statistics"' in page
    assert re.search(r"Probability and</tspan> <tspan[^>]*>statistics</tspan>", page)


def _shipped_graph() -> tuple[list[str], list[tuple[str, str]]]:
    topics = json.loads(settings.DEEPPATH_CATALOG_FILE.read_text())["topics"]
    keys = [t["slug"] for t in topics]
    return keys, [(t["slug"], p) for t in topics for p in t["prerequisites"]]


def test_the_shipped_map_keeps_rows_narrow_and_topics_below_their_prerequisites():
    keys, edges = _shipped_graph()
    rows = layer_layout(keys, edges, {k: k for k in keys})
    row_of = {key: r for r, row in enumerate(rows) for key in row}
    assert sorted(row_of) == sorted(keys)
    assert max(len(row) for row in rows) <= 6
    assert all(row_of[prerequisite] < row_of[topic] for topic, prerequisite in edges)


def test_the_layout_crosses_fewer_arrows_than_plain_longest_path_layers():
    keys, edges = _shipped_graph()
    labels = {k: k for k in keys}
    plain = layer_layout(keys, edges, labels, max_row=len(keys))  # one row per chain length, no width cap
    ordered = layer_layout(keys, edges, labels)
    alphabetical = [sorted(row) for row in plain]
    assert crossings(ordered, edges) < crossings(alphabetical, edges)
    assert crossings(ordered, edges) <= 65  # 61 on the shipped catalog; alphabetical rows: 200 or more
