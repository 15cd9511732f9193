"""From the app's interaction snapshot to the core's Dataset (the same one the offline commands use)."""

import numpy as np

from learning.models.choices import InteractionKind
from recommender.core.matrix import IdIndex, ItemStructure
from recommender.core.offline import Dataset
from recommender.core.weights import aggregate_coded_weights
from recommender.data import CatalogSnapshot, InteractionSnapshot
from recommender.data.events import KIND_NAMES

NO_TIME = np.iinfo(np.int64).min


def build_dataset(snapshot: InteractionSnapshot, catalog: CatalogSnapshot) -> Dataset:
    """One row per (learner, resource) pair with a positive weight under the core's one weighting rule.

    Columns are every published resource plus any other resource with events, in ascending id, so a resource
    nobody has touched yet still has a column the day it is published.
    """
    item_ids = np.union1d(catalog.resource_ids, snapshot.resource_ids).astype(np.int64)
    learner_ids, user_idx = np.unique(snapshot.learner_ids, return_inverse=True)
    item_idx = np.searchsorted(item_ids, snapshot.resource_ids)
    users, items, weights = aggregate_coded_weights(
        user_idx, item_idx, snapshot.kind_codes, KIND_NAMES, snapshot.values
    )
    times = _pair_times(user_idx * len(item_ids) + item_idx, snapshot, users * len(item_ids) + items)
    keep = weights > 0
    return Dataset(
        users=IdIndex(learner_ids.astype(str)),
        items=IdIndex(item_ids.astype(str)),
        user_idx=users[keep],
        item_idx=items[keep],
        weights=weights[keep],
        timestamps=times[keep].astype(np.float64),
        tie_break=items[keep],
        structure=_structure_in_columns(catalog, item_ids),
    )


def resource_ids_of(dataset: Dataset) -> np.ndarray:
    """The resource id of each column (ascending)."""
    return dataset.items.values.astype(np.int64)


def _pair_times(event_keys: np.ndarray, snapshot: InteractionSnapshot, pair_keys: np.ndarray) -> np.ndarray:
    """When each pair was last acted on; ratings do not count (rating an old course does not make it recent)
    unless the pair has nothing else."""
    pair_of_event = np.searchsorted(pair_keys, event_keys)
    latest = np.full(len(pair_keys), NO_TIME)
    np.maximum.at(
        latest,
        pair_of_event,
        np.where(snapshot.kind_codes == KIND_NAMES.index(InteractionKind.RATED), NO_TIME, snapshot.times),
    )
    any_event = np.full(len(pair_keys), NO_TIME)
    np.maximum.at(any_event, pair_of_event, snapshot.times)
    return np.where(latest == NO_TIME, any_event, latest)


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
