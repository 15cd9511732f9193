"""Defects a learner met on the pages (issue 14): grouped onboarding topics, the catalog's folded filters and heading
order, the learner's state per resource on a topic page, and focus after a suggestion card is replaced."""

import re

import pytest

from learning.models import LearnerProfile
from learning.selectors import topic_groups
from learning.services import progress_record

pytestmark = pytest.mark.django_db


def test_onboarding_groups_the_shipped_topics_in_folded_groups(learner_client, catalog):
    page = learner_client.get("/onboarding/").content.decode()
    groups = topic_groups()
    assert [name for name, _ in groups] == ["Foundations", "Built on the foundations", "Further on"]
    assert sum(len(topics) for _, topics in groups) >= 30
    assert all(len(topics) < 30 for _, topics in groups)
    # Two fields (goals and known topics), each a <details> per group, folded while nothing in it is chosen.
    assert page.count('<details class="choice-group">') == 2 * len(groups)
    foundations = dict(groups[0][1])
    assert "Linear algebra" in foundations.values()


def test_a_group_with_a_chosen_topic_starts_open_and_saving_still_works(learner_client, learner, catalog):
    groups = topic_groups()
    known_pk, known_name = groups[0][1][0]
    LearnerProfile.objects.get_or_create(user=learner)[0].known_topics.add(known_pk)
    page = learner_client.get("/onboarding/").content.decode()
    assert page.count('<details class="choice-group" open>') == 1
    assert re.search(rf'name="known_topics" value="{known_pk}" id="[\w-]+" checked> {known_name}', page)
    response = learner_client.post(
        "/onboarding/", {"level": "beginner", "weekly_hours": 3, "known_topics": [groups[-1][1][0][0]]}
    )
    assert response.status_code == 302
    assert list(LearnerProfile.objects.get(user=learner).known_topics.values_list("pk", flat=True)) == [
        groups[-1][1][0][0]
    ]


def test_catalog_cards_are_h2_under_the_h1_and_filters_sit_in_a_disclosure(client, catalog):
    page = client.get("/resources/").content.decode()
    levels = [int(level) for level in re.findall(r"<h([1-6])", page)]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), "no heading level is skipped"
    assert '<h2 class="card-title">' in page
    assert '<details class="filter-panel" data-open-wide>' in page, "folded on a phone when no filter is on"
    filtered = client.get("/resources/?framework=pytorch").content.decode()
    assert '<details class="filter-panel" data-open-wide open>' in filtered
    assert "Filters (1 on)" in filtered


def test_topic_page_shows_the_learners_state_on_each_resource_known_included(learner_client, learner, graph):
    basics = graph["topics"][0]
    progress_record(learner=learner, resource=graph["steps"][0], status="completed")
    response = learner_client.get("/topics/basics/")
    assert response.context["statuses"] == {graph["steps"][0].pk: "Completed", graph["extra"].pk: "Known"}
    LearnerProfile.objects.get(user=learner).known_topics.remove(basics)
    page = response.content.decode()
    assert '<span class="badge mine">Known</span>' in page
    assert 'id="mark-basics-not_yet" class="mark-button" aria-pressed="true"' in page
    response = learner_client.post("/topics/basics/mark/", {"mark": "known", "next": "/topics/basics/"})
    assert response["Location"] == "/topics/basics/"


def test_a_replaced_suggestion_card_takes_the_focus_through_the_sites_own_script(learner_client, graph):
    resource = graph["extra"]
    response = learner_client.post(
        f"/resources/{resource.slug}/dismiss/",
        {"reason": "too_easy", "partial": "card"},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert re.search(
        rf'<article class="card rec-card done" id="rec-{resource.pk}" tabindex="-1" data-focus-after-swap>', page
    )
    base = learner_client.get("/dashboard/").content.decode()
    assert '<script src="/static/js/focus-after-swap.js" defer></script>' in base
