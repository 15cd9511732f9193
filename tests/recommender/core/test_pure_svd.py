import numpy as np

from recommender.core.estimators import PureSVD
from tests.recommender.core.toys import best_unseen, new_user


def test_pure_svd_recommends_the_missing_item_of_a_pattern(toy):
    model = PureSVD(n_components=2).fit(toy.X)
    assert best_unseen(model.score(toy.X[4]), toy.X[4]) == 2


def test_pure_svd_folds_in_a_new_user(toy):
    model = PureSVD(n_components=2).fit(toy.X)
    row = new_user(3, 4)
    assert best_unseen(model.score(row), row) == 5


def test_pure_svd_caps_components_below_the_number_of_items(toy):
    assert PureSVD(n_components=32).fit(toy.X).components_.shape == (5, 6)


def test_pure_svd_is_deterministic_and_round_trips(toy):
    first, second = PureSVD(n_components=2).fit(toy.X), PureSVD(n_components=2).fit(toy.X)
    np.testing.assert_array_equal(first.score(toy.X), second.score(toy.X))
    again = PureSVD.from_arrays(first.get_params(), first.to_arrays())
    np.testing.assert_array_equal(first.score(toy.X), again.score(toy.X))
