import json

import pytest
from django.contrib.auth import get_user_model

from learning.models import Dismissal, Framework, Interaction, LearnerProfile, Progress
from learning.services import dismissal_record, progress_record

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-staple"


@pytest.mark.parametrize("url", ["/account/", "/account/export/", "/account/delete/"])
def test_account_pages_need_a_login(client, url):
    assert client.get(url)["Location"] == f"/accounts/login/?next={url}"


def test_the_account_page_changes_the_learning_profile(learner_client, learner):
    page = learner_client.get("/account/").content.decode()
    assert 'name="weekly_hours"' in page
    assert 'href="/accounts/password_change/"' in page
    jax = Framework.objects.get(slug="jax")
    response = learner_client.post("/account/", {"level": "advanced", "weekly_hours": "10", "frameworks": [jax.pk]})
    assert response["Location"] == "/account/"
    profile = LearnerProfile.objects.get(user=learner)
    assert (profile.level, profile.weekly_hours) == ("advanced", 10)
    assert [f.slug for f in profile.preferred_frameworks.all()] == ["jax"]


def test_bad_profile_input_shows_field_errors(learner_client, learner):
    response = learner_client.post("/account/", {"level": "beginner", "weekly_hours": "-2"})
    assert response.status_code == 400
    assert "weekly_hours" in response.context["form"].errors
    assert LearnerProfile.objects.get(user=learner).weekly_hours == 3


def test_export_downloads_all_my_data_and_nobody_elses(learner_client, learner, other_learner, graph):
    progress_record(learner=learner, resource=graph["extra"], status="in_progress")
    dismissal_record(learner=learner, resource=graph["steps"][2], reason="too_hard")
    progress_record(learner=other_learner, resource=graph["steps"][0], status="completed")
    response = learner_client.get("/account/export/")
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["username"] == learner.username
    assert [row["resource"] for row in data["progress"]] == ["extra"]
    assert [row["resource"] for row in data["dismissals"]] == ["bp"]
    assert {event["resource"] for event in data["events"]} == {"extra", "bp"}


def test_export_holds_every_column_of_the_learner_tables_dismissal_comments_included(learner_client, learner, graph):
    progress_record(learner=learner, resource=graph["extra"], status="in_progress")
    dismissal_record(learner=learner, resource=graph["steps"][2], reason="other", comment="Too much maths for me")
    data = json.loads(learner_client.get("/account/export/").content)
    assert data["dismissals"][0]["comment"] == "Too much maths for me"
    owner_columns = {"id", "learner", "user", "resource"}  # who it belongs to is the export itself; resource by slug
    tables = {"progress": Progress, "dismissals": Dismissal, "events": Interaction}
    for key, model in tables.items():
        columns = {field.name for field in model._meta.concrete_fields} - owner_columns
        assert columns <= set(data[key][0]), (key, columns - set(data[key][0]))
    profile_columns = {field.name for field in LearnerProfile._meta.get_fields() if field.concrete} - owner_columns
    exported = set(data["profile"])
    assert profile_columns <= exported, profile_columns - exported


def test_deleting_the_account_needs_the_password(learner_client, learner):
    assert "cannot be undone" in learner_client.get("/account/delete/").content.decode()
    response = learner_client.post("/account/delete/", {"password": "wrong"})
    assert response.status_code == 400
    assert response.context["form"].errors == {"password": ["That is not your password."]}
    assert get_user_model().objects.filter(pk=learner.pk).exists()


def test_deleting_the_account_removes_everything_and_logs_out(learner_client, learner, other_learner, graph):
    progress_record(learner=learner, resource=graph["extra"], status="completed")
    dismissal_record(learner=learner, resource=graph["steps"][0], reason="too_easy")
    progress_record(learner=other_learner, resource=graph["extra"], status="saved")
    response = learner_client.post("/account/delete/", {"password": PASSWORD})
    assert response["Location"] == "/"
    assert not get_user_model().objects.filter(pk=learner.pk).exists()
    assert not Progress.objects.filter(learner_id=learner.pk).exists()
    assert not Dismissal.objects.filter(learner_id=learner.pk).exists()
    assert not Interaction.objects.filter(learner_id=learner.pk).exists()
    assert Progress.objects.filter(learner=other_learner).exists(), "other learners keep their data"
    assert learner_client.get("/dashboard/").status_code == 302
    assert "account and all your data are deleted" in learner_client.get("/").content.decode()


@pytest.mark.parametrize("url", ["/account/", "/account/export/", "/account/delete/"])
def test_account_pages_stay_within_the_query_budget(client, demo_learner, url, django_assert_max_num_queries):
    client.force_login(demo_learner)
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200
