import numpy as np

from recommender.core.estimators import ALS
from tests.recommender.core.toys import best_unseen, new_user


def test_als_recommends_the_missing_item_of_a_pattern(toy):
    model = ALS(factors=4).fit(toy.X)
    assert best_unseen(model.score(toy.X[4]), toy.X[4]) == 2


def test_als_folds_in_a_new_user(toy):
    model = ALS(factors=4).fit(toy.X)
    row = new_user(3, 4)
    assert best_unseen(model.score(row), row) == 5


def test_als_fold_in_matches_the_fitted_user_factors(toy):
    model = ALS(factors=4, iterations=30, cg_steps=4).fit(toy.X)
    fitted = model.user_factors_ @ model.item_factors_.T
    # The fitted user factors solved against the previous sweep's item factors, hence a small tolerance.
    np.testing.assert_allclose(model.score(toy.X), fitted, atol=1e-2)


def test_als_is_deterministic_for_a_seed_and_round_trips(toy):
    first, second = ALS(factors=4).fit(toy.X), ALS(factors=4).fit(toy.X)
    np.testing.assert_array_equal(first.item_factors_, second.item_factors_)
    assert not np.array_equal(first.item_factors_, ALS(factors=4, random_state=1).fit(toy.X).item_factors_)
    again = ALS.from_arrays(first.get_params(), first.to_arrays())
    np.testing.assert_array_equal(first.score(toy.X), again.score(toy.X))
