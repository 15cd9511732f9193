import numpy as np
import pytest
from scipy import sparse

from recommender.core.estimators import Hybrid
from recommender.core.estimators.hybrid import COMPONENTS, structure_first
from recommender.core.matrix import ItemStructure
from recommender.core.metrics import evaluate
from tests.recommender.core.toys import best_unseen, new_user


def test_hybrid_picks_the_next_position(toy):
    model = Hybrid().fit(toy.X, structure=toy.structure, sequences=toy.sequences)
    assert best_unseen(model.score(toy.X[4], [toy.sequences[4]]), toy.X[4]) == 2


def test_hybrid_serves_a_learner_unseen_at_fit_time(toy):
    model = Hybrid().fit(toy.X, structure=toy.structure, sequences=toy.sequences)
    row = new_user(3, 4)
    assert best_unseen(model.score(row, [np.array([3, 4])]), row) == 5


def test_hybrid_components_are_named_and_sum_to_the_score(toy):
    model = Hybrid().fit(toy.X, structure=toy.structure, sequences=toy.sequences)
    parts = model.score_components(toy.X, toy.sequences)
    assert set(COMPONENTS) <= set(parts)
    np.testing.assert_allclose(sum(parts.values()), model.score(toy.X, toy.sequences), rtol=1e-6)
    assert all(part.shape == toy.X.shape and part.dtype == np.float32 for part in parts.values())


def test_hybrid_without_structure_is_cf_plus_transitions(toy):
    model = Hybrid().fit(toy.X, sequences=toy.sequences)
    parts = model.score_components(toy.X[4], [toy.sequences[4]])
    assert not parts["structure"].any()
    assert best_unseen(model.score(toy.X[4], [toy.sequences[4]]), toy.X[4]) == 2


def test_hybrid_without_sequences_still_scores(toy):
    model = Hybrid().fit(toy.X, structure=toy.structure)
    scores = model.score(toy.X[4])
    assert best_unseen(scores, toy.X[4]) == 2


def test_hybrid_round_trips_through_arrays(toy):
    for structure in (toy.structure, None):
        model = Hybrid(cf_weight=0.7).fit(toy.X, structure=structure, sequences=toy.sequences)
        again = Hybrid.from_arrays(model.get_params(), model.to_arrays())
        assert again.cf_weight == 0.7
        np.testing.assert_array_equal(model.score(toy.X, toy.sequences), again.score(toy.X, toy.sequences))


def test_hybrid_rejects_a_structure_wider_than_the_matrix(toy):
    wide = ItemStructure(item=[9], group=[0], position=[1])
    with pytest.raises(ValueError, match="outside"):
        Hybrid().fit(toy.X, structure=wide)


def _structured_toy() -> tuple[sparse.csr_matrix, sparse.csr_matrix, ItemStructure]:
    """A path of 6 items whose curated order is NOT their index order, plus a popular side item (6) that many
    learners took alongside the path. Learners 0-29 walked a prefix of the path and their next step is held out;
    learners 30-89 also took the side item, so co-occurrence alone points the first group at it."""
    path = np.array([5, 2, 0, 3, 1, 4])
    rng = np.random.default_rng(0)
    histories = [list(path[: rng.integers(2, 6)]) for _ in range(30)]
    histories += [[*path[: rng.integers(1, 7)], 6] for _ in range(60)]
    rows = [u for u, history in enumerate(histories) for _ in history]
    cols = [item for history in histories for item in history]
    X = sparse.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(90, 7))
    held_out = [path[len(history)] for history in histories[:30]]
    test = sparse.csr_matrix((np.ones(30, np.float32), (np.arange(30), held_out)), shape=(90, 7))
    return X, test, ItemStructure(item=path, group=np.zeros(6), position=np.arange(1, 7), n_items=7)


def test_hybrid_with_structure_beats_hybrid_without_on_a_structured_set():
    train, test, structure = _structured_toy()
    with_structure = evaluate({"h": Hybrid()}, train, test, None, structure, k=1)[0]
    without = evaluate({"h": Hybrid()}, train, test, None, None, k=1)[0]
    assert with_structure["ndcg"] == pytest.approx(1.0)
    assert with_structure["ndcg"] > without["ndcg"] + 0.5


def test_hybrid_is_deterministic(toy):
    first = Hybrid().fit(toy.X, structure=toy.structure, sequences=toy.sequences)
    second = Hybrid().fit(toy.X, structure=toy.structure, sequences=toy.sequences)
    np.testing.assert_array_equal(first.score(toy.X, toy.sequences), second.score(toy.X, toy.sequences))


def _sequential_set(n_users=240, seed=0):
    """12 items in one group whose curated positions are a decoy (shuffled: in reverse order, filling the gap
    just behind would still be the next step); learners really go 0 -> 1 -> ... -> 11. A blend learned from the
    data must trust the transitions over the structure."""
    rng = np.random.default_rng(seed)
    histories = [
        list(range(int(start), int(start) + int(length)))
        for start, length in zip(rng.integers(0, 4, n_users), rng.integers(3, 8, n_users), strict=True)
    ]
    rows = [u for u, history in enumerate(histories) for _ in history]
    cols = [item for history in histories for item in history]
    X = sparse.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(n_users, 12))
    decoy = ItemStructure(
        item=np.arange(12), group=np.zeros(12), position=np.array([7, 2, 11, 5, 9, 1, 12, 4, 8, 3, 10, 6])
    )
    return X, [np.asarray(history) for history in histories], decoy


def test_the_blend_is_learned_from_the_data_and_reported():
    X, sequences, decoy = _sequential_set()
    model = Hybrid().fit(X, structure=decoy, sequences=sequences)
    report = model.fit_report()
    assert report["learned"] is True
    assert report["validation"]["learners"] == 240
    steps = report["validation"]["steps"]
    assert len(steps) == 2, "the last training item, then the one before it"
    assert steps[0]["learners"] == 240
    weights = report["weights"]
    assert weights["sequence"] > 0
    assert report["validation"]["ndcg@10"] >= report["validation"]["prior_ndcg@10"]
    assert report["validation"]["ndcg@10"] >= max(report["validation"]["component_alone_ndcg@10"].values())
    row = new_user(2, 3, 4, n_items=12)
    assert best_unseen(model.score(row, [np.array([2, 3, 4])]), row) == 5


def test_learned_params_reproduce_the_learned_blend_without_searching():
    X, sequences, decoy = _sequential_set()
    learned = Hybrid().fit(X, structure=decoy, sequences=sequences)
    fixed = Hybrid(**learned.learned_params()).fit(X, structure=decoy, sequences=sequences)
    assert fixed.fit_report() == {"learned": False}
    np.testing.assert_allclose(fixed.score(X, sequences), learned.score(X, sequences), rtol=1e-6)
    again = Hybrid.from_arrays(learned.get_params(), learned.to_arrays())
    assert again.fit_report() == learned.fit_report()
    np.testing.assert_array_equal(again.score(X, sequences), learned.score(X, sequences))


def test_with_too_few_learners_the_prior_blend_is_kept_and_said(toy):
    model = Hybrid().fit(toy.X, structure=toy.structure, sequences=toy.sequences)
    report = model.fit_report()
    assert report["learned"] is False
    assert "needed to learn" in report["reason"]
    assert model.settings_["sequence_weight"] == Hybrid().sequence_weight


def test_an_artifact_with_a_blend_of_other_settings_is_refused_at_load_time(toy):
    model = Hybrid().fit(toy.X, structure=toy.structure, sequences=toy.sequences)
    arrays = model.to_arrays()
    arrays["blend_"] = arrays["blend_"][:-1]
    with pytest.raises(ValueError, match="settings"):
        Hybrid.from_arrays(model.get_params(), arrays)


def test_with_a_true_structure_the_learned_components_never_outvote_the_next_unfinished_item():
    X, sequences, _ = _sequential_set()
    path = ItemStructure(item=np.arange(12), group=np.zeros(12), position=np.arange(1, 13))
    model = Hybrid().fit(X, structure=path, sequences=sequences)
    settings = model.settings_
    assert structure_first(settings)
    learned = sum(settings[f"{name}_weight"] for name in COMPONENTS if name != "structure")
    assert learned < settings["structure_weight"] * (1 - settings["decay"])
    assert not structure_first({**settings, "sequence_weight": settings["sequence_weight"] + 1.0})


def test_refit_reuses_the_learned_blend_and_its_report():
    X, sequences, decoy = _sequential_set()
    learned = Hybrid().fit(X[:200], structure=decoy, sequences=sequences[:200])
    refitted = learned.refit(X, structure=decoy, sequences=sequences)
    assert refitted.settings_ == learned.settings_
    assert refitted.fit_report() == learned.fit_report()
    frozen = Hybrid(**learned.learned_params()).fit(X, structure=decoy, sequences=sequences)
    np.testing.assert_allclose(refitted.score(X, sequences), frozen.score(X, sequences), rtol=1e-6)
