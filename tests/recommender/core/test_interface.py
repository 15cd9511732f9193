"""The estimator interface serving relies on (components, collaborative parts, similar items), for every model."""

import numpy as np
import pytest

from recommender.core.estimators import MODELS
from recommender.core.estimators.base import Recommender


@pytest.mark.parametrize("name", sorted(MODELS))
def test_every_model_returns_exactly_its_declared_components_summing_to_its_score(toy, name):
    model = MODELS[name]().fit(toy.X, structure=toy.structure, sequences=toy.sequences)
    parts = model.score_components(toy.X, toy.sequences)
    assert tuple(parts) == model.components
    assert set(model.collaborative_components) <= set(model.components)
    assert all(part.shape == toy.X.shape for part in parts.values())
    np.testing.assert_allclose(sum(parts.values()), model.score(toy.X, toy.sequences), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", sorted(name for name, model in MODELS.items() if model.collaborative_components))
def test_every_collaborative_model_names_a_similar_item(toy, name):
    model = MODELS[name]().fit(toy.X, structure=toy.structure, sequences=toy.sequences)
    similarity = model.similar_items(np.array([0, 1, 3, 4]), 2)
    assert similarity.shape == (4,)
    assert (similarity >= 0).all()
    assert similarity.max() > 0, "items 0 and 1 always come with item 2 in the toy"


def test_a_model_declaring_collaborative_parts_must_say_which_items_are_similar():
    with pytest.raises(TypeError, match="similar_items"):

        class Forgetful(Recommender):  # noqa: F841  defining the class is the test
            name = "forgetful"
            collaborative_components = ("score",)

            def fit(self, X, structure=None, sequences=None):
                return self

            def score(self, X_users, sequences=None):
                return np.zeros(X_users.shape, np.float32)

    with pytest.raises(TypeError, match="not among its components"):

        class Undeclared(Recommender):  # noqa: F841
            name = "undeclared"
            collaborative_components = ("cf",)

            def similar_items(self, items, item):
                return np.zeros(len(items), np.float32)

            def fit(self, X, structure=None, sequences=None):
                return self

            def score(self, X_users, sequences=None):
                return np.zeros(X_users.shape, np.float32)
