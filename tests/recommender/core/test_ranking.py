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


def _reference_top_k(scores, k, exclude):
    """Sort every row in full: score descending (NaN and excluded last), then index ascending."""
    rows = []
    for row, banned in zip(scores, exclude.toarray() > 0, strict=True):
        allowed = [i for i in range(len(row)) if not banned[i]]
        key = {i: (-np.inf if np.isnan(row[i]) else row[i]) for i in allowed}
        ranked = sorted(allowed, key=lambda i: (-key[i], i))[:k]
        ranked = [i if key[i] != -np.inf else -1 for i in ranked]
        rows.append(ranked + [-1] * (k - len(ranked)))
    return rows


def test_top_k_matches_a_full_sort_with_ties_nan_infinities_and_exclusions():
    rng = np.random.default_rng(5)
    # Few distinct values, so most rows have more ties at the cut than places left; some rows have none.
    scores = rng.integers(0, 4, (60, 25)).astype(np.float64)
    scores[:10] = rng.random((10, 25))
    scores[rng.random(scores.shape) < 0.05] = np.nan
    scores[rng.random(scores.shape) < 0.03] = np.inf
    scores[rng.random(scores.shape) < 0.03] = -np.inf
    exclude = sparse.csr_matrix(rng.random(scores.shape) < 0.2)
    given = scores.copy()
    assert top_k(scores, 7, exclude=exclude).tolist() == _reference_top_k(scores, 7, exclude)
    np.testing.assert_array_equal(scores, given)  # NaN and infinities are rewritten in a copy only
