import json
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from learning.models import Interaction, LearnerProfile, PathEnrollment, Progress, Resource, Topic
from learning.services.demo import demo_learners_seed

ANCHOR = datetime(2026, 6, 1, tzinfo=UTC)


def _history() -> list[tuple]:
    progress = Progress.objects.order_by("learner__username", "resource__slug").values_list(
        "learner__username", "resource__slug", "status", "percent", "rating", "started_at", "completed_at"
    )
    events = Interaction.objects.order_by("learner__username", "occurred_at", "kind", "resource__slug").values_list(
        "learner__username", "resource__slug", "kind", "value", "occurred_at"
    )
    profiles = LearnerProfile.objects.order_by("user__username").values_list("user__username", "level", "weekly_hours")
    return [*progress, *events, *profiles]


@pytest.mark.django_db
def test_import_catalog_command_imports_and_is_idempotent(tmp_path, catalog, capsys):
    call_command("export_catalog", str(tmp_path / "catalog.json"))
    call_command("import_catalog", str(tmp_path / "catalog.json"))
    assert "0 created, 0 updated" in capsys.readouterr().out


@pytest.mark.django_db
def test_import_catalog_command_fails_listing_each_problem_and_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "format": "deeppath-catalog",
                "version": 1,
                "topics": [
                    {"slug": "a", "name": "A", "prerequisites": ["b"]},
                    {"slug": "b", "name": "B", "prerequisites": ["a"]},
                    {"slug": "c", "name": "C", "prerequisites": ["missing"]},
                ],
            }
        )
    )
    with pytest.raises(CommandError):
        call_command("import_catalog", str(bad))
    errors = capsys.readouterr().err
    assert "prerequisite cycle" in errors
    assert "unknown topic 'missing'" in errors
    assert Topic.objects.count() == 0


@pytest.mark.django_db
def test_import_catalog_if_empty_keeps_existing_catalog(tmp_path, catalog):
    Resource.objects.filter(slug=Resource.objects.first().slug).update(title="Edited by a curator")
    call_command("import_catalog", str(settings.DEEPPATH_CATALOG_FILE), "--if-empty")
    assert Resource.objects.filter(title="Edited by a curator").exists()


@pytest.mark.django_db
def test_export_catalog_refuses_unknown_extension(tmp_path):
    with pytest.raises(CommandError, match=r"\.json or \.csv"):
        call_command("export_catalog", str(tmp_path / "catalog.xml"))


@pytest.mark.django_db
def test_export_catalog_writes_csv(tmp_path, catalog):
    call_command("export_catalog", str(tmp_path / "resources.csv"))
    lines = (tmp_path / "resources.csv").read_text().splitlines()
    assert len(lines) == Resource.objects.count() + 1


@pytest.mark.django_db
def test_seed_demo_is_deterministic_for_a_seed(catalog):
    demo_learners_seed(learners=25, seed=7, anchor=ANCHOR)
    first = _history()
    demo_learners_seed(learners=25, seed=7, anchor=ANCHOR, replace=True)
    assert _history() == first
    demo_learners_seed(learners=25, seed=8, anchor=ANCHOR, replace=True)
    assert _history() != first


@pytest.mark.django_db
def test_seed_demo_writes_realistic_histories(catalog):
    call_command("seed_demo", "--learners", "60", "--seed", "3", "--anchor", "2026-06-01")
    assert get_user_model().objects.filter(username__startswith="demo-").count() == 60
    statuses = set(Progress.objects.values_list("status", flat=True))
    assert statuses == {"saved", "in_progress", "completed", "skipped"}
    kinds = set(Interaction.objects.values_list("kind", flat=True))
    assert {"viewed", "started", "completed", "rated", "skipped", "dismissed"} <= kinds
    assert Progress.objects.exclude(rating=None).exists()
    first, last = min(Interaction.objects.values_list("occurred_at", flat=True)), ANCHOR
    assert (last - first).days > 60, "histories are spread over months"
    assert not Interaction.objects.filter(occurred_at__gte=ANCHOR).exists()
    completed = Progress.objects.filter(status="completed").count()
    assert Interaction.objects.filter(kind="completed").count() == completed


@pytest.mark.django_db
def test_seed_demo_learners_follow_paths_in_order(catalog):
    call_command("seed_demo", "--learners", "40", "--seed", "5", "--anchor", "2026-06-01")
    checked = 0
    for enrollment in PathEnrollment.objects.select_related("path")[:20]:
        steps = list(enrollment.path.steps.order_by("position").values_list("resource_id", flat=True))
        completed = dict(
            Progress.objects.filter(learner=enrollment.learner, status="completed", resource_id__in=steps).values_list(
                "resource_id", "completed_at"
            )
        )
        times = [completed[r] for r in steps if r in completed]
        assert times == sorted(times)
        checked += len(times)
    assert checked > 0


@pytest.mark.django_db
def test_seed_demo_refuses_twice_without_replace_and_if_empty_skips(catalog, capsys):
    call_command("seed_demo", "--learners", "3", "--seed", "1")
    with pytest.raises(CommandError, match="already exist"):
        call_command("seed_demo", "--learners", "3", "--seed", "1")
    call_command("seed_demo", "--learners", "3", "--seed", "1", "--if-empty")
    assert "not seeding again" in capsys.readouterr().out
    assert get_user_model().objects.filter(username__startswith="demo-").count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize("args", [["--learners", "0"], ["--anchor", "June"]])
def test_seed_demo_rejects_bad_arguments(catalog, args):
    with pytest.raises(CommandError):
        call_command("seed_demo", *args)


@pytest.mark.django_db
def test_seed_demo_without_catalog_explains_what_to_do():
    with pytest.raises(CommandError, match="Import the catalog first"):
        call_command("seed_demo", "--learners", "3")


@pytest.mark.django_db
def test_ensure_admin_creates_once_and_prints_the_login(monkeypatch, capsys):
    monkeypatch.delenv("DEEPPATH_ADMIN_PASSWORD", raising=False)
    call_command("ensure_admin")
    out = capsys.readouterr().out
    password = out.split("Login:")[1].split("/")[1].strip()
    admin_user = get_user_model().objects.get(username="admin")
    assert admin_user.is_superuser
    assert admin_user.check_password(password)
    assert "http://127.0.0.1:8000/admin/" in out
    call_command("ensure_admin")
    assert password not in capsys.readouterr().out
    assert get_user_model().objects.filter(username="admin").count() == 1


@pytest.mark.django_db
def test_ensure_admin_takes_and_resets_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("DEEPPATH_ADMIN_PASSWORD", "first-Secret-42")
    call_command("ensure_admin")
    monkeypatch.setenv("DEEPPATH_ADMIN_PASSWORD", "second-Secret-42")
    call_command("ensure_admin")
    assert get_user_model().objects.get(username="admin").check_password("second-Secret-42")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[" * 1000 + "]" * 1000, "nested more than"),
        ('{"format": "deeppath-catalog", "version": 1, "topics": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested"),
        (
            '{"format": "deeppath-catalog", "version": 1, "topics": [{"slug": "a\\ud800", "name": "A"}]}',
            "not valid Unicode",
        ),
        (
            '{"format": "deeppath-catalog", "version": 1, '
            '"topics": [{"slug": "a", "name": "A", "summary": "\\udfff"}]}',
            "not valid Unicode",
        ),
    ],
    ids=["deep-list", "very-deep-topics", "surrogate-in-slug", "surrogate-in-summary"],
)
def test_import_catalog_lists_unreadable_json_as_a_problem_and_writes_nothing(tmp_path, capsys, text, problem):
    hostile = tmp_path / "hostile.json"
    hostile.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match="cannot be imported"):
        call_command("import_catalog", str(hostile))
    errors = capsys.readouterr().err
    assert problem in errors
    errors.encode("utf-8")  # what the command prints can be printed: the bad text is not echoed
    assert Topic.objects.count() == 0
