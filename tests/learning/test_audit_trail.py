"""The catalog's audit trail: admin edits, bulk actions, imports, link fixes, path steps and retrain requests record
who, when and each field's before and after; each row's history page shows them and the CSV export carries them."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from learning.models import LinkCheck, LinkHealth, PublicationStatus, Resource
from learning.selectors.audit import audit_entries
from learning.services import StepSpec, catalog_import, path_steps_replace
from learning.services.paths import saved_plan_store
from tests.factories import LearningPathFactory, PathStepFactory, ResourceFactory, TopicFactory, UserFactory


@pytest.fixture
def admin_client(client, staff_user):
    client.force_login(staff_user)
    return client


def changes_of(entry) -> dict[str, tuple[str, str]]:
    return {change.field: (change.old, change.new) for change in entry.changes}


def export(client, **params) -> list[dict]:
    response = client.get(reverse("audit:export"), params)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="deeppath-audit')
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def resource_form(resource: Resource, **changes) -> dict:
    data = {
        "title": resource.title,
        "slug": resource.slug,
        "kind": resource.kind,
        "url": resource.url,
        "provider": resource.provider_id,
        "summary": resource.summary,
        "level": resource.level,
        "estimated_minutes": resource.estimated_minutes,
        "cost": resource.cost,
        "frameworks": [framework.pk for framework in resource.frameworks.all()],
        "topics": [topic.pk for topic in resource.topics.all()],
        "status": resource.status,
    }
    return {**data, **changes}


@pytest.mark.django_db
def test_an_admin_edit_records_who_when_and_each_field_before_and_after(admin_client, staff_user):
    topic, other = TopicFactory(name="Backpropagation"), TopicFactory(name="Optimisers")
    resource = ResourceFactory(title="Old title", estimated_minutes=30, topics=[topic])
    before = timezone.now()

    response = admin_client.post(
        reverse("admin:learning_resource_change", args=[resource.pk]),
        resource_form(resource, title="New title", estimated_minutes=45, topics=[topic.pk, other.pk]),
    )

    assert response.status_code == 302
    entries = audit_entries(model="resource", object_id=resource.pk)
    edits = [entry for entry in entries if entry.user == "curator"]
    changed = {}
    for entry in edits:
        changed.update(changes_of(entry))
        assert entry.reason == "admin"
        assert entry.at >= before
    assert changed["title"] == ("Old title", "New title")
    assert changed["estimated_minutes"] == ("30", "45")
    assert changed["topics"] == ("Backpropagation", "Backpropagation; Optimisers")
    page = admin_client.get(reverse("admin:learning_resource_history", args=[resource.pk])).content.decode()
    assert "Old title" in page
    assert "New title" in page
    assert "Backpropagation; Optimisers" in page
    assert "Download this history (CSV)" in page


@pytest.mark.django_db
def test_bulk_actions_record_the_acting_curator(admin_client):
    drafts = [ResourceFactory(status=PublicationStatus.DRAFT) for _ in range(3)]

    admin_client.post(
        reverse("admin:learning_resource_changelist"),
        {"action": "publish", "_selected_action": [resource.pk for resource in drafts]},
    )

    for resource in drafts:
        latest = audit_entries(model="resource", object_id=resource.pk)[0]
        assert (latest.user, latest.reason) == ("curator", "bulk action: published")
        assert changes_of(latest)["status"] == ("Draft", "Published")


@pytest.mark.django_db
def test_a_link_fix_records_the_old_and_new_url(admin_client):
    resource = ResourceFactory(url="https://example.com/old")
    LinkCheck.objects.create(
        resource=resource,
        checked_url=resource.url,
        health=LinkHealth.REDIRECTED,
        checked_at=timezone.now(),
        status_code=200,
        final_url="https://example.com/new",
        redirects=1,
    )

    admin_client.post(
        reverse("admin:learning_resource_changelist"), {"action": "use_final_url", "_selected_action": [resource.pk]}
    )

    latest = audit_entries(model="resource", object_id=resource.pk)[0]
    assert (latest.user, latest.reason) == ("curator", "link fix: final URL")
    assert changes_of(latest)["url"] == ("https://example.com/old", "https://example.com/new")


def _document(title: str) -> dict:
    return {
        "format": "deeppath-catalog",
        "version": 2,
        "topics": [{"slug": "audit-topic", "name": "Audit topic", "summary": "", "prerequisites": []}],
        "resources": [
            {
                "slug": "audited",
                "title": title,
                "kind": "article",
                "url": "https://example.com/audited",
                "provider": "Example",
                "summary": "A resource.",
                "level": "beginner",
                "estimated_minutes": 20,
                "cost": "free",
                "frameworks": ["none"],
                "topics": ["audit-topic"],
                "status": "published",
            }
        ],
        "paths": [],
    }


@pytest.mark.django_db
def test_imports_from_the_command_line_record_the_command_line_or_the_named_user(tmp_path):
    UserFactory(username="importer")
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    first.write_text(json.dumps(_document("First title")))
    second.write_text(json.dumps(_document("Second title")))

    call_command("import_catalog", str(first), stdout=io.StringIO())
    call_command("import_catalog", str(second), "--user", "importer", stdout=io.StringIO())

    resource = Resource.objects.get(slug="audited")
    entries = audit_entries(model="resource", object_id=resource.pk)
    assert len(entries) == 2, "one record per import of the row, its many-to-many sets included"
    assert [link.topic.slug for link in resource.history.earliest().topics.all()] == ["audit-topic"]
    created = entries[-1]
    assert (created.action, created.user, created.reason) == ("created", "", "import (command line)")
    assert changes_of(created)["title"] == ("", "First title")
    assert (entries[0].user, entries[0].reason) == ("importer", "import (command line)")
    assert changes_of(entries[0])["title"] == ("First title", "Second title")


@pytest.mark.django_db
def test_an_import_in_the_admin_records_the_curator(admin_client):
    upload = io.BytesIO(json.dumps(_document("From the admin")).encode())
    upload.name = "catalog.json"

    admin_client.post(reverse("admin:learning_catalog_import"), {"file": upload})

    entry = audit_entries(model="resource")[0]
    assert (entry.user, entry.reason, entry.object_name) == ("curator", "import (admin)", "From the admin")


@pytest.mark.django_db
def test_path_steps_are_recorded_in_the_path_history_in_order(staff_user):
    path = LearningPathFactory(title="Audited path")
    first, second = ResourceFactory(title="Alpha"), ResourceFactory(title="Beta")
    PathStepFactory(path=path, resource=first, position=1)

    path_steps_replace(
        path=path, steps=[StepSpec(second.pk, note="Start here"), StepSpec(first.pk, False)], user=staff_user
    )

    latest = audit_entries(model="path", object_id=path.pk)[0]
    assert latest.user == "curator"
    assert changes_of(latest)["resources"][1] == "1. Beta: Start here; 2. Alpha (optional)"


@pytest.mark.django_db
def test_a_topic_prerequisite_change_is_recorded(admin_client):
    topic, prerequisite = TopicFactory(name="Transformers"), TopicFactory(name="Attention")

    admin_client.post(
        reverse("admin:learning_topic_change", args=[topic.pk]),
        {"name": topic.name, "slug": topic.slug, "summary": "", "prerequisite_topics": [prerequisite.pk]},
    )

    changed = {}
    for entry in audit_entries(model="topic", object_id=topic.pk):
        changed.update(changes_of(entry))
    assert changed["prerequisites"] == ("", "Attention")


@pytest.mark.django_db
def test_learners_saved_plans_leave_no_history(learner):
    topic = TopicFactory()
    resource = ResourceFactory(topics=[topic])

    path = saved_plan_store(learner=learner, goal=topic, thorough=False, level="beginner", resource_ids=[resource.pk])

    assert path.owner_id == learner.pk
    assert audit_entries(model="path") == []


@pytest.mark.django_db
def test_the_export_lists_every_change_and_retrain_requests(admin_client):
    resource = ResourceFactory(title="Exported")
    admin_client.post(reverse("admin:recommender_modelversion_retrain"))

    rows = export(admin_client)
    one = export(admin_client, model="resource", object=resource.pk)

    assert {row["object"] for row in one} == {"Exported"}
    assert any(row["field"] == "title" and row["after"] == "Exported" for row in one)
    retrain = [row for row in rows if row["model"] == "model version"]
    assert len(retrain) == 1
    assert retrain[0]["user"] == "curator"
    page = admin_client.get(reverse("audit:index")).content.decode()
    assert "Exported" in page


@pytest.mark.django_db
def test_the_audit_trail_needs_the_view_permission(client):
    client.force_login(UserFactory(username="helper", is_staff=True))
    assert client.get(reverse("audit:index")).status_code == 403
    assert client.get(reverse("audit:export")).status_code == 403


@pytest.mark.django_db
def test_a_catalog_import_service_records_its_user(staff_user):
    catalog_import(document=_document("Service import"), user=staff_user, via="admin")

    entry = audit_entries(model="resource")[0]
    assert (entry.user, entry.reason) == ("curator", "import (admin)")
