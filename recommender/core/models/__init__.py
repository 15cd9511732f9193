"""One estimator per module; `MODELS` maps each estimator's `name` to its class."""

from recommender.core.models.als import ALS
from recommender.core.models.base import Recommender
from recommender.core.models.ease import EASE
from recommender.core.models.hybrid import Hybrid
from recommender.core.models.item_knn import ItemKNN
from recommender.core.models.next_in_group import NextInGroup
from recommender.core.models.popularity import Popularity
from recommender.core.models.pure_svd import PureSVD

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
