import json
from datetime import UTC, datetime

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from learning.models import Progress, Resource
from learning.services import progress_record
from learning.services.demo import demo_learners_seed
from recommender import services
from recommender.data import catalog_snapshot, current_popularity_by_level
from recommender.loading import active_model
from recommender.models import ModelVersion
from recommender.selectors import recommendation_list
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db
ANCHOR = datetime(2026, 6, 1, tzinfo=UTC)


@pytest.fixture
def history(catalog, built_once):
    built_once("training-history", lambda: demo_learners_seed(learners=80, seed=11, anchor=ANCHOR))


@pytest.fixture
def trained(history, built_once):
    """A model trained on `history` and active: trained for real once per process, restored (rows and model folder)
    for the other tests that only need one to exist."""
    built_once("training-trained", services.recommender_train, model_dir=True)


def _a_learner_with_history():
    return Progress.objects.filter(status="completed").order_by("learner__username").first().learner


def test_training_activates_a_versioned_artifact_without_pickle(history, settings):
    report = services.recommender_train()
    assert report.activated, report.reason
    run = report.run
    assert run.status == ModelVersion.Status.ACTIVE
    assert run.metrics["hybrid"]["ndcg"] > run.metrics["popularity"]["ndcg"]
    folder = settings.DEEPPATH_MODEL_DIR / run.version
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["metrics"]["hybrid"]["ndcg"] == run.metrics["hybrid"]["ndcg"]
    assert {"numpy", "scipy", "scikit-learn"} <= manifest["library_versions"].keys()
    with np.load(folder / "arrays.npz", allow_pickle=False) as arrays:
        assert all(arrays[name].dtype != object for name in arrays.files)
    assert ModelVersion.objects.get(status=ModelVersion.Status.ACTIVE).version == run.version
    assert active_model().version == run.version
    # The artifact's popularity is the one no-model serving reads: nothing was completed since the data cut.
    catalog = catalog_snapshot()
    trained = active_model().aligned_with(catalog.resource_ids).popularity_by_level
    np.testing.assert_array_equal(trained, current_popularity_by_level(catalog))


def test_served_list_with_a_model_gives_collaborative_reasons(trained):
    learner = _a_learner_with_history()
    items = recommendation_list(learner=learner)
    assert len(items) == 10
    codes = {reason.code for item in items for reason in item.reasons}
    assert codes & {"similar_learners", "next_in_path", "unlocks"}


def test_a_failing_retrain_leaves_the_active_model_and_list_unchanged(trained, monkeypatch, settings):
    settings.DEEPPATH_BLEND_RELEARN_PERCENT = 0  # the retrain builds a new estimator rather than reusing the blend
    learner = _a_learner_with_history()
    before_version, before = active_model().version, recommendation_list(learner=learner)

    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services, "default_estimator", explode)
    report = services.recommender_train()
    assert not report.activated
    assert report.run.status == ModelVersion.Status.FAILED
    assert "disk on fire" in report.run.reason
    assert active_model().version == before_version
    assert recommendation_list(learner=learner) == before


def test_a_retrain_worse_than_popularity_is_rejected(trained, monkeypatch, settings):
    settings.DEEPPATH_BLEND_RELEARN_PERCENT = 0  # the retrain builds a new estimator rather than reusing the blend
    learner = _a_learner_with_history()
    before_version, before = active_model().version, recommendation_list(learner=learner)

    class Contrarian(services.Popularity):
        name = "hybrid"

        def score(self, X_users, sequences=None):
            return -super().score(X_users, sequences)

    monkeypatch.setattr(services, "default_estimator", Contrarian)
    report = services.recommender_train()
    assert report.run.status == ModelVersion.Status.REJECTED
    assert "does not beat popularity" in report.reason
    assert active_model().version == before_version
    assert recommendation_list(learner=learner) == before


def test_without_any_model_serving_falls_back_to_structure_and_popularity(history):
    assert active_model() is None
    items = recommendation_list(learner=_a_learner_with_history())
    assert len(items) == 10


def test_a_corrupt_active_artifact_falls_back_instead_of_failing(trained, settings):
    version = ModelVersion.objects.get(status=ModelVersion.Status.ACTIVE).version
    (settings.DEEPPATH_MODEL_DIR / version / "arrays.npz").write_bytes(b"not an npz file")
    from recommender.loading import forget_loaded_model

    forget_loaded_model()
    assert len(recommendation_list(learner=_a_learner_with_history())) == 10


def test_train_command_reports_and_if_missing_skips(history, capsys):
    call_command("train_recommender")
    assert "is now active" in capsys.readouterr().out
    call_command("train_recommender", "--if-missing")
    assert "already active" in capsys.readouterr().out
    assert ModelVersion.objects.count() == 1


def test_train_command_fails_loudly_when_training_fails(history, monkeypatch):
    monkeypatch.setattr(services, "default_estimator", lambda: 1 / 0)
    with pytest.raises(CommandError, match="ZeroDivisionError"):
        call_command("train_recommender")


def test_too_little_history_is_rejected_with_a_reason(catalog):
    report = services.recommender_train()
    assert report.run.status == ModelVersion.Status.REJECTED
    assert "Not enough history" in report.reason


def test_new_interactions_enqueue_a_retraining_once_past_the_threshold(
    trained, settings, learner, django_capture_on_commit_callbacks
):
    settings.DEEPPATH_RETRAIN_AFTER_INTERACTIONS = 3
    resources = Resource.objects.published().order_by("pk")[:3]
    client = client_for(learner)

    def record(resource, status):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.put(f"/api/v1/me/progress/{resource.pk}/", {"status": status}, format="json")
        assert response.status_code == 200, response.content

    record(resources[0], "saved")
    record(resources[1], "saved")
    assert not ModelVersion.objects.filter(trigger=ModelVersion.Trigger.AUTO).exists()
    record(resources[2], "saved")
    record(resources[2], "in_progress")
    assert ModelVersion.objects.filter(trigger=ModelVersion.Trigger.AUTO).count() == 1, "queued once, not twice"
    assert DBTaskResult.objects.filter(task_path="recommender.tasks.train_recommender_task").count() == 1


def test_the_write_services_never_check_for_a_retraining_themselves(trained, settings, learner):
    """learning's write path must not reach into the recommender: the interfaces check once per request."""
    settings.DEEPPATH_RETRAIN_AFTER_INTERACTIONS = 1
    for resource in Resource.objects.published().order_by("pk")[:3]:
        progress_record(learner=learner, resource=resource, status="completed")
    assert not ModelVersion.objects.filter(trigger=ModelVersion.Trigger.AUTO).exists()


def test_admin_lists_versions_and_retrain_now_enqueues_a_task(
    trained, client, staff_user, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    page = client.get(reverse("admin:recommender_modelversion_changelist"))
    assert page.status_code == 200
    version = ModelVersion.objects.get()
    assert version.version in page.content.decode()
    assert client.get(reverse("admin:recommender_modelversion_add")).status_code == 403, "versions are read-only"
    delete = client.post(reverse("admin:recommender_modelversion_delete", args=[version.pk]), {"post": "yes"})
    assert delete.status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:recommender_modelversion_retrain"))
    assert ModelVersion.objects.filter(trigger=ModelVersion.Trigger.ADMIN, status="queued").count() == 1
    assert DBTaskResult.objects.filter(task_path="recommender.tasks.train_recommender_task").count() == 1


def test_the_queued_task_runs_the_training(history):
    from recommender.tasks import train_recommender_task

    run = ModelVersion.objects.create(trigger=ModelVersion.Trigger.ADMIN)
    result = train_recommender_task.call(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == ModelVersion.Status.ACTIVE
    assert result["version"] == run.version


def test_model_version_ndcg_reads_its_own_models_row():
    metrics = {"hybrid": {"ndcg": 0.61}, "popularity": {"ndcg": 0.2}, "item_knn": {"ndcg": 0.4}}
    assert ModelVersion(metrics=metrics).ndcg == 0.61, "no algorithm yet: the default model's row"
    assert ModelVersion(metrics=metrics, algorithm="item_knn").ndcg == 0.4
    assert ModelVersion(metrics={}).ndcg is None


def test_training_writes_the_learned_blend_to_the_manifest_and_the_admin_page(history, settings, client, staff_user):
    run = services.recommender_train().run
    assert run.ndcg == run.metrics["hybrid"]["ndcg"] is not None
    manifest = json.loads((settings.DEEPPATH_MODEL_DIR / run.version / "manifest.json").read_text())
    learned = manifest["parameters"]["learned"]
    assert learned["learned"] is True, learned
    assert set(learned["weights"]) == {"structure", "sequence", "cf", "next_cf", "ease", "popularity"}
    assert 0 < learned["validation"]["ndcg@10"] <= 1
    client.force_login(staff_user)
    listing = client.get(reverse("admin:recommender_modelversion_changelist")).content.decode()
    assert f"{run.ndcg}" in listing
    page = client.get(reverse("admin:recommender_modelversion_change", args=[run.pk])).content.decode()
    assert "Learned blend (fit time)" in page
    assert f"NDCG@10 {learned['validation']['ndcg@10']}" in page
    assert "<td>sequence</td>" in page


def test_a_retrain_on_nearly_the_same_data_reuses_the_learned_blend_and_says_so(history, settings):
    first = services.recommender_train().run
    learner = _a_learner_with_history()
    untouched = Resource.objects.exclude(progress__learner=learner).first()
    progress_record(learner=learner, resource=untouched, status="completed")

    second = services.recommender_train().run

    assert second.status == ModelVersion.Status.ACTIVE, second.reason
    learned = second.parameters["learned"]
    assert learned["reused_from"] == first.version
    assert learned["weights"] == first.parameters["learned"]["weights"]
    assert learned["learned_on"] == first.parameters["learned"]["learned_on"]  # growth counts from the search
    assert second.metrics["hybrid"]["ndcg"] > second.metrics["popularity"]["ndcg"]  # judged on the holdout anyway
    assert active_model().version == second.version
    assert recommendation_list(learner=learner)


@pytest.mark.parametrize("change", ["no reuse configured", "catalog changed", "grew past the threshold"])
def test_the_blend_is_learned_afresh_when_it_may_no_longer_fit(history, settings, change):
    first = services.recommender_train().run
    learned = first.parameters["learned"]
    if change == "no reuse configured":
        settings.DEEPPATH_BLEND_RELEARN_PERCENT = 0
    elif change == "catalog changed":
        learned["learned_on"]["paths"] += 1
    else:
        learned["learned_on"]["pairs"] = int(learned["learned_on"]["pairs"] / 1.06)
    ModelVersion.objects.filter(pk=first.pk).update(parameters=first.parameters)

    second = services.recommender_train().run

    assert second.status == ModelVersion.Status.ACTIVE, second.reason
    assert "reused_from" not in second.parameters["learned"]
    assert second.parameters["learned"]["learned"] is True


@pytest.mark.parametrize("fault", ["fails", "loses to popularity"])
def test_a_reused_blend_that_fails_or_loses_is_learned_afresh_in_the_same_run(history, monkeypatch, fault):
    first = services.recommender_train().run

    class Broken(services.Popularity):
        name = "hybrid"

        def fit(self, X, structure=None, sequences=None):
            if fault == "fails":
                raise ValueError("the reused settings no longer fit")
            return super().fit(X, structure, sequences)

        def score(self, X_users, sequences=None):
            return -super().score(X_users, sequences)

    monkeypatch.setattr(services, "_candidate", lambda counts: (Broken(), {"reused_from": first.version}))
    second = services.recommender_train().run

    assert second.status == ModelVersion.Status.ACTIVE, second.reason
    assert "reused_from" not in second.parameters["learned"]
    assert second.metrics["hybrid"]["ndcg"] > second.metrics["popularity"]["ndcg"]
