"""Serving reads a model's parts through its declared interface, for any estimator."""

import numpy as np

from recommender.core.estimators import ItemKNN, NextInGroup
from recommender.loading import LoadedModel
from tests.recommender.core.toys import make_toy


def _loaded(estimator) -> LoadedModel:
    return LoadedModel(
        version="v",
        estimator=estimator,
        item_ids=np.arange(1, 7),
        popularity_by_level=np.zeros((3, 6), np.float32),
        manifest={},
    )


def test_a_collaborative_model_without_a_hybrid_shape_keeps_its_reasons():
    toy = make_toy()
    model = _loaded(ItemKNN().fit(toy.X))
    total, collaborative = model.score(toy.X[4], [toy.sequences[4]])
    np.testing.assert_array_equal(total, collaborative)
    assert model.strongest_neighbour(np.array([0, 1]), 2) in (0, 1)


def test_a_model_without_collaborative_parts_gives_none_and_no_neighbour():
    toy = make_toy()
    model = _loaded(NextInGroup().fit(toy.X, structure=toy.structure))
    total, collaborative = model.score(toy.X[4], [toy.sequences[4]])
    assert collaborative is None
    assert total[2] > 0
    assert model.strongest_neighbour(np.array([0, 1]), 2) == -1
