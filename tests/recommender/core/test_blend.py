import numpy as np
from scipy import sparse

from recommender.core import blend


def _walks(n_users: int, length: int) -> tuple[sparse.csr_matrix, list[np.ndarray]]:
    """Every learner walks items u, u+1, ... (mod 20) in that order."""
    sequences = [np.arange(u, u + length) % 20 for u in range(n_users)]
    rows = np.repeat(np.arange(n_users), length)
    X = sparse.csr_matrix((np.ones(len(rows), np.float32), (rows, np.concatenate(sequences))), shape=(n_users, 20))
    return X, sequences


def test_the_second_split_holds_out_the_item_before_the_last_and_fits_on_what_came_before_it():
    X, sequences = _walks(60, 5)
    first, second = blend.validation_splits(X, sequences, steps=2)
    np.testing.assert_array_equal(first.targets, [sequences[u][-1] for u in first.users])
    np.testing.assert_array_equal(second.targets, [sequences[u][-2] for u in second.users])
    for u in second.users:
        np.testing.assert_array_equal(second.sequences_fit[u], sequences[u][:-2])
        assert set(np.flatnonzero(second.X_fit[u].toarray())) == set(sequences[u][:-2].tolist())


def test_the_splits_together_score_no_more_learners_than_one_split_would(monkeypatch):
    monkeypatch.setattr(blend, "MAX_VALIDATION_USERS", 100)
    X, sequences = _walks(300, 5)
    splits = blend.validation_splits(X, sequences, steps=2)
    assert len(blend.validation_split(X, sequences).users) == 100
    assert [len(split.users) for split in splits] == [50, 50]


def test_a_deeper_split_with_too_few_learners_is_left_out():
    X, sequences = _walks(60, 3)  # after the last item is held out, nobody has 3 items left
    splits = blend.validation_splits(X, sequences, steps=2)
    assert len(splits) == 1
    assert len(splits[0].users) == 60
