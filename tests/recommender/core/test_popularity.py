import numpy as np

from recommender.core.estimators import Popularity
from tests.recommender.core.toys import best_unseen, new_user


def test_popularity_recommends_the_most_common_unseen_item(toy):
    model = Popularity().fit(toy.X)
    assert best_unseen(model.score(toy.X[4]), toy.X[4]) == 2
    assert model.counts_.tolist() == [4, 4, 3, 2, 1, 1]


def test_popularity_can_weight_by_interaction_strength(toy):
    X = toy.X.copy()
    X[3, 5] = 10.0
    assert Popularity(weighted=True).fit(X).counts_[5] == 10.0


def test_popularity_scores_new_users_and_round_trips(toy):
    model = Popularity().fit(toy.X)
    again = Popularity.from_arrays(model.get_params(), model.to_arrays())
    row = new_user(0)
    np.testing.assert_array_equal(model.score(row), again.score(row))
    assert model.score(row).dtype == np.float32
