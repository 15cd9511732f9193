"""Issue 13 item 6: several app servers, one model. The database decides which version serves and the artifacts
live in a shared storage, so servers with separate local folders agree after a retrain on any one of them; a
version that cannot serve never becomes active."""

import time
from datetime import UTC, datetime

import numpy as np
import pytest
from django.conf import settings as django_settings

from learning.models import Progress
from learning.services.demo import demo_learners_seed
from recommender import services
from recommender.loading import ModelLoader
from recommender.models import ModelVersion
from recommender.selectors import recommendation_list

pytestmark = pytest.mark.django_db
WINDOW = 0.5  # seconds: the catalog cache window of both servers


class Server:
    """One app server: its own loader (per-process state) and its own local folder; it shares only the database
    and the artifact storage with the others."""

    def __init__(self, name: str, local_dir) -> None:
        self.name, self.local_dir, self.loader = name, local_dir, ModelLoader()

    def serving(self) -> str | None:
        original = django_settings.DEEPPATH_MODEL_DIR
        django_settings.DEEPPATH_MODEL_DIR = self.local_dir  # anything written locally would land here
        try:
            model = self.loader.active_model()
        finally:
            django_settings.DEEPPATH_MODEL_DIR = original
        return model.version if model is not None else None


@pytest.fixture
def servers(settings, tmp_path, catalog):
    demo_learners_seed(learners=60, seed=5, anchor=datetime(2026, 6, 1, tzinfo=UTC))
    shared = tmp_path / "shared-storage"
    settings.STORAGES = {
        **settings.STORAGES,
        "recommender_models": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(shared)},
        },
    }
    settings.DEEPPATH_CATALOG_CACHE_SECONDS = WINDOW
    return Server("a", tmp_path / "a"), Server("b", tmp_path / "b"), shared


def test_after_a_retrain_on_one_server_both_serve_the_new_version_within_the_window(servers):
    a, b, shared = servers
    first = services.recommender_train().run
    assert first.status == ModelVersion.Status.ACTIVE, first.reason
    assert (a.serving(), b.serving()) == (first.version, first.version)
    assert (shared / first.version / "arrays.npz").is_file()

    second = services.recommender_train().run  # "on server a": the same database and storage
    assert second.status == ModelVersion.Status.ACTIVE, second.reason
    time.sleep(WINDOW + 0.1)
    assert (a.serving(), b.serving()) == (second.version, second.version)
    assert ModelVersion.objects.filter(status=ModelVersion.Status.ACTIVE).get().version == second.version
    assert not (a.local_dir / second.version).exists()
    assert not (b.local_dir / second.version).exists()


def test_a_version_that_cannot_serve_never_becomes_active_on_either_server(servers, monkeypatch):
    a, b, _ = servers
    good = services.recommender_train().run
    assert (a.serving(), b.serving()) == (good.version, good.version)

    real = services.artifacts.estimator_to_artifact

    def with_nan(estimator):
        manifest, arrays = real(estimator)
        name = next(key for key, value in arrays.items() if value.dtype.kind == "f" and value.size)
        arrays[name] = np.full_like(arrays[name], np.nan)
        return manifest, arrays

    monkeypatch.setattr(services.artifacts, "estimator_to_artifact", with_nan)
    report = services.recommender_train()
    assert (report.activated, report.run.status) == (False, ModelVersion.Status.FAILED)
    assert "NaN" in report.run.reason
    time.sleep(WINDOW + 0.1)
    assert (a.serving(), b.serving()) == (good.version, good.version)
    assert ModelVersion.objects.filter(status=ModelVersion.Status.ACTIVE).get().version == good.version
    learner = Progress.objects.filter(status="completed").order_by("learner__username").first().learner
    assert len(recommendation_list(learner=learner)) == 10
