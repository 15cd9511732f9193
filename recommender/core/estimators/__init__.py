"""One estimator per module; `MODELS` maps each estimator's `name` to its class."""

from recommender.core.estimators.als import ALS
from recommender.core.estimators.base import Recommender
from recommender.core.estimators.ease import EASE
from recommender.core.estimators.hybrid import Hybrid
from recommender.core.estimators.item_knn import ItemKNN
from recommender.core.estimators.next_in_group import NextInGroup
from recommender.core.estimators.popularity import Popularity
from recommender.core.estimators.pure_svd import PureSVD

MODELS: dict[str, type[Recommender]] = {
    model.name: model for model in (Popularity, ItemKNN, PureSVD, ALS, EASE, NextInGroup, Hybrid)
}
DEFAULT_MODEL = Hybrid.name

__all__ = [
    "ALS",
    "DEFAULT_MODEL",
    "EASE",
    "MODELS",
    "Hybrid",
    "ItemKNN",
    "NextInGroup",
    "Popularity",
    "PureSVD",
    "Recommender",
]
