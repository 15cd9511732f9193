"""Link health end to end: check_links records outcomes, the admin shows and filters them, and fixes URLs."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from learning.linkcheck import LinkChecker
from learning.models import LinkCheck, LinkHealth, PublicationStatus, Resource
from learning.services.links import links_check, resources_use_final_url
from tests.factories import ResourceFactory
from tests.learning.link_server import link_server

QUICK = LinkChecker(timeout=0.5, max_redirects=5, workers=4, per_host_interval=0)


@pytest.fixture(scope="module")
def base_url():
    with link_server() as url:
        yield url


@pytest.fixture
def quick_settings(settings):
    settings.DEEPPATH_LINKCHECK_TIMEOUT = 1
    settings.DEEPPATH_LINKCHECK_PER_HOST_INTERVAL = 0
    return settings


@pytest.fixture
def admin_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.mark.django_db
def test_each_published_resource_gets_its_outcome_and_drafts_are_skipped(base_url):
    ok = ResourceFactory(url=f"{base_url}/ok")
    moved = ResourceFactory(url=f"{base_url}/chain/2")
    gone = ResourceFactory(url=f"{base_url}/missing")
    looping = ResourceFactory(url=f"{base_url}/loop-a")
    draft = ResourceFactory(url=f"{base_url}/broken", status=PublicationStatus.DRAFT)

    summary = links_check(checker=QUICK)

    assert summary.as_dict() == {"checked": 4, "ok": 1, "redirected": 1, "broken": 2}
    checks = {check.resource_id: check for check in LinkCheck.objects.all()}
    assert draft.pk not in checks
    assert (checks[ok.pk].health, checks[ok.pk].status_code, checks[ok.pk].consecutive_failures) == ("ok", 200, 0)
    assert (checks[moved.pk].health, checks[moved.pk].final_url) == ("redirected", f"{base_url}/ok")
    assert (checks[gone.pk].health, checks[gone.pk].status_code, checks[gone.pk].outcome) == ("broken", 404, "404")
    assert checks[looping.pk].error.startswith("redirect loop")
    # Nothing is unpublished automatically.
    assert set(Resource.objects.filter(pk__in=[gone.pk, looping.pk]).values_list("status", flat=True)) == {"published"}


@pytest.mark.django_db
def test_consecutive_failures_count_up_and_reset_when_the_link_works_again(base_url):
    resource = ResourceFactory(url=f"{base_url}/missing")
    links_check(checker=QUICK)
    links_check(checker=QUICK)
    assert LinkCheck.objects.get(resource=resource).consecutive_failures == 2
    Resource.objects.filter(pk=resource.pk).update(url=f"{base_url}/ok")
    links_check(checker=QUICK)
    check = LinkCheck.objects.get(resource=resource)
    assert (check.health, check.consecutive_failures) == (LinkHealth.OK, 0)


@pytest.mark.django_db
def test_the_command_checks_and_lists_broken_links(base_url, quick_settings, capsys):
    ResourceFactory(url=f"{base_url}/ok")
    ResourceFactory(slug="slow-one", url=f"{base_url}/slow")
    call_command("check_links")
    out = capsys.readouterr().out
    assert "broken  slow-one: timed out after 1 s" in out
    assert "Checked 2 resource(s): 1 OK, 0 redirected, 1 broken." in out


@pytest.mark.django_db
def test_use_final_url_adopts_only_current_redirect_checks(base_url):
    moved = ResourceFactory(url=f"{base_url}/chain/2")
    edited = ResourceFactory(url=f"{base_url}/chain/1")
    links_check(checker=QUICK)
    Resource.objects.filter(pk=edited.pk).update(url=f"{base_url}/chain/3")  # edited after its check

    assert resources_use_final_url(resource_ids=[moved.pk, edited.pk], user=None) == 1

    moved.refresh_from_db()
    edited.refresh_from_db()
    assert moved.url == f"{base_url}/ok"
    assert LinkCheck.objects.get(resource=moved).health == LinkHealth.OK
    assert edited.url == f"{base_url}/chain/3"


@pytest.mark.django_db
def test_admin_lists_health_filters_it_and_uses_the_final_url(admin_client, base_url):
    moved = ResourceFactory(title="Moved page", url=f"{base_url}/chain/1")
    gone = ResourceFactory(title="Gone page", url=f"{base_url}/missing")
    ResourceFactory(title="Unchecked page", url=f"{base_url}/draft", status=PublicationStatus.DRAFT)
    links_check(checker=QUICK)
    changelist = reverse("admin:learning_resource_changelist")

    page = admin_client.get(changelist).content.decode()
    assert "broken ×1" in page
    assert "Redirected" in page
    assert "never checked" in page

    broken_only = admin_client.get(changelist, {"link_health": "broken"}).content.decode()
    assert "Gone page" in broken_only
    assert "Moved page" not in broken_only
    never = admin_client.get(changelist, {"link_health": "never"}).content.decode()
    assert "Unchecked page" in never
    assert "Gone page" not in never
    redirected = admin_client.get(changelist, {"link_health": "redirected"}).content.decode()
    assert "Moved page" in redirected
    assert "Gone page" not in redirected

    response = admin_client.post(
        changelist, {"action": "use_final_url", "_selected_action": [moved.pk, gone.pk]}, follow=True
    )
    assert "1 resource(s) now use their final URL" in response.content.decode()
    moved.refresh_from_db()
    gone.refresh_from_db()
    assert moved.url == f"{base_url}/ok"
    assert gone.url == f"{base_url}/missing"


@pytest.mark.django_db
def test_admin_queues_a_check_of_all_links_and_of_selected_ones(admin_client):
    resource = ResourceFactory()
    changelist = reverse("admin:learning_resource_changelist")
    assert "Check all links now" in admin_client.get(changelist).content.decode()

    response = admin_client.post(reverse("admin:learning_resource_check_links"), follow=True)
    assert "queued" in response.content.decode()
    admin_client.post(changelist, {"action": "check_links", "_selected_action": [resource.pk]})

    queued = list(DBTaskResult.objects.order_by("enqueued_at").values_list("task_path", "args_kwargs"))
    assert [path for path, _ in queued] == ["learning.tasks.check_links_task"] * 2
    assert queued[1][1]["kwargs"] == {"resource_ids": [resource.pk]}


@pytest.mark.django_db
def test_the_task_runs_the_same_check(base_url, quick_settings):
    from learning.tasks import check_links_task

    ResourceFactory(url=f"{base_url}/ok")
    assert check_links_task.call() == {"checked": 1, "ok": 1, "redirected": 0, "broken": 0}


@pytest.mark.django_db
def test_a_get_of_the_check_url_changes_nothing(admin_client):
    response = admin_client.get(reverse("admin:learning_resource_check_links"))
    assert response.status_code == 302
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_a_final_url_taken_by_another_resource_is_refused_and_nothing_changes(admin_client, base_url):
    ResourceFactory(url=f"{base_url}/ok", status=PublicationStatus.DRAFT)
    moved = ResourceFactory(url=f"{base_url}/chain/1")
    links_check(checker=QUICK)
    response = admin_client.post(
        reverse("admin:learning_resource_changelist"),
        {"action": "use_final_url", "_selected_action": [moved.pk]},
        follow=True,
    )
    assert "Resource with this URL already exists." in response.content.decode()
    moved.refresh_from_db()
    assert moved.url == f"{base_url}/chain/1"


@pytest.mark.django_db
def test_the_command_can_queue_the_task_for_cron(capsys):
    call_command("check_links", "--enqueue")
    assert "Link check queued as task" in capsys.readouterr().out
    assert DBTaskResult.objects.get().task_path == "learning.tasks.check_links_task"
