import pytest

from learning.exceptions import LearningError
from learning.models import Framework, LearnerProfile, PathEnrollment, PublicationStatus, Resource
from learning.services import dismissal_record, progress_record
from recommender.data import catalog_snapshot
from recommender.plans import path_plan
from recommender.selectors import recommendation_list
from tests.factories import (
    LearningPathFactory,
    PathStepFactory,
    ResourceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def graph():
    """basics -> networks -> backprop, with a path through them and a few extra resources."""
    basics = TopicFactory(slug="basics", name="Basics")
    networks = TopicFactory(slug="networks", name="Networks")
    backprop = TopicFactory(slug="backprop", name="Backprop")
    networks.prerequisite_links.create(prerequisite=basics)
    backprop.prerequisite_links.create(prerequisite=networks)
    path = LearningPathFactory(slug="foundations", title="Foundations")
    steps = [
        ResourceFactory(slug="intro", title="Intro", kind="course", topics=[basics], provider="A"),
        ResourceFactory(slug="nets", title="Nets", kind="article", topics=[networks], provider="B"),
        ResourceFactory(slug="bp", title="Backprop by hand", kind="project", topics=[backprop], provider="C"),
    ]
    for position, resource in enumerate(steps, start=1):
        PathStepFactory(path=path, resource=resource, position=position)
    extras = [
        ResourceFactory(slug=f"extra-{i}", title=f"Extra {i}", topics=[basics], provider=f"P{i}", kind="video")
        for i in range(3)
    ]
    return {"topics": (basics, networks, backprop), "path": path, "steps": steps, "extras": extras}


def _slugs(learner, limit=10) -> list[str]:
    return [item.resource.slug for item in recommendation_list(learner=learner, limit=limit)]


def test_cold_start_learner_gets_a_full_list_starting_with_an_unlocked_resource(learner, graph):
    items = recommendation_list(learner=learner, limit=10)
    assert items, "never empty while published resources remain"
    assert "bp" not in [item.resource.slug for item in items[:1]]
    assert all(1 <= len(item.reasons) <= 3 for item in items)


def test_cold_start_with_a_goal_starts_the_matching_path(learner, graph):
    profile = LearnerProfile.objects.get(user=learner)
    profile.goal_topics.set([graph["topics"][2]])
    graph["path"].goal_topics.set([graph["topics"][2]])
    first = recommendation_list(learner=learner, limit=5)[0]
    assert first.resource.slug == "intro"
    assert first.reasons[0].code == "path_start"


def test_never_offers_completed_skipped_in_progress_dismissed_or_unpublished(learner, graph):
    progress_record(learner=learner, resource=graph["steps"][0], status="completed")
    progress_record(learner=learner, resource=graph["extras"][0], status="skipped")
    progress_record(learner=learner, resource=graph["extras"][1], status="in_progress")
    dismissal_record(learner=learner, resource=graph["extras"][2], reason="too_easy")
    ResourceFactory(slug="draft", topics=[graph["topics"][0]], status=PublicationStatus.DRAFT)
    slugs = _slugs(learner)
    assert not {"intro", "extra-0", "extra-1", "extra-2", "draft"} & set(slugs)


def test_locked_resource_is_replaced_by_its_missing_prerequisite(learner, graph):
    PathEnrollment.objects.create(learner=learner, path=graph["path"])
    progress_record(learner=learner, resource=graph["steps"][0], status="completed")
    items = recommendation_list(learner=learner)
    slugs = [item.resource.slug for item in items]
    assert "bp" not in slugs, "backprop needs networks, which the learner has not covered"
    assert slugs[0] == "nets"
    assert items[0].reasons[0].code == "next_in_path"
    assert "Foundations" in items[0].reasons[0].text


def test_known_topics_unlock_resources(learner, graph):
    profile = LearnerProfile.objects.get(user=learner)
    profile.known_topics.set(graph["topics"][:2])
    assert "bp" in _slugs(learner)


def test_marking_the_top_item_complete_changes_the_next_step_at_once(learner, graph):
    PathEnrollment.objects.create(learner=learner, path=graph["path"])
    first = recommendation_list(learner=learner)[0].resource
    assert first.slug == "intro"
    progress_record(learner=learner, resource=Resource.objects.get(pk=first.id), status="completed")
    after = _slugs(learner)
    assert after[0] == "nets"
    assert "intro" not in after


def test_archiving_a_resource_removes_it_immediately(learner, graph):
    before = _slugs(learner)
    archived = graph["extras"][0]
    assert archived.slug in before
    archived.status = PublicationStatus.ARCHIVED
    archived.save()
    assert archived.slug not in _slugs(learner)


def test_list_has_at_most_limit_unique_items_and_is_deterministic(learner, graph):
    first = _slugs(learner, limit=4)
    assert len(first) == len(set(first)) <= 4
    assert _slugs(learner, limit=4) == first


def test_level_and_framework_fit_order_equal_candidates(learner):
    topic = TopicFactory()
    pytorch = Framework.objects.get(slug="pytorch")
    tensorflow = Framework.objects.get(slug="tensorflow")
    profile = LearnerProfile.objects.get(user=learner)
    profile.level = "beginner"
    profile.save()
    profile.preferred_frameworks.set([pytorch])
    ResourceFactory(slug="hard-tf", topics=[topic], level="advanced", frameworks=[tensorflow], provider="X")
    ResourceFactory(slug="easy-torch", topics=[topic], level="beginner", frameworks=[pytorch], provider="Y")
    # A video, so it is not a repeat of easy-torch (same topics, level and kind), which would go last.
    ResourceFactory(
        slug="easy-tf", topics=[topic], level="beginner", kind="video", frameworks=[tensorflow], provider="Z"
    )
    assert _slugs(learner) == ["easy-torch", "easy-tf", "hard-tf"]


def test_one_learner_does_not_change_another_learners_list(learner, other_learner, graph):
    before = _slugs(other_learner)
    progress_record(learner=learner, resource=graph["steps"][0], status="completed")
    dismissal_record(learner=learner, resource=graph["extras"][0], reason="other")
    assert _slugs(other_learner) == before


def test_path_plan_covers_missing_prerequisites_in_order(learner, graph):
    plan = path_plan(learner=learner, goal_topic=graph["topics"][2])
    assert [step.topic.slug for step in plan.steps] == ["basics", "networks", "backprop"]
    assert [step.resource.slug for step in plan.steps][1:] == ["nets", "bp"]
    assert plan.total_minutes == sum(step.resource.estimated_minutes for step in plan.steps)


def test_path_plan_skips_what_the_learner_covered(learner, graph):
    progress_record(learner=learner, resource=graph["steps"][0], status="completed")
    plan = path_plan(learner=learner, goal_topic=graph["topics"][2])
    assert [step.topic.slug for step in plan.steps] == ["networks", "backprop"]


def test_path_plan_for_a_covered_goal_is_empty(learner, graph):
    LearnerProfile.objects.get(user=learner).known_topics.set(graph["topics"])
    plan = path_plan(learner=learner, goal_topic=graph["topics"][2])
    assert plan.steps == []
    assert plan.already_covered


def test_queries_stay_few_and_constant_even_with_a_cold_catalog_cache(learner, graph, django_assert_max_num_queries):
    PathEnrollment.objects.create(learner=learner, path=graph["path"])
    progress_record(learner=learner, resource=graph["steps"][0], status="completed")
    # catalog snapshot 5 + its no-model popularity 2 (learners' levels, completions) + learner 2 + final published
    # check 1 + the active model version 1 (read from the database once per catalog cache window, like the snapshot)
    with django_assert_max_num_queries(11):
        recommendation_list(learner=learner)
    with django_assert_max_num_queries(3):
        recommendation_list(learner=learner)


def test_an_empty_catalog_gives_an_empty_list_not_an_error(learner):
    assert recommendation_list(learner=learner) == []


def test_a_new_learner_is_offered_the_start_of_at_most_three_paths_nearest_their_level_and_goals(learner):
    """Paths sharing a goal at or next to the learner's level: the closest level first, then the most shared goals,
    then catalog order; a path sharing no goal, or two levels away, is not started."""
    x, y, z = (TopicFactory(slug=slug) for slug in ("x", "y", "z"))
    profile = LearnerProfile.objects.get(user=learner)
    profile.level = "intermediate"
    profile.save()
    profile.goal_topics.set([x, y])

    def path(slug: str, level: str, goals) -> int:
        created = LearningPathFactory(slug=slug, level=level)
        created.goal_topics.set(goals)
        PathStepFactory(path=created, resource=ResourceFactory(slug=f"{slug}-start", topics=[z]), position=1)
        return created.pk

    beginner_x = path("beginner-x", "beginner", [x])
    path("advanced-x", "advanced", [x])  # as near as beginner-x, later in catalog order
    both = path("intermediate-xy", "intermediate", [x, y])
    path("intermediate-z", "intermediate", [z])  # no shared goal
    one = path("intermediate-x", "intermediate", [x])
    started = [
        reason.path_id
        for item in recommendation_list(learner=learner, limit=20)
        for reason in item.reasons
        if reason.code == "path_start"
    ]
    assert sorted(started) == sorted([both, one, beginner_x])


def _no_rebuild():
    raise AssertionError("the catalog arrays were rebuilt")


def test_a_plan_reads_the_cached_catalog_and_clears_nothing(learner, graph, monkeypatch):
    cached = catalog_snapshot()
    monkeypatch.setattr("recommender.data.catalog.load_catalog_snapshot", _no_rebuild)
    assert path_plan(learner=learner, goal_topic=graph["topics"][2]).steps
    assert catalog_snapshot() is cached


def test_a_plan_for_a_topic_newer_than_the_cached_catalog_gets_a_snapshot_holding_it(learner, graph):
    cached = catalog_snapshot()
    goal = TopicFactory(slug="attention", name="Attention")
    goal.prerequisite_links.create(prerequisite=graph["topics"][2])
    plan = path_plan(learner=learner, goal_topic=goal)
    assert plan.goal == goal
    assert [step.topic.slug for step in plan.steps] == ["basics", "networks", "backprop", "attention"]
    assert catalog_snapshot() is not cached
    assert goal.pk in catalog_snapshot().topic_index


def test_a_plan_for_a_new_topic_keeps_the_previous_snapshot_when_the_catalog_cannot_be_rebuilt(
    learner, graph, monkeypatch
):
    cached = catalog_snapshot()
    goal = TopicFactory(slug="attention", name="Attention")
    monkeypatch.setattr("recommender.data.catalog.load_catalog_snapshot", _no_rebuild)
    with pytest.raises(LearningError, match="too new"):
        path_plan(learner=learner, goal_topic=goal)
    assert catalog_snapshot() is cached  # still serving, for this learner's next request and everyone else's
