import numpy as np
import pytest
from scipy import sparse

from recommender.core.estimators import ItemKNN, Popularity
from recommender.core.metrics import (
    catalog_coverage,
    chronological_order,
    evaluate,
    hit_rate_at_k,
    leave_last_out,
    ndcg_at_k,
    recall_at_k,
)


def test_ndcg_of_rank_one_is_one_and_of_rank_two_is_one_over_log2_3():
    top = np.array([[7, 1, 2], [1, 7, 2], [1, 2, 3]])
    assert ndcg_at_k(top[:1], np.array([7]), k=3) == pytest.approx(1.0)
    assert ndcg_at_k(top[1:2], np.array([7]), k=3) == pytest.approx(1 / np.log2(3))
    assert ndcg_at_k(top, np.array([7, 7, 7]), k=3) == pytest.approx((1 + 1 / np.log2(3)) / 3)


def test_hit_rate_counts_users_with_the_item_in_their_top_k():
    top = np.array([[7, 1], [1, 7], [1, 2]])
    assert hit_rate_at_k(top, np.array([7, 7, 7]), k=2) == pytest.approx(2 / 3)
    assert hit_rate_at_k(top, np.array([7, 7, 7]), k=1) == pytest.approx(1 / 3)


def test_recall_handles_sets_and_equals_hit_rate_for_single_items():
    top = np.array([[1, 2, 3], [4, 5, 6]])
    assert recall_at_k(top, [np.array([1, 9]), np.array([4, 5])], k=3) == pytest.approx((0.5 + 1.0) / 2)
    single = np.array([2, 9])
    assert recall_at_k(top, single, k=3) == hit_rate_at_k(top, single, k=3)


def test_ndcg_of_a_set_uses_the_ideal_of_its_size():
    top = np.array([[1, 5, 2]])
    expected = (1 + 1 / np.log2(4)) / (1 + 1 / np.log2(3))
    assert ndcg_at_k(top, [np.array([1, 2])], k=3) == pytest.approx(expected)


def test_padding_never_counts_as_a_hit():
    assert hit_rate_at_k(np.array([[-1, -1]]), np.array([-1]), k=2) == 0.0


def test_catalog_coverage_is_the_share_of_items_recommended():
    assert catalog_coverage(np.array([[0, 1], [1, -1]]), n_items=4) == 0.5


def test_leave_last_out_holds_out_the_last_item_by_time():
    users = np.array(["a", "a", "a", "b", "b"])
    items = np.array([1, 2, 3, 1, 2])
    times = np.array([3, 1, 2, 1, 2])
    train, test = leave_last_out(users, items, times, min_items=3)
    assert test.tolist() == [0]  # a's last is item 1 at time 3; b has only 2 items
    assert train.tolist() == [1, 2, 3, 4]


def test_leave_last_out_breaks_time_ties_by_tie_break_then_item_id():
    users = np.zeros(4, dtype=int)
    items = np.array([10, 30, 20, 40])
    times = np.array([1, 5, 5, 5])
    position = np.array([1, 3, 3, 2])
    _, test = leave_last_out(users, items, times, tie_break=position, min_items=3)
    assert items[test].tolist() == [30]  # position 3 beats 2; between 20 and 30 the larger id is last
    _, test = leave_last_out(users, items, times, min_items=3)
    assert items[test].tolist() == [40]


def test_leave_last_out_removes_every_row_of_the_held_out_pair():
    users = np.zeros(5, dtype=int)
    items = np.array([1, 2, 3, 3, 4])
    times = np.array([1, 2, 3, 4, 9])
    train, test = leave_last_out(users, items, times, min_items=3)
    assert items[test].tolist() == [4]
    _, test = leave_last_out(users, np.array([1, 2, 3, 3, 3]), np.array([1, 2, 3, 4, 9]), min_items=3)
    assert test.tolist() == [4]
    train, _ = leave_last_out(users, np.array([1, 2, 3, 3, 3]), np.array([1, 2, 3, 4, 9]), min_items=3)
    assert train.tolist() == [0, 1]


def test_chronological_order_sorts_by_user_time_tie_break_and_item():
    order = chronological_order(np.array([1, 0, 0]), np.array([0, 5, 5]), np.array([0, 2, 1]), np.array([0, 0, 0]))
    assert order.tolist() == [2, 1, 0]


def _reference_order(users, times, tie, items):
    codes = [np.unique(np.asarray(key), return_inverse=True)[1].reshape(-1) for key in (users, times, tie, items)]
    return np.lexsort(codes[::-1])


@pytest.mark.parametrize(
    "kind",
    ["dense indices", "epoch seconds", "fractional times", "huge ids", "text ids", "negative times", "tie is item"],
)
def test_chronological_order_is_the_same_whichever_sort_it_takes(kind):
    """The single combined key and the lexsort fallback give exactly the lexicographic order (stable)."""
    rng = np.random.default_rng(7)
    n = 3000
    users, items = rng.integers(0, 60, n), rng.integers(0, 40, n)
    times = rng.integers(0, 50, n).astype(np.float64)
    tie = rng.integers(0, 5, n)
    if kind == "epoch seconds":
        times += 1.7e9
    elif kind == "fractional times":
        times += rng.random(n)
    elif kind == "huge ids":
        users, items = users * 10**12 + 5, items * 10**9
    elif kind == "text ids":
        users, items = np.asarray([f"u{u}" for u in users]), np.asarray([f"i{i:03d}" for i in items])
    elif kind == "negative times":
        times -= 1e6
    elif kind == "tie is item":
        tie = items
    order = chronological_order(users, times, tie, items)
    assert order.tolist() == _reference_order(users, times, tie, items).tolist()


def test_leave_last_out_is_the_same_for_dense_and_sparse_ids():
    rng = np.random.default_rng(3)
    users, items, times = rng.integers(0, 50, 2000), rng.integers(0, 30, 2000), rng.integers(0, 100, 2000)
    dense = leave_last_out(users, items, times, min_items=3)
    sparse_ids = leave_last_out(users * 10**12 + 1, items * 10**9 + 7, times, min_items=3)
    assert [part.tolist() for part in dense] == [part.tolist() for part in sparse_ids]
    assert len(dense[1]) > 0


def test_evaluate_compares_estimators_excluding_seen_items(toy):
    test = sparse.csr_matrix(([1.0], ([4], [2])), shape=toy.X.shape)
    rows = evaluate({"pop": Popularity(), "knn": ItemKNN()}, toy.X, test, toy.sequences, toy.structure, k=1)
    assert [row["name"] for row in rows] == ["pop", "knn"]
    assert rows[1]["hr"] == 1.0
    assert rows[1]["ndcg"] == 1.0
    assert rows[0]["hr"] == 1.0  # 0 and 1 are more popular but already seen
    assert {"recall", "coverage", "fit_seconds"} <= set(rows[0])
