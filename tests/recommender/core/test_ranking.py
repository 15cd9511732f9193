import numpy as np
from scipy import sparse

from recommender.core.ranking import top_k


def test_top_k_ranks_best_first_and_breaks_ties_by_index():
    scores = np.array([[0.1, 0.9, 0.5, 0.9, 0.0]])
    assert top_k(scores, 3).tolist() == [[1, 3, 2]]


def test_top_k_ties_at_the_cut_keep_the_lowest_indices():
    assert top_k(np.zeros((1, 6)), 2).tolist() == [[0, 1]]


def test_top_k_never_returns_excluded_items_and_pads_with_minus_one():
    scores = np.array([[3.0, 2.0, 1.0]])
    seen = sparse.csr_matrix(np.array([[1, 0, 1]]))
    assert top_k(scores, 3, exclude=seen).tolist() == [[1, -1, -1]]
