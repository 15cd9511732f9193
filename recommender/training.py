"""From an interaction snapshot to the matrices, sequences and holdout split the core estimators need."""

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from recommender.core.matrix import ItemStructure, build_matrix
from recommender.core.metrics import evaluate, leave_last_out
from recommender.core.weights import aggregate_weights
from recommender.data import CatalogSnapshot, InteractionSnapshot

HOLDOUT_MIN_ITEMS = 3


@dataclass
class Dataset:
    learner_ids: np.ndarray  # learner id of each row
    item_ids: np.ndarray  # resource id of each column
    users: np.ndarray  # one entry per (learner, resource) pair with a positive weight
    items: np.ndarray
    weights: np.ndarray
    times: np.ndarray
    structure: ItemStructure

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.learner_ids), len(self.item_ids)

    def matrix(self, rows: np.ndarray | None = None) -> sparse.csr_matrix:
        rows = np.arange(len(self.users)) if rows is None else rows
        return build_matrix(self.users[rows], self.items[rows], self.weights[rows], *self.shape)

    def sequences(self, rows: np.ndarray | None = None) -> list[np.ndarray]:
        """Each learner's items in time order (ties by resource column), restricted to `rows` of the pairs."""
        rows = np.arange(len(self.users)) if rows is None else rows
        order = rows[np.lexsort((self.items[rows], self.times[rows], self.users[rows]))]
        bounds = np.searchsorted(self.users[order], np.arange(self.shape[0] + 1))
        return [self.items[order[bounds[u] : bounds[u + 1]]] for u in range(self.shape[0])]


def build_dataset(snapshot: InteractionSnapshot, catalog: CatalogSnapshot) -> Dataset:
    """Pairs weighted by the core's one weighting rule; columns cover every published resource too, so a resource
    nobody has touched yet still has a column (popularity 0) the day it is published."""
    item_ids = np.union1d(catalog.resource_ids, snapshot.resource_ids).astype(np.int64)
    learner_ids, user_idx = np.unique(snapshot.learner_ids, return_inverse=True)
    item_idx = np.searchsorted(item_ids, snapshot.resource_ids)
    users, items, weights = aggregate_weights(user_idx, item_idx, snapshot.kinds, snapshot.values)
    times = _pair_times(user_idx, item_idx, snapshot, len(item_ids), users, items)
    keep = weights > 0
    return Dataset(
        learner_ids=learner_ids.astype(np.int64),
        item_ids=item_ids,
        users=users[keep],
        items=items[keep],
        weights=weights[keep],
        times=times[keep],
        structure=_structure_in_columns(catalog, item_ids),
    )


def _pair_times(user_idx, item_idx, snapshot, n_items, users, items) -> np.ndarray:
    """When each pair was last acted on (ratings excluded: rating an old course does not make it recent)."""
    keys = user_idx.astype(np.int64) * n_items + item_idx
    times = np.where(snapshot.kinds == "rated", np.iinfo(np.int64).min, snapshot.times)
    pair_keys = users * n_items + items
    latest = np.full(len(pair_keys), np.iinfo(np.int64).min)
    np.maximum.at(latest, np.searchsorted(pair_keys, keys), times)
    fallback = np.full(len(pair_keys), np.iinfo(np.int64).min)
    np.maximum.at(fallback, np.searchsorted(pair_keys, keys), snapshot.times)
    return np.where(latest == np.iinfo(np.int64).min, fallback, latest)


def _structure_in_columns(catalog: CatalogSnapshot, item_ids: np.ndarray) -> ItemStructure:
    columns = np.searchsorted(item_ids, catalog.resource_ids)
    structure = catalog.structure
    return ItemStructure(
        item=columns[structure.item],
        group=structure.group,
        position=structure.position,
        n_items=len(item_ids),
        n_groups=structure.n_groups,
    )


@dataclass
class Holdout:
    train_rows: np.ndarray
    test_rows: np.ndarray

    @property
    def test_users(self) -> int:
        return len(self.test_rows)


def holdout_split(dataset: Dataset) -> Holdout:
    """Temporal leave-last-out: each learner's most recent resource (with 3+ resources) is held out."""
    train, test = leave_last_out(
        dataset.users, dataset.items, dataset.times, tie_break=None, min_items=HOLDOUT_MIN_ITEMS
    )
    return Holdout(train_rows=train, test_rows=test)


def evaluate_on_holdout(dataset: Dataset, holdout: Holdout, estimators: dict, k: int = 10) -> list[dict]:
    """Fit each estimator on the training part and score the held-out items (HR, NDCG, recall, coverage)."""
    train = dataset.matrix(holdout.train_rows)
    test = build_matrix(
        dataset.users[holdout.test_rows], dataset.items[holdout.test_rows], np.ones(holdout.test_users), *dataset.shape
    )
    sequences = dataset.sequences(holdout.train_rows)
    return evaluate(estimators, train, test, sequences=sequences, structure=dataset.structure, k=k)
