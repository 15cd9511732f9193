import json

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from learning.models import (
    Dismissal,
    Framework,
    LearningPath,
    PathEnrollment,
    PathStep,
    Progress,
    PublicationStatus,
    Resource,
    Topic,
    TopicPrerequisite,
)
from tests.factories import (
    InteractionFactory,
    LearningPathFactory,
    PathStepFactory,
    ProgressFactory,
    ResourceFactory,
    TopicFactory,
)

LEARNING_MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label == "learning"), key=lambda m: m.__name__
)


@pytest.fixture
def admin_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def populated(learner):
    topic = TopicFactory()
    TopicPrerequisite.objects.create(topic=TopicFactory(), prerequisite=topic)
    step = PathStepFactory(resource=ResourceFactory(topics=[topic]))
    ProgressFactory(learner=learner, resource=step.resource)
    InteractionFactory(learner=learner, resource=step.resource)
    PathEnrollment.objects.create(learner=learner, path=step.path)
    Dismissal.objects.create(learner=learner, resource=ResourceFactory(), reason="too_easy")
    return step


def _admin_url(model, action: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


@pytest.mark.django_db
@pytest.mark.parametrize("model", LEARNING_MODELS, ids=lambda model: model.__name__)
def test_changelist_and_change_form_of_each_model_render_for_staff(admin_client, populated, model):
    assert admin_client.get(_admin_url(model, "changelist")).status_code == 200
    instance = model.objects.first()
    assert instance is not None
    assert admin_client.get(_admin_url(model, "change", instance.pk)).status_code == 200


@pytest.mark.django_db
def test_changelist_search_and_every_filter_render(admin_client, populated):
    url = _admin_url(Resource, "changelist")
    topic = populated.resource.topics.first()
    for query in (
        "q=Resource",
        "kind__exact=article",
        "level__exact=beginner",
        "status__exact=published",
        "cost__exact=free",
        f"frameworks__id__exact={Framework.objects.get(slug='none').pk}",
        f"topics__id__exact={topic.pk}",
    ):
        response = admin_client.get(f"{url}?{query}")
        assert response.status_code == 200, query
        assert populated.resource.title in response.content.decode()


@pytest.mark.django_db
def test_learner_progress_is_read_only_in_admin(admin_client, populated):
    progress = Progress.objects.get()
    response = admin_client.post(_admin_url(Progress, "change", progress.pk), {"status": "completed", "percent": 100})
    assert response.status_code == 403
    assert admin_client.get(_admin_url(Progress, "add")).status_code == 403
    progress.refresh_from_db()
    assert progress.status != "completed"


@pytest.mark.django_db
def test_non_staff_learner_cannot_open_the_admin(client, learner):
    client.force_login(learner)
    response = client.get(_admin_url(Resource, "changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_bulk_publish_and_archive_actions_change_status(admin_client):
    drafts = ResourceFactory.create_batch(3, status=PublicationStatus.DRAFT)
    url = _admin_url(Resource, "changelist")
    ids = [r.pk for r in drafts[:2]]
    admin_client.post(url, {"action": "publish", "_selected_action": ids})
    assert set(Resource.objects.published().values_list("pk", flat=True)) == set(ids)
    admin_client.post(url, {"action": "archive", "_selected_action": ids[:1]})
    assert Resource.objects.get(pk=ids[0]).status == PublicationStatus.ARCHIVED
    assert Resource.objects.get(pk=drafts[2].pk).status == PublicationStatus.DRAFT


def _topic_form(topic: Topic, prerequisites: list[Topic]) -> dict:
    return {
        "name": topic.name,
        "slug": topic.slug,
        "summary": topic.summary,
        "prerequisite_topics": [p.pk for p in prerequisites],
    }


@pytest.mark.django_db
def test_topic_admin_saves_prerequisites(admin_client):
    basics, advanced = TopicFactory(), TopicFactory()
    response = admin_client.post(_admin_url(Topic, "change", advanced.pk), _topic_form(advanced, [basics]))
    assert response.status_code == 302
    assert list(advanced.prerequisites.all()) == [basics]


@pytest.mark.django_db
def test_topic_admin_refuses_a_prerequisite_cycle_with_a_field_error(admin_client):
    basics, advanced = TopicFactory(name="Basics"), TopicFactory(name="Advanced")
    TopicPrerequisite.objects.create(topic=advanced, prerequisite=basics)
    response = admin_client.post(_admin_url(Topic, "change", basics.pk), _topic_form(basics, [advanced]))
    assert response.status_code == 200
    assert "prerequisite cycle" in response.content.decode()
    assert not basics.prerequisites.exists()


def _path_form(path: LearningPath, steps: list[tuple[int, Resource]], existing: list[PathStep] = ()) -> dict:
    data = {
        "slug": path.slug,
        "title": path.title,
        "summary": path.summary,
        "level": path.level,
        "status": path.status,
        "steps-TOTAL_FORMS": len(steps),
        "steps-INITIAL_FORMS": len(existing),
        "steps-MIN_NUM_FORMS": 0,
        "steps-MAX_NUM_FORMS": 1000,
    }
    for index, (position, resource) in enumerate(steps):
        data |= {
            f"steps-{index}-position": position,
            f"steps-{index}-resource": resource.pk,
            f"steps-{index}-required": "on",
            f"steps-{index}-note": "",
            f"steps-{index}-path": path.pk,
        }
        if index < len(existing):
            data[f"steps-{index}-id"] = existing[index].pk
    return data


@pytest.mark.django_db
def test_path_admin_can_swap_two_steps_in_one_save(admin_client):
    path = LearningPathFactory()
    first, second = PathStepFactory(path=path, position=1), PathStepFactory(path=path, position=2)
    data = _path_form(path, [(2, first.resource), (1, second.resource)], existing=[first, second])
    response = admin_client.post(_admin_url(LearningPath, "change", path.pk), data)
    assert response.status_code == 302
    assert list(path.steps.order_by("position").values_list("resource_id", flat=True)) == [
        second.resource_id,
        first.resource_id,
    ]


@pytest.mark.django_db
def test_path_admin_shows_errors_for_duplicate_positions_and_resources(admin_client):
    path = LearningPathFactory()
    one, two = ResourceFactory(), ResourceFactory()
    for steps in ([(1, one), (1, two)], [(1, one), (2, one)]):
        response = admin_client.post(_admin_url(LearningPath, "change", path.pk), _path_form(path, steps))
        assert response.status_code == 200
        assert "errornote" in response.content.decode()
    assert not path.steps.exists()


@pytest.mark.django_db
def test_resource_admin_form_shows_field_errors_for_bad_input(admin_client):
    taken = ResourceFactory()
    data = {
        "title": "",
        "slug": "Not A Slug",
        "kind": "podcast",
        "url": taken.url,
        "provider": "x",
        "summary": "s",
        "level": "expert",
        "estimated_minutes": 0,
        "cost": "free",
        "status": "published",
    }
    response = admin_client.post(_admin_url(Resource, "add"), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert {"title", "slug", "kind", "url", "level", "estimated_minutes", "frameworks", "topics"} <= errors.keys()
    assert Resource.objects.count() == 1


def _upload(name: str, body: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body.encode(), content_type="application/octet-stream")


@pytest.mark.django_db
def test_admin_export_then_import_round_trips_the_catalog(admin_client, catalog):
    exported = admin_client.get(reverse("admin:learning_catalog_export_json"))
    assert exported.status_code == 200
    assert "attachment" in exported["Content-Disposition"]
    document = json.loads(exported.content)
    response = admin_client.post(
        reverse("admin:learning_catalog_import"), {"file": _upload("catalog.json", exported.content.decode())}
    )
    assert response.status_code == 302
    assert len(document["resources"]) == Resource.objects.count()


@pytest.mark.django_db
def test_admin_csv_export_lists_every_resource(admin_client):
    ResourceFactory.create_batch(3)
    response = admin_client.get(reverse("admin:learning_resources_export_csv"))
    lines = response.content.decode().strip().splitlines()
    assert lines[0].startswith("slug,title,kind,url")
    assert len(lines) == 4


@pytest.mark.django_db
def test_admin_import_lists_every_problem_and_writes_nothing(admin_client):
    body = json.dumps(
        {
            "format": "deeppath-catalog",
            "version": 1,
            "topics": [],
            "paths": [],
            "resources": [
                {
                    "slug": "a",
                    "title": "A",
                    "kind": "podcast",
                    "url": "https://a.example",
                    "provider": "p",
                    "summary": "s",
                    "level": "beginner",
                    "estimated_minutes": 5,
                    "cost": "free",
                    "frameworks": ["none"],
                    "topics": ["nope"],
                },
            ],
        }
    )
    response = admin_client.post(reverse("admin:learning_catalog_import"), {"file": _upload("bad.json", body)})
    assert response.status_code == 200
    problems = response.context["problems"]
    assert any("kind" in problem for problem in problems)
    assert any("unknown topic 'nope'" in problem for problem in problems)
    assert Resource.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "body"), [("catalog.txt", "{}"), ("broken.json", "{not json"), ("broken.csv", "title\nonly")]
)
def test_admin_import_shows_a_form_error_for_unusable_files(admin_client, name, body):
    response = admin_client.post(reverse("admin:learning_catalog_import"), {"file": _upload(name, body)})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
