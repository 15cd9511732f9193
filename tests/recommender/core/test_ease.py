import numpy as np
from scipy import sparse

from recommender.core.estimators.ease import EASE, ease_items, ease_weights
from tests.recommender.core.toys import best_unseen, new_user


def test_ease_matches_the_closed_form_with_a_zero_diagonal(toy):
    model = EASE(l2_ratio=0.5).fit(toy.X)
    binary = (toy.X > 0).astype(np.float64).toarray()
    gram = binary.T @ binary
    l2 = 0.5 * gram.diagonal().mean()
    inverse = np.linalg.inv(gram + l2 * np.eye(6))
    expected = np.eye(6) - inverse / np.diag(inverse)[None, :]
    np.testing.assert_allclose(model.weights_, expected, atol=1e-5)
    assert not model.weights_.diagonal().any()


def test_ease_recommends_what_co_occurs_and_serves_new_learners(toy):
    model = EASE().fit(toy.X)
    row = new_user(0, 1)
    assert best_unseen(model.score(row), row) == 2
    again = EASE.from_arrays(model.get_params(), model.to_arrays())
    np.testing.assert_array_equal(again.score(toy.X), model.score(toy.X))


def test_ease_models_only_the_most_popular_items_when_capped():
    counts = np.array([5, 1, 4, 3, 2])
    rows = [user for item, count in enumerate(counts) for user in range(count)]
    cols = [item for item, count in enumerate(counts) for _ in range(count)]
    X = sparse.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(5, 5))
    assert ease_items(X, 3).tolist() == [0, 2, 3]
    model = EASE(max_items=3).fit(X)
    assert model.weights_.shape == (3, 3)
    assert not model.score(X)[:, [1, 4]].any(), "items outside the modelled set get no EASE score"


def test_ease_weights_are_float32_and_finite_on_an_empty_gram():
    weights = ease_weights(np.zeros((3, 3)), 1.0)
    assert weights.dtype == np.float32
    assert np.isfinite(weights).all()
