import pytest

from learning.models import LearnerProfile, LearningPath, PathEnrollment, Topic
from learning.services import progress_record
from tests.factories import LearningPathFactory

pytestmark = pytest.mark.django_db


def test_anyone_sees_the_published_paths_and_visitors_are_invited_to_plan_after_logging_in(client, graph):
    LearningPathFactory(title="Hidden draft path", status="draft")
    response = client.get("/paths/")
    page = response.content.decode()
    assert "Foundations" in page
    assert "Hidden draft path" not in page
    assert "to plan a personal path" in page
    assert "plan_form" not in response.context


def test_a_learner_sees_which_paths_they_follow(learner_client, learner, graph):
    assert 'action="/paths/foundations/follow/"' in learner_client.get("/paths/").content.decode()
    PathEnrollment.objects.create(learner=learner, path=graph["path"])
    page = learner_client.get("/paths/").content.decode()
    assert "Following" in page
    assert 'action="/paths/foundations/unfollow/"' in page


def test_another_learners_follows_do_not_show(learner_client, other_learner, graph):
    PathEnrollment.objects.create(learner=other_learner, path=graph["path"])
    assert "Following" not in learner_client.get("/paths/").content.decode()


def test_path_page_shows_the_steps_in_order_with_the_learners_state(learner_client, learner, other_learner, graph):
    progress_record(learner=learner, resource=graph["steps"][0], status="completed")
    progress_record(learner=other_learner, resource=graph["steps"][1], status="in_progress")
    response = learner_client.get("/paths/foundations/")
    assert [(s.step.resource.slug, s.status) for s in response.context["steps"]] == [
        ("intro", "completed"),
        ("nets", None),
        ("bp", None),
    ]
    page = response.content.decode()
    assert page.index("Intro to basics") < page.index("Nets explained") < page.index("Backprop by hand")
    assert "1 of 3 required" in page
    assert "In progress" not in page


def test_visitors_see_the_path_without_states(client, graph):
    response = client.get("/paths/foundations/")
    assert [s.status for s in response.context["steps"]] == [None, None, None]
    assert "Log in</a> to follow this path" in response.content.decode()


def test_a_personal_path_lists_what_the_learner_misses_in_prerequisite_order(learner_client, learner, graph):
    response = learner_client.get("/paths/?goal=backprop")
    plan = response.context["plan"]
    assert [step.topic.slug for step in plan.steps] == ["basics", "networks", "backprop"]
    assert plan.total_minutes > 0
    plan_html = response.content.decode().split('class="steps plan-steps"')[1]
    assert plan_html.index(">Basics<") < plan_html.index(">Networks<") < plan_html.index(">Backprop<")
    LearnerProfile.objects.get(user=learner).known_topics.add(graph["topics"][0])
    plan = learner_client.get("/paths/?goal=backprop").context["plan"]
    assert [step.topic.slug for step in plan.steps] == ["networks", "backprop"]


def test_a_personal_path_to_a_covered_goal_says_so(learner_client, learner, graph):
    for resource in graph["steps"]:
        progress_record(learner=learner, resource=resource, status="completed")
    response = learner_client.get("/paths/?goal=backprop")
    assert response.context["plan"].already_covered
    assert "You already cover Backprop" in response.content.decode()


@pytest.mark.parametrize("goal", ["no-such-topic", ""])
def test_an_unknown_goal_shows_a_field_error(learner_client, graph, goal):
    response = learner_client.get(f"/paths/?goal={goal}")
    assert response.status_code == 200
    assert "goal" in response.context["plan_form"].errors
    assert "plan" not in response.context


def test_unpublished_paths_are_not_found(client, graph):
    LearningPathFactory(slug="draft-path", status="draft")
    assert client.get("/paths/draft-path/").status_code == 404


@pytest.mark.parametrize("model", ["trained", "untrained"])
def test_path_pages_stay_within_the_query_budget(client, demo_learner, request, model, django_assert_max_num_queries):
    if model == "trained":
        request.getfixturevalue("trained")
    path = LearningPath.objects.filter(enrollments__learner=demo_learner).first()
    goal = Topic.objects.get(slug="large-language-models")
    urls = ["/paths/", path.get_absolute_url(), f"/paths/?goal={goal.slug}"]
    for url in urls:
        with django_assert_max_num_queries(15):
            assert client.get(url).status_code == 200
    client.force_login(demo_learner)
    client.get(urls[-1])  # warms the recommender's per-process catalog cache
    for url in urls:
        with django_assert_max_num_queries(15):
            assert client.get(url).status_code == 200
