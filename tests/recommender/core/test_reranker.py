"""The hybrid's learned re-ranker: trees exported as arrays, re-ranking the linear blend's top candidates, trusted
per group only where a later held-out step showed them helping."""

import numpy as np
import pytest
from scipy import sparse
from sklearn.ensemble import HistGradientBoostingClassifier

from recommender.core import blend
from recommender.core.estimators import reranker
from recommender.core.estimators.hybrid import Hybrid
from recommender.core.matrix import ItemStructure


def test_exported_trees_score_exactly_as_scikit_learn_does():
    rng = np.random.default_rng(0)
    features = rng.random((3000, 4)).astype(np.float32)
    labels = features[:, 0] + features[:, 1] * features[:, 2] + 0.3 * rng.random(3000) > 0.9
    nodes = reranker.fit_trees(features, labels)
    model = HistGradientBoostingClassifier(max_iter=reranker.TREES, max_depth=reranker.DEPTH, random_state=0)
    expected = model.fit(features, labels.astype(int)).decision_function(features)
    offset = expected - reranker.tree_scores(nodes, features)
    np.testing.assert_allclose(offset, offset[0], atol=1e-9)  # equal up to the constant baseline


def _xor_step(n_rows: int, seed: int) -> reranker.Step:
    """Two components over 6 items. Half the rows: the target leads the first component and the second points
    at a decoy (0.6). The other half: the second component is sure of the target (0.95), but a decoy leads the
    first and scores 0.9 on the second. No weighting of the two ranks both halves right; trees can."""
    rng = np.random.default_rng(seed)
    first, second = np.zeros((n_rows, 6), np.float32), np.zeros((n_rows, 6), np.float32)
    targets = rng.integers(0, 3, n_rows)
    decoys = targets + 3
    rows = np.arange(n_rows)
    sure = rows % 2 == 1
    first[rows, targets] = np.where(sure, 0.3, 1.0)
    first[rows, decoys] = np.where(sure, 1.0, 0.3)
    second[rows, targets] = np.where(sure, 0.95, 0.0)
    second[rows, decoys] = np.where(sure, 0.9, 0.6)
    parts = [first, second, np.zeros_like(first)]
    return parts, np.zeros((n_rows, 6), dtype=bool), targets, np.zeros(n_rows, dtype=np.int64)


def test_trees_rank_right_what_no_weighting_of_the_components_can():
    train, check = _xor_step(600, seed=0), _xor_step(400, seed=1)
    nodes, trusted, report = reranker.learn(train, check)
    assert report["used"] is True
    assert trusted.tolist() == [0]
    parts, seen, targets, _ = check
    for weight in (0.5, 1.0, 2.0, 20.0):
        assert blend.ranking_quality(parts[0] + weight * parts[1], seen, targets)[0] < 0.9
    total = parts[0] + parts[1]
    shifted = total + reranker.reranked(total, seen, parts, nodes)
    assert blend.ranking_quality(shifted, seen, targets)[0] == pytest.approx(1.0)


def test_trees_that_do_not_beat_the_linear_blend_on_the_checking_step_are_dropped():
    parts, seen, targets, groups = _xor_step(400, seed=1)
    obvious = [np.eye(6, dtype=np.float32)[targets], np.zeros_like(parts[0]), np.zeros_like(parts[0])]
    nodes, trusted, report = reranker.learn(_xor_step(600, seed=0), (obvious, seen, targets, groups))
    assert report["used"] is False
    assert "did not rank" in report["reason"]
    assert len(nodes) == 0
    assert len(trusted) == 0


def test_too_few_learners_learn_no_trees():
    nodes, _, report = reranker.learn(_xor_step(50, seed=0), _xor_step(50, seed=1))
    assert len(nodes) == 0
    assert "fewer than" in report["reason"]


def test_reranked_candidates_rise_above_every_other_item_in_tree_order_and_only_on_chosen_rows():
    parts, seen, targets, _ = _xor_step(600, seed=0)
    nodes, _, _ = reranker.learn(_xor_step(600, seed=2), _xor_step(400, seed=1))
    total = parts[0] + parts[1]
    seen = seen.copy()
    seen[:, 5] = True
    chosen = np.arange(600) % 3 != 0
    shift = reranker.reranked(total, seen, parts, nodes, chosen)
    assert not shift[~chosen].any(), "rows not chosen keep the linear blend"
    assert not shift[:, 5].any(), "a seen item is never moved"
    final = total + shift
    lifted = shift[chosen] != 0
    assert (final[chosen][lifted].min()) > total[chosen].max()
    assert (final[chosen].argmax(axis=1) == targets[chosen]).all()


def test_a_rows_group_is_the_group_of_its_most_recent_item():
    structure = ItemStructure(item=[0, 1, 2, 3], group=[0, 0, 1, 1], position=[1, 2, 1, 2], n_items=5)
    sequences = [np.array([0, 3]), np.array([3, 1]), np.array([4]), np.zeros(0, np.int64)]
    assert reranker.row_groups(structure, sequences, 4).tolist() == [1, 0, -1, -1]
    assert reranker.row_groups(None, sequences, 4).tolist() == [-1] * 4
    assert reranker.row_groups(structure, None, 4).tolist() == [-1] * 4


def _hop_walk_set(n_users=800, seed=0):
    """One path of 16 items. Half the learners walk it in order, half hop over every other item, both from
    anywhere near the start: the curated order is right for the walkers only, the transitions for both, and
    which to follow depends on how sure the transitions are."""
    rng = np.random.default_rng(seed)
    histories = []
    for user in range(n_users):
        start, length = int(rng.integers(0, 4)), int(rng.integers(4, 8))
        histories.append(list(range(start, 16, 1 + user % 2))[:length])
    rows = [u for u, history in enumerate(histories) for _ in history]
    cols = [item for history in histories for item in history]
    X = sparse.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(n_users, 16))
    path = ItemStructure(item=np.arange(16), group=np.zeros(16), position=np.arange(1, 17))
    return X, [np.asarray(history) for history in histories], path


@pytest.fixture(scope="module")
def hop_walk():
    X, sequences, path = _hop_walk_set()
    return X, sequences, path, Hybrid().fit(X, structure=path, sequences=sequences)


def test_the_hybrid_learns_a_reranker_where_it_helps_and_reports_it(hop_walk):
    X, sequences, path, model = hop_walk
    report = model.fit_report()["reranker"]
    assert report["used"] is True
    assert report["reranked_ndcg@10"] > report["linear_ndcg@10"]
    assert model.reranker_groups_.tolist() == [0]
    linear = Hybrid(**{**model.learned_params(), "reranker": None}).fit(X, structure=path, sequences=sequences)
    # New learners of both kinds, each asked for their next item after all but their last.
    new_X, new_sequences, _ = _hop_walk_set(seed=1)
    held_out = blend.validation_split(new_X, new_sequences)
    rows, targets = held_out.X_fit[held_out.users], held_out.targets
    history = [held_out.sequences_fit[u] for u in held_out.users]
    seen = rows.toarray() > 0
    with_trees = blend.ranking_quality(model.score(rows, history), seen, targets)[0]
    without = blend.ranking_quality(linear.score(rows, history), seen, targets)[0]
    assert with_trees >= without  # both are near perfect here; the XOR test above shows what only trees do


def test_the_reranker_survives_arrays_learned_params_and_refit(hop_walk):
    X, sequences, path, model = hop_walk
    expected = model.score(X, sequences)
    again = Hybrid.from_arrays(model.get_params(), model.to_arrays())
    np.testing.assert_array_equal(again.score(X, sequences), expected)
    frozen = Hybrid(**model.learned_params()).fit(X, structure=path, sequences=sequences)
    np.testing.assert_allclose(frozen.score(X, sequences), expected, rtol=1e-6)
    refitted = model.refit(X, structure=path, sequences=sequences)
    assert refitted.get_params()["reranker"] is None, "the trees travel as state, not in the manifest"
    np.testing.assert_allclose(refitted.score(X, sequences), expected, rtol=1e-6)


def test_the_rerank_component_is_declared_sums_into_the_score_and_spares_untrusted_groups(hop_walk):
    X, sequences, _, model = hop_walk
    parts = model.score_components(X[:20], sequences[:20])
    assert set(parts) == set(Hybrid.components)
    assert "rerank" in Hybrid.components
    np.testing.assert_allclose(sum(parts.values()), model.score(X[:20], sequences[:20]), rtol=1e-6)
    assert parts["rerank"].any()
    model_elsewhere = Hybrid.from_arrays(model.get_params(), {**model.to_arrays(), "reranker_groups_": np.zeros(0)})
    assert not model_elsewhere.score_components(X[:20], sequences[:20])["rerank"].any()


def test_an_artifact_saved_before_rerankers_serves_the_linear_blend(hop_walk):
    X, sequences, _, model = hop_walk
    arrays = {k: v for k, v in model.to_arrays().items() if not k.startswith("reranker")}
    old = Hybrid.from_arrays(model.get_params(), arrays)
    assert not old.score_components(X[:5], sequences[:5])["rerank"].any()
