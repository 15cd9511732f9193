"""Training lifecycle: fit, evaluate against the baseline, write and check a versioned artifact, then switch the
active version in the database.

Queuing a run in the background, and deciding when one is due, is `recommender.retraining`."""

import logging
import platform
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy
import sklearn
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from recommender.artifact_store import artifact_write
from recommender.core import artifacts
from recommender.core.estimators.hybrid import Hybrid
from recommender.core.estimators.popularity import Popularity
from recommender.core.offline import Dataset, evaluate_holdout
from recommender.data import (
    interaction_snapshot,
    load_catalog_snapshot,
    popularity_by_level,
)
from recommender.datasets import build_dataset, resource_ids_of
from recommender.loading import load_model, notice_new_active_version
from recommender.models import ModelVersion

logger = logging.getLogger(__name__)
BASELINE = "popularity"
CANDIDATE = "hybrid"
HOLDOUT_MIN_ITEMS = 3


@dataclass(frozen=True)
class TrainingReport:
    run: ModelVersion
    activated: bool
    reason: str = ""


def default_estimator() -> Hybrid:
    return Hybrid()


def recommender_train(
    *,
    run: ModelVersion | None = None,
    trigger: str = ModelVersion.Trigger.COMMAND,
    progress: Callable[[str], None] | None = None,
) -> TrainingReport:
    """Train on every interaction so far; activate the new version only if it beats popularity on a temporal
    holdout. A failed or worse run is recorded with its reason and leaves the active version serving."""
    step = progress or (lambda message: None)
    run = run or ModelVersion.objects.create(trigger=trigger)
    run.status, run.started_at = ModelVersion.Status.RUNNING, timezone.now()
    run.save(update_fields=["status", "started_at"])
    try:
        return _train(run, step)
    except Exception as error:  # noqa: BLE001  any failure must be recorded, and must not touch the active model
        logger.exception("Recommender training run %s failed", run.pk)
        return _finish(run, ModelVersion.Status.FAILED, f"{type(error).__name__}: {error}")


def _train(run: ModelVersion, step: Callable[[str], None]) -> TrainingReport:
    run.data_until = timezone.now()
    step("reading interactions")
    snapshot = interaction_snapshot(until=run.data_until)
    catalog = load_catalog_snapshot()
    dataset = build_dataset(snapshot, catalog)
    run.data_counts = {
        "interactions": len(snapshot),
        "learners": len(dataset.users),
        "resources": len(dataset.items),
        "pairs": len(dataset.user_idx),
        "paths": len(catalog.path_ids),
    }
    step("evaluating on a temporal holdout")
    model, reused = _candidate(run.data_counts)
    try:
        table, held_out = _holdout(dataset, model)
        beaten = reused is not None and held_out and not _beats_popularity(table)
    except Exception:  # noqa: BLE001  a reused blend that no longer fits must not fail every run until relearning
        if reused is None:
            raise
        logger.warning("Reusing the blend of version %s failed; learning it afresh", reused["reused_from"])
        beaten = True
    if beaten:  # a reused blend that fails or loses to popularity is learned again now, not at the next growth
        model, reused = default_estimator(), None
        table, held_out = _holdout(dataset, model)
    run.data_counts["holdout_learners"] = held_out
    if not held_out:
        return _finish(run, ModelVersion.Status.REJECTED, "Not enough history: no learner has 3 or more resources.")
    run.metrics = {row["name"]: _rounded(row) for row in table}
    run.algorithm = CANDIDATE  # names the metrics row that is this run's own (ModelVersion.ndcg), kept if rejected
    candidate, baseline = run.metrics[CANDIDATE]["ndcg"], run.metrics[BASELINE]["ndcg"]
    if not candidate > baseline:
        reason = f"NDCG@10 {candidate:.4f} does not beat popularity's {baseline:.4f} on the holdout."
        return _finish(run, ModelVersion.Status.REJECTED, reason)
    step("fitting on all interactions")
    # The blend the candidate learned on the holdout's training split is kept: learning it again on a few more
    # interactions would cost a second search for the same answer.
    estimator = model.refit(dataset.matrix(), structure=dataset.structure, sequences=dataset.sequences())
    step("writing the artifact")
    learned = reused or {**estimator.fit_report(), "learned_on": _learned_on(run.data_counts)}
    _write_and_activate(run, estimator, dataset, learned)
    return TrainingReport(run=run, activated=True)


def _holdout(dataset: Dataset, model: Hybrid) -> tuple[list[dict], int]:
    estimators = {CANDIDATE: model, BASELINE: Popularity()}
    max_users = settings.DEEPPATH_HOLDOUT_LEARNERS
    return evaluate_holdout(dataset, estimators, k=10, min_items=HOLDOUT_MIN_ITEMS, max_test_users=max_users)


def _beats_popularity(table: list[dict]) -> bool:
    ndcg = {row["name"]: row["ndcg"] for row in table}
    return bool(ndcg[CANDIDATE] > ndcg[BASELINE])


def _learned_on(counts: dict) -> dict:
    return {"pairs": counts["pairs"], "resources": counts["resources"], "paths": counts["paths"]}


def _candidate(counts: dict) -> tuple[Hybrid, dict | None]:
    """The hybrid to evaluate, and what it reuses (None when it learns its blend afresh).

    Learning the blend (its search over validation splits, and the re-ranker) is most of a training run. When
    the active version learned it on the same catalog and today's (learner, resource) pairs grew by at most
    DEEPPATH_BLEND_RELEARN_PERCENT since, a run after a few thousand new events would search its way to the same
    answer: the candidate keeps that blend and is still judged on the holdout like any other. Growth is counted
    from the run that learned it, so reusing never postpones relearning past that growth."""
    active = ModelVersion.objects.filter(status=ModelVersion.Status.ACTIVE).first()
    learned = (active.parameters or {}).get("learned", {}) if active is not None else {}
    learned_on = learned.get("learned_on") or {}
    same_catalog = all(learned_on.get(key) == counts[key] for key in ("resources", "paths"))
    grown = counts["pairs"] * 100 >= learned_on.get("pairs", 0) * (100 + settings.DEEPPATH_BLEND_RELEARN_PERCENT)
    if active is None or not active.version or not learned.get("learned") or not same_catalog or grown:
        return default_estimator(), None
    try:
        previous = load_model(active.version).estimator
    except Exception:  # noqa: BLE001  an unreadable active artifact only means learning afresh
        logger.warning("Could not reuse the blend of version %s; learning it afresh", active.version, exc_info=True)
        return default_estimator(), None
    if not isinstance(previous, Hybrid):
        return default_estimator(), None
    return Hybrid(**previous.learned_params()), {**learned, "reused_from": active.version}


def _rounded(row: dict) -> dict:
    return {key: round(value, 4) if isinstance(value, float) else value for key, value in row.items() if key != "name"}


def _write_and_activate(run: ModelVersion, estimator: Hybrid, dataset: Dataset, learned: dict) -> None:
    run.version = f"{run.data_until:%Y%m%d-%H%M%S}-{run.pk}"
    run.algorithm = estimator.name
    # What fit learned from this data (the blend weights and their validation figures, or which version's blend
    # it reused) goes with the parameters, so the admin's version page and the manifest both show it.
    run.parameters = {**estimator.get_params(), "learned": learned}
    run.library_versions = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "scikit-learn": sklearn.__version__,
    }
    manifest = {
        "version": run.version,
        "algorithm": run.algorithm,
        "parameters": run.parameters,
        "data": run.data_counts,
        "data_until": run.data_until.isoformat(),
        "metrics": run.metrics,
        "library_versions": run.library_versions,
    }
    manifest["estimator"], arrays = artifacts.estimator_to_artifact(estimator)
    item_ids = resource_ids_of(dataset)
    arrays["context.item_ids"] = item_ids
    arrays["context.popularity_by_level"] = popularity_by_level(item_ids, until=run.data_until)
    run.artifact_path = artifact_write(run.version, manifest, arrays)
    # What was stored is read back and checked exactly as a server will load it: a version that cannot serve is
    # never made active (the run fails with the reason and the active version keeps serving).
    load_model(run.version)
    with transaction.atomic():
        # The database decides which version serves, for every app server: one row, switched in one transaction.
        ModelVersion.objects.filter(status=ModelVersion.Status.ACTIVE).update(status=ModelVersion.Status.RETIRED)
        _finish(run, ModelVersion.Status.ACTIVE, "")
        transaction.on_commit(notice_new_active_version)  # other processes notice within the cache window


def _finish(run: ModelVersion, status: str, reason: str) -> TrainingReport:
    run.status, run.reason, run.finished_at = status, reason, timezone.now()
    run.save()
    return TrainingReport(run=run, activated=status == ModelVersion.Status.ACTIVE, reason=reason)
