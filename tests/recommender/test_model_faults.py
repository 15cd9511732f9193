"""Issue 12 finding 2: a broken model version is refused at load with a logged reason; serving falls back (the last
good version, a retired one, or the no-model ranking), health says `degraded`, and a later request retries."""

import logging

import numpy as np
import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from scipy import sparse

from learning.models import Resource
from learning.services import progress_record
from recommender.artifact_store import model_storage
from recommender.core import artifacts
from recommender.core.estimators import MODELS
from recommender.loading import active_model, forget_loaded_model, model_problem
from recommender.models import ModelVersion
from tests.api.conftest import client_for
from tests.factories import LearningPathFactory, PathStepFactory, ResourceFactory, TopicFactory

pytestmark = pytest.mark.django_db
ARRAYS, MANIFEST = artifacts.ARRAYS_FILE, artifacts.MANIFEST_FILE


@pytest.fixture
def site(learner):
    """A path of 15 resources over two topics, and a learner who finished the first two steps."""
    basics, networks = TopicFactory(slug="basics"), TopicFactory(slug="networks")
    networks.prerequisite_links.create(prerequisite=basics)
    path = LearningPathFactory(slug="foundations")
    resources = [ResourceFactory(topics=[basics if i < 8 else networks]) for i in range(15)]
    for position, resource in enumerate(resources, start=1):
        PathStepFactory(path=path, resource=resource, position=position)
    for resource in resources[:2]:
        progress_record(learner=learner, resource=resource, status="completed")
    return {"learner": learner, "goal": "networks"}


def model_files(*, arrays_change=None) -> dict[str, bytes]:
    """A small item-kNN artifact over the published resources, as a training run would store it."""
    ids = np.asarray(sorted(Resource.objects.published().values_list("pk", flat=True)), dtype=np.int64)
    history = sparse.random(40, len(ids), density=0.3, random_state=1, format="csr")
    history.data[:] = 1.0
    described, arrays = artifacts.estimator_to_artifact(MODELS["item_knn"]().fit(history))
    arrays[artifacts.ITEM_IDS] = ids
    arrays[artifacts.POPULARITY_BY_LEVEL] = np.ones((3, len(ids)), dtype=np.float32)
    if arrays_change is not None:
        arrays_change(arrays)
    return artifacts.artifact_files({"estimator": described}, arrays)


def put(name: str, content: bytes) -> None:
    storage = model_storage()
    storage.delete(name)
    assert storage.save(name, ContentFile(content)) == name


def store(version: str, files: dict[str, bytes], *, status=ModelVersion.Status.ACTIVE) -> None:
    for name, content in files.items():
        put(f"{version}/{name}", content)
    ModelVersion.objects.filter(status=status).update(status=ModelVersion.Status.RETIRED)
    ModelVersion.objects.create(version=version, status=status, finished_at=timezone.now())


def cut_item_ids(arrays):
    arrays[artifacts.ITEM_IDS] = arrays[artifacts.ITEM_IDS][:10]


def cut_context(arrays):
    """Ids and popularity agree with each other, not with the estimator's 15 x 15 similarity."""
    cut_item_ids(arrays)
    arrays[artifacts.POPULARITY_BY_LEVEL] = arrays[artifacts.POPULARITY_BY_LEVEL][:, :10]


def wrong_popularity_shape(arrays):
    arrays[artifacts.POPULARITY_BY_LEVEL] = np.ones((1, 3), dtype=np.float32)


def nan_similarity(arrays):
    arrays["similarity_.data"] = np.full_like(arrays["similarity_.data"], np.nan)


def truncated(files):
    return {**files, ARRAYS: files[ARRAYS][: len(files[ARRAYS]) // 2]}


def emptied(files):
    return {**files, ARRAYS: b""}


def list_manifest(files):
    return {**files, MANIFEST: b"[1,2]"}


FAULTS = {
    "truncated arrays.npz": (truncated, None, "arrays.npz cannot be read (BadZipFile"),
    "empty arrays.npz": (emptied, None, "arrays.npz is empty"),
    "manifest [1,2]": (list_manifest, None, "manifest.json holds a list"),
    "item_ids cut to 10": (None, cut_item_ids, "(3 levels x 10 items)"),
    "item_ids and popularity cut to 10": (None, cut_context, "scoring fails"),
    "popularity_by_level (1, 3)": (None, wrong_popularity_shape, "popularity_by_level"),
    "NaN similarity": (None, nan_similarity, "NaN"),
}


def faulty_files(fault: str) -> dict[str, bytes]:
    file_change, arrays_change, _ = FAULTS[fault]
    files = model_files(arrays_change=arrays_change)
    return file_change(files) if file_change else files


def assert_every_page_answers(learner, goal: str) -> dict:
    api = client_for(learner)
    recommendations = api.get("/api/v1/me/recommendations/")
    assert recommendations.status_code == 200
    assert recommendations.json(), "the fallback ranking still recommends"
    assert api.get("/api/v1/me/plan/", {"goal": goal}).status_code == 200
    web = Client()
    web.force_login(learner)
    assert web.get("/dashboard/").status_code == 200
    health = Client().get("/api/v1/health/")
    assert health.status_code == 200
    return health.json()


def test_a_good_version_serves_and_health_is_ok(site):
    store("good", model_files())
    health = assert_every_page_answers(site["learner"], site["goal"])
    assert health == {"status": "ok", "database": True, "model_version": "good", "reason": None}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_broken_version_is_refused_with_its_reason_and_the_no_model_ranking_serves(site, fault, caplog):
    store("broken", faulty_files(fault))
    with caplog.at_level(logging.ERROR, logger="recommender.loading"):
        health = assert_every_page_answers(site["learner"], site["goal"])
    expected = FAULTS[fault][2]
    assert health["status"] == "degraded"
    assert health["model_version"] is None
    assert "broken" in health["reason"]
    assert expected in health["reason"]
    assert expected in caplog.text


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_broken_new_version_leaves_the_last_good_one_serving(site, fault):
    store("good", model_files())
    assert active_model().version == "good"
    store("broken", faulty_files(fault))
    forget_cached_active_version()
    health = assert_every_page_answers(site["learner"], site["goal"])
    assert (health["status"], health["model_version"]) == ("degraded", "good")
    assert active_model().version == "good"


def test_a_fresh_process_falls_back_to_the_newest_retired_version_that_loads(site):
    store("older", model_files())
    store("good", model_files())
    store("broken", faulty_files("truncated arrays.npz"))
    forget_loaded_model()  # a worker started after the broken version became active
    health = assert_every_page_answers(site["learner"], site["goal"])
    assert (health["status"], health["model_version"]) == ("degraded", "good")


def test_a_failed_load_is_retried_after_the_backoff_and_then_serves(site, settings):
    settings.DEEPPATH_MODEL_RETRY_SECONDS = 0
    good = model_files()
    store("v1", {**good, ARRAYS: b""})  # the folder is half there (moved away, being copied back)
    assert active_model() is None
    assert "v1" in model_problem()
    put(f"v1/{ARRAYS}", good[ARRAYS])
    assert active_model().version == "v1"
    assert model_problem() is None
    assert Client().get("/api/v1/health/").json()["status"] == "ok"


def test_within_the_backoff_a_failed_version_is_not_read_again(site, settings, monkeypatch):
    settings.DEEPPATH_MODEL_RETRY_SECONDS = 60
    store("broken", faulty_files("empty arrays.npz"))
    reads = []
    original = __import__("recommender.loading", fromlist=["artifact_read"]).artifact_read
    monkeypatch.setattr("recommender.loading.artifact_read", lambda version: reads.append(version) or original(version))
    for _ in range(3):
        assert active_model() is None
    assert reads == ["broken"]


def forget_cached_active_version() -> None:
    from recommender.loading import notice_new_active_version

    notice_new_active_version()


def test_a_model_that_fails_on_one_learner_serves_them_the_no_model_ranking(site, monkeypatch, caplog):
    """A fault that only shows for some learner's row (no load-time check can see it) still answers 200."""
    store("good", model_files())
    assert active_model() is not None

    def fail(self, *args, **kwargs):
        raise IndexError("index -1 is out of bounds for axis 0 with size 0")

    monkeypatch.setattr(type(active_model()), "score", fail)
    with caplog.at_level(logging.ERROR, logger="recommender.scoring"):
        assert_every_page_answers(site["learner"], site["goal"])
    assert "Model good failed to score a learner" in caplog.text
