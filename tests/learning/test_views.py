import pytest
from django.urls import reverse

from learning.models import LearningPath, PublicationStatus, Resource, Topic
from tests.factories import LearningPathFactory, PathStepFactory, ProgressFactory, ResourceFactory, TopicFactory


@pytest.mark.django_db
def test_home_shows_paths_and_highlighted_resources_to_anonymous_visitors(client, catalog):
    response = client.get(reverse("learning:home"))
    assert response.status_code == 200
    page = response.content.decode()
    for path in LearningPath.objects.published()[:3]:
        assert path.title in page
    assert len(response.context["highlighted"]) == 8
    assert all(resource.is_published for resource in response.context["highlighted"])


@pytest.mark.django_db
def test_home_highlights_what_learners_finish_most(client, learner, other_learner):
    favourite, other = ResourceFactory(title="Favourite"), ResourceFactory(title="Other")
    for user in (learner, other_learner):
        ProgressFactory(
            learner=user, resource=favourite, status="completed", percent=100, completed_at=favourite.created_at
        )
    response = client.get(reverse("learning:home"))
    assert response.context["highlighted"][0] == favourite
    assert other in response.context["highlighted"]


@pytest.mark.django_db
def test_home_query_count_does_not_grow_with_the_catalog(client, catalog, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        client.get(reverse("learning:home"))


@pytest.mark.django_db
def test_detail_pages_render_the_shipped_catalog(client, catalog, django_assert_max_num_queries):
    resource = Resource.objects.published().filter(path_steps__isnull=False).first()
    path = LearningPath.objects.published().first()
    topic = Topic.objects.filter(prerequisites__isnull=False).first()
    for url, expected in (
        (resource.get_absolute_url(), resource.url),
        (path.get_absolute_url(), path.title),
        (topic.get_absolute_url(), topic.name),
    ):
        with django_assert_max_num_queries(10):
            response = client.get(url)
        assert response.status_code == 200
        assert expected in response.content.decode()


@pytest.mark.django_db
def test_path_page_lists_steps_in_order(client):
    path = LearningPathFactory()
    last = PathStepFactory(path=path, position=2, resource=ResourceFactory(title="Second step"))
    PathStepFactory(path=path, position=1, resource=ResourceFactory(title="First step"), note="Start here")
    page = client.get(path.get_absolute_url()).content.decode()
    assert page.index("First step") < page.index(last.resource.title)
    assert "Start here" in page


@pytest.mark.django_db
@pytest.mark.parametrize("status", [PublicationStatus.DRAFT, PublicationStatus.ARCHIVED])
def test_unpublished_resources_and_paths_are_not_found(client, status):
    resource = ResourceFactory(status=status)
    path = LearningPathFactory(status=status)
    assert client.get(resource.get_absolute_url()).status_code == 404
    assert client.get(path.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_topic_page_lists_only_published_resources(client):
    topic = TopicFactory()
    ResourceFactory(title="Visible", topics=[topic])
    ResourceFactory(title="Hidden draft", topics=[topic], status=PublicationStatus.DRAFT)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "Visible" in page
    assert "Hidden draft" not in page


@pytest.mark.django_db
def test_unknown_slugs_are_not_found(client):
    for name in ("resource-detail", "path-detail", "topic-detail"):
        assert client.get(reverse(f"learning:{name}", kwargs={"slug": "no-such-thing"})).status_code == 404
