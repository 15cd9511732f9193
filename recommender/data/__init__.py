"""The ONLY place that turns ORM rows into the arrays the recommender core works on."""

from recommender.data.catalog import (
    KIND_CODES,
    CatalogSnapshot,
    catalog_problem,
    catalog_snapshot,
    clear_catalog_cache,
    current_popularity_by_level,
    load_catalog_snapshot,
    popularity_by_level,
    published_resources_in_order,
    still_published,
)
from recommender.data.events import InteractionSnapshot, interaction_snapshot, interactions_received_since
from recommender.data.learners import LearnerState, learner_state

__all__ = [
    "KIND_CODES",
    "CatalogSnapshot",
    "InteractionSnapshot",
    "LearnerState",
    "catalog_problem",
    "catalog_snapshot",
    "clear_catalog_cache",
    "current_popularity_by_level",
    "interaction_snapshot",
    "interactions_received_since",
    "learner_state",
    "load_catalog_snapshot",
    "popularity_by_level",
    "published_resources_in_order",
    "still_published",
]
