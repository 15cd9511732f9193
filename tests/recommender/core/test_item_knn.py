import numpy as np

from recommender.core.estimators import ItemKNN
from recommender.core.estimators.item_knn import cosine_neighbors
from tests.recommender.core.toys import best_unseen, new_user


def test_item_knn_recommends_what_similar_learners_did_next(toy):
    model = ItemKNN().fit(toy.X)
    assert best_unseen(model.score(toy.X[4]), toy.X[4]) == 2


def test_item_knn_scores_a_user_unseen_at_fit_time(toy):
    model = ItemKNN().fit(toy.X)
    row = new_user(3, 4)
    assert best_unseen(model.score(row), row) == 5


def test_cosine_neighbors_keeps_at_most_n_per_item_and_no_self_similarity(toy):
    similarity = cosine_neighbors(toy.X, n_neighbors=2)
    assert similarity.diagonal().sum() == 0
    assert (np.diff(similarity.tocsc().indptr) <= 2).all()
    assert similarity[0, 1] == np.float32(1.0)  # items 0 and 1 always go together


def test_cosine_neighbors_is_the_same_whatever_the_chunk_size(toy, monkeypatch):
    whole = cosine_neighbors(toy.X, n_neighbors=3).toarray()
    monkeypatch.setattr("recommender.core.estimators.item_knn.CHUNK_CELLS", 6)  # one column per chunk
    np.testing.assert_allclose(cosine_neighbors(toy.X, n_neighbors=3).toarray(), whole)


def test_item_knn_round_trips_through_arrays(toy):
    model = ItemKNN(n_neighbors=3).fit(toy.X)
    again = ItemKNN.from_arrays(model.get_params(), model.to_arrays())
    np.testing.assert_array_equal(model.score(toy.X), again.score(toy.X))
