"""The admin's insights: figures per resource, path and topic, the privacy threshold, rules and query budget."""

import pytest
from django.urls import reverse
from django.utils import timezone

from learning.models import (
    Dismissal,
    DismissalReason,
    LearnerProfile,
    Level,
    LinkCheck,
    LinkHealth,
    ProgressStatus,
)
from learning.selectors.insight_rules import ActionKind, suggested_actions
from learning.selectors.insights import MIN_LEARNERS, path_funnel, resource_insight, topic_insights
from tests.factories import (
    LearnerProfileFactory,
    LearningPathFactory,
    PathStepFactory,
    ProgressFactory,
    ResourceFactory,
    TopicFactory,
    UserFactory,
)

TOO_FEW = 'class="too-few"'  # how a hidden figure is marked up (it reads "too few to show")


@pytest.fixture
def admin_client(client, staff_user):
    client.force_login(staff_user)
    return client


def learners(count: int, level: str = Level.BEGINNER) -> list:
    return [LearnerProfileFactory(level=level).user for _ in range(count)]


def progress(resource, people, status=ProgressStatus.IN_PROGRESS, rating=None) -> None:
    now = timezone.now()
    for person in people:
        ProgressFactory(
            learner=person,
            resource=resource,
            status=status,
            rating=rating,
            completed_at=now if status == ProgressStatus.COMPLETED else None,
        )


def dismiss(resource, people, reason) -> None:
    for person in people:
        Dismissal.objects.create(learner=person, resource=resource, reason=reason)


@pytest.mark.django_db
def test_resource_figures_count_starts_completions_skips_ratings_and_dismissals(admin_client):
    resource = ResourceFactory(title="Attention explained")
    progress(resource, learners(6), ProgressStatus.COMPLETED, rating=4)
    progress(resource, learners(2), ProgressStatus.COMPLETED, rating=1)
    progress(resource, learners(4))
    progress(resource, learners(5), ProgressStatus.SKIPPED)
    progress(resource, learners(3), ProgressStatus.SAVED)  # a bookmark is not a start
    dismiss(resource, learners(3), DismissalReason.TOO_HARD)
    dismiss(resource, learners(2), DismissalReason.PAYWALLED)

    _, insight = resource_insight(resource_id=resource.pk)

    assert (insight.starts, insight.completions, insight.skips) == (12, 8, 5)
    assert insight.completion_rate == pytest.approx(8 / 12)
    assert insight.ratings == {1: 2, 2: 0, 3: 0, 4: 6, 5: 0}
    assert insight.mean_rating == pytest.approx((6 * 4 + 2 * 1) / 8)
    assert insight.dismissals == {"paywalled": 2, "too_hard": 3}
    page = admin_client.get(reverse("insights:resource", args=[resource.pk])).content.decode()
    assert "67%" in page
    assert TOO_FEW not in page
    assert page.count('class="chart') == 2  # ratings and dismissal reasons
    assert "Too hard: 3" in page


@pytest.mark.django_db
def test_fewer_than_five_learners_show_as_too_few_to_show(admin_client):
    resource = ResourceFactory(title="Rare paper")
    progress(resource, learners(MIN_LEARNERS - 1), ProgressStatus.COMPLETED, rating=2)
    dismiss(resource, learners(MIN_LEARNERS - 1), DismissalReason.TOO_HARD)

    _, insight = resource_insight(resource_id=resource.pk)

    assert insight.starts is None
    assert insight.completions is None
    assert insight.completion_rate is None
    assert insight.ratings is None
    assert insight.mean_rating is None
    assert insight.dismissals is None
    assert insight.dismissal_total is None
    page = admin_client.get(reverse("insights:resource", args=[resource.pk])).content.decode()
    assert page.count(TOO_FEW) == 8  # six figures and two charts
    assert 'class="chart' not in page
    listing = admin_client.get(reverse("insights:resources")).content.decode()
    row = listing[listing.index(f'id="resource-{resource.pk}"') :]
    row = row[: row.index("</tr>")]
    assert row.count(TOO_FEW) == 6
    assert ">4<" not in row


@pytest.mark.django_db
def test_five_learners_are_enough_to_show_a_figure():
    resource = ResourceFactory()
    progress(resource, learners(MIN_LEARNERS), ProgressStatus.COMPLETED, rating=5)

    _, insight = resource_insight(resource_id=resource.pk)

    assert (insight.starts, insight.completions, insight.completion_rate) == (5, 5, 1.0)
    assert insight.ratings == {1: 0, 2: 0, 3: 0, 4: 0, 5: 5}


@pytest.mark.django_db
def test_the_path_funnel_counts_learners_up_to_their_furthest_step_and_marks_the_biggest_loss(admin_client):
    path = LearningPathFactory(title="From scratch")
    steps = [PathStepFactory(path=path, position=p, resource=ResourceFactory(title=f"Step {p}")) for p in (1, 2, 3, 4)]
    stop_at_one, stop_at_two, finish = learners(3), learners(9), learners(6)
    for person in stop_at_one:
        progress(steps[0].resource, [person], ProgressStatus.COMPLETED)
    for person in stop_at_two:
        progress(steps[0].resource, [person], ProgressStatus.COMPLETED)
        progress(steps[1].resource, [person])
    for person in finish:  # skipped step 2, reached the last step: they passed every step
        progress(steps[0].resource, [person], ProgressStatus.SKIPPED)
        progress(steps[3].resource, [person], ProgressStatus.COMPLETED)

    funnel = path_funnel(path_id=path.pk)

    assert [step.reached for step in funnel.steps] == [18, 15, 6, 6]
    assert [step.lost for step in funnel.steps] == [None, 9, None, None]  # 3 and 0 are too few; the last never loses
    assert [step.loses_most for step in funnel.steps] == [False, True, False, False]
    assert funnel.learners == 18
    page = admin_client.get(reverse("insights:path", args=[path.pk])).content.decode()
    assert "most learners stop here" in page
    assert 'class="hbar marked"' in page


@pytest.mark.django_db
def test_a_funnel_of_too_few_learners_hides_every_step_and_marks_none():
    path = LearningPathFactory()
    first = PathStepFactory(path=path, position=1)
    PathStepFactory(path=path, position=2)
    progress(first.resource, learners(4), ProgressStatus.COMPLETED)

    funnel = path_funnel(path_id=path.pk)

    assert [step.reached for step in funnel.steps] == [None, None]
    assert not any(step.loses_most for step in funnel.steps)
    assert funnel.learners is None


@pytest.mark.django_db
def test_topics_show_goal_learners_against_published_resources_by_level(admin_client):
    topic = TopicFactory(name="Diffusion models")
    for person in learners(6, Level.INTERMEDIATE) + learners(2, Level.BEGINNER):
        person.learner_profile.goal_topics.add(topic)
    ResourceFactory(level=Level.INTERMEDIATE, topics=[topic])
    ResourceFactory(level=Level.INTERMEDIATE, topics=[topic], status="draft")

    insight = next(item for item in topic_insights() if item.pk == topic.pk)

    by_level = {figures.level: (figures.goal_learners, figures.resources) for figures in insight.levels}
    assert by_level == {"beginner": (None, 0), "intermediate": (6, 1), "advanced": (None, 0)}
    assert insight.goal_learners == 8
    page = admin_client.get(reverse("insights:topics")).content.decode()
    assert "Diffusion models" in page
    assert TOO_FEW in page


@pytest.mark.django_db
def test_rules_suggest_actions_that_link_to_their_rows(admin_client):
    too_hard = ResourceFactory(title="Hard for beginners", level=Level.BEGINNER)
    dismiss(too_hard, learners(2), DismissalReason.TOO_HARD)
    dismiss(too_hard, learners(3), DismissalReason.NOT_RELEVANT)  # 2 of 5 beginners: 40% >= 30%
    dismiss(too_hard, learners(4, Level.ADVANCED), DismissalReason.TOO_EASY)  # not beginners: not counted
    weak = ResourceFactory(title="Weak video")
    progress(weak, learners(2), ProgressStatus.COMPLETED, rating=2)
    progress(weak, learners(8), rating=2)
    broken = ResourceFactory(title="Gone article")
    LinkCheck.objects.create(
        resource=broken,
        checked_url=broken.url,
        health=LinkHealth.BROKEN,
        checked_at=timezone.now(),
        status_code=404,
        consecutive_failures=2,
    )
    thin = TopicFactory(name="Graph networks")
    for person in learners(5, Level.ADVANCED):
        person.learner_profile.goal_topics.add(thin)
    ResourceFactory(level=Level.ADVANCED, topics=[thin])

    actions = {(action.kind, action.subject) for action in suggested_actions()}

    assert actions == {
        (ActionKind.FIX_URL, "Gone article"),
        (ActionKind.REVIEW, "Weak video"),
        (ActionKind.CONSIDER_INTERMEDIATE, "Hard for beginners"),
        (ActionKind.ADD_RESOURCES, "Graph networks"),
    }
    page = admin_client.get(reverse("insights:index")).content.decode()
    for resource in (too_hard, weak, broken):
        assert reverse("admin:learning_resource_change", args=[resource.pk]) in page
    assert reverse("admin:learning_topic_change", args=[thin.pk]) in page
    assert "40% of the 5 beginners who dismissed it found it too hard." in page


@pytest.mark.django_db
def test_rules_stay_silent_below_five_learners():
    resource = ResourceFactory(level=Level.BEGINNER)
    dismiss(resource, learners(4), DismissalReason.TOO_HARD)
    progress(resource, learners(4), rating=1)
    topic = TopicFactory()
    for person in learners(4, Level.ADVANCED):
        person.learner_profile.goal_topics.add(topic)

    assert suggested_actions() == []


def _populate(resources: int) -> None:
    people = learners(6)
    topic = TopicFactory()
    for person in people:
        person.learner_profile.goal_topics.add(topic)
    path = LearningPathFactory()
    for position in range(1, resources + 1):
        resource = ResourceFactory(topics=[topic])
        PathStepFactory(path=path, resource=resource, position=position)
        progress(resource, people, ProgressStatus.COMPLETED, rating=3)
        dismiss(resource, people[:1], DismissalReason.OTHER)


@pytest.mark.django_db
@pytest.mark.parametrize("resources", [2, 12])
def test_insights_pages_stay_within_the_query_budget(admin_client, resources, django_assert_max_num_queries):
    _populate(resources)
    path = LearningPathFactory._meta.model.objects.get()
    resource_id = path.steps.first().resource_id
    urls = [
        reverse("insights:index"),
        reverse("insights:resources") + "?order=dismissals",
        reverse("insights:resource", args=[resource_id]),
        reverse("insights:paths"),
        reverse("insights:path", args=[path.pk]),
        reverse("insights:topics"),
    ]
    for url in urls:
        # Session, user, a fixed number of grouped reads per page, and (cold) storing two counts in the cache.
        with django_assert_max_num_queries(22):
            assert admin_client.get(url).status_code == 200


@pytest.mark.django_db
def test_insights_need_staff_and_the_view_permission(client):
    url = reverse("insights:index")
    assert client.get(url).status_code == 302  # to the admin log-in
    client.force_login(UserFactory(username="helper", is_staff=True))
    assert client.get(url).status_code == 403
    assert LearnerProfile.objects.count() == 0
