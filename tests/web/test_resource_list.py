import pytest

from learning.models import Resource
from learning.services import progress_record
from learning.views.pages import RESOURCES_PER_PAGE
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def _listed(response) -> list[Resource]:
    return list(response.context["page"].object_list)


def test_anyone_can_browse_the_catalog_a_page_at_a_time(client, catalog):
    response = client.get("/resources/")
    assert response.status_code == 200
    published = Resource.objects.published().count()
    assert response.context["page"].paginator.count == published
    assert len(_listed(response)) == RESOURCES_PER_PAGE
    assert f"{published} resources" in response.content.decode()
    second = client.get("/resources/?level=beginner&page=2")
    assert second.status_code == 200
    assert 'href="?level=beginner&amp;page=1"' in second.content.decode(), "page links keep the filters"


@pytest.mark.parametrize(
    ("query", "check"),
    [
        ("kind=paper", lambda r: r.kind == "paper"),
        ("level=advanced", lambda r: r.level == "advanced"),
        ("cost=paid", lambda r: r.cost == "paid"),
        ("topic=transformers", lambda r: "transformers" in {t.slug for t in r.topics.all()}),
        ("framework=jax", lambda r: "jax" in {f.slug for f in r.frameworks.all()}),
        ("max_minutes=30", lambda r: r.estimated_minutes <= 30),
        (
            "search=attention",
            lambda r: (
                "attention" in f"{r.title} {r.summary} {r.provider}".lower()
                or any("attention" in t.name.lower() for t in r.topics.all())
            ),
        ),
    ],
)
def test_each_filter_narrows_the_catalog(client, catalog, query, check):
    response = client.get(f"/resources/?{query}")
    found = response.context["page"].paginator.object_list
    assert 0 < found.count() < Resource.objects.published().count()
    assert all(check(resource) for resource in found)


def test_filters_combine_and_show_as_selected(client, catalog):
    response = client.get("/resources/?level=beginner&kind=course&cost=free")
    assert all((r.level, r.kind, r.cost) == ("beginner", "course", "free") for r in _listed(response))
    page = response.content.decode()
    assert '<option value="beginner" selected>' in page
    assert '<option value="course" selected>' in page


def test_sorting_by_length_orders_the_catalog(client, catalog):
    minutes = [r.estimated_minutes for r in _listed(client.get("/resources/?ordering=-minutes"))]
    assert minutes == sorted(minutes, reverse=True)
    minutes = [r.estimated_minutes for r in _listed(client.get("/resources/?ordering=minutes"))]
    assert minutes == sorted(minutes)


@pytest.mark.parametrize("query", ["kind=bogus", "max_minutes=abc", "max_minutes=0", "ordering=price", "page=999"])
def test_bad_filter_input_shows_errors_not_a_server_error(client, graph, query):
    response = client.get(f"/resources/?{query}")
    assert response.status_code == 200
    name = query.split("=")[0]
    if name != "page":
        assert 'aria-invalid="true"' in response.content.decode()
        assert f'id="f-{name}-error"' in response.content.decode()


def test_drafts_never_appear_in_the_catalog(client, graph):
    ResourceFactory(title="Unfinished draft", status="draft")
    assert "Unfinished draft" not in client.get("/resources/").content.decode()


def test_a_learner_sees_their_own_status_on_each_card_and_nobody_elses(learner_client, other_learner, graph):
    progress_record(learner=other_learner, resource=graph["extra"], status="completed")
    response = learner_client.get("/resources/")
    assert response.context["statuses"] == {}
    progress_record(learner=response.wsgi_request.user, resource=graph["extra"], status="saved")
    response = learner_client.get("/resources/")
    assert response.context["statuses"] == {graph["extra"].pk: "Saved"}


@pytest.mark.parametrize(
    "query", ["", "?search=neural networks&level=beginner&ordering=-minutes&page=2", "?topic=cnns"]
)
def test_catalog_stays_within_the_query_budget(client, demo_learner, query, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        assert client.get(f"/resources/{query}").status_code == 200
    client.force_login(demo_learner)
    with django_assert_max_num_queries(15):
        assert client.get(f"/resources/{query}").status_code == 200
