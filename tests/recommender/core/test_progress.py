import numpy as np
from scipy import sparse

from recommender.core.estimators.progress import group_progress, item_times, structure_scores
from recommender.core.matrix import ItemStructure
from tests.recommender.core.toys import new_user


def test_item_times_follow_the_sequence_and_default_to_oldest():
    row = new_user(0, 1, 4)
    assert item_times(row, [np.array([4, 0])]).tolist() == [1, -1, 0]
    assert item_times(row, None).tolist() == [-1, -1, -1]


def test_group_progress_reports_furthest_last_and_recency(toy):
    row = new_user(0, 2, 3)
    progress = group_progress(row, [np.array([2, 0, 3])], toy.structure)
    by_group = {
        int(g): (int(f), int(last), int(rank))
        for g, f, last, rank in zip(progress.group, progress.furthest, progress.last, progress.rank, strict=True)
    }
    assert by_group == {0: (3, 1, 1), 1: (1, 1, 0)}


def test_structure_scores_decay_with_distance_and_group_recency(toy):
    row = new_user(0)
    scores = structure_scores(row, [np.array([0])], toy.structure, decay=0.5, gap_weight=0.5, group_decay=0.5)
    assert scores[0].tolist() == [0.0, 1.0, 0.5, 0.0, 0.0, 0.0]


def test_structure_scores_are_zero_without_structure(toy):
    assert not structure_scores(toy.X, None, None, decay=0.5, gap_weight=0.5, group_decay=0.5).any()


def test_a_row_whose_items_belong_to_no_group_has_no_progress_and_zero_scores():
    """A learner who has only done resources outside every path (item 6 here) must score, not crash."""
    structure = ItemStructure(item=[0, 1, 2], group=[0, 0, 0], position=[1, 2, 3])
    row = new_user(4, 5, n_items=6)
    progress = group_progress(row, [np.array([4, 5])], structure)
    assert len(progress.group) == 0
    scores = structure_scores(row, [np.array([4, 5])], structure, decay=0.5, gap_weight=0.5, group_decay=0.5)
    assert scores.shape == (1, 6)
    assert not scores.any()


def test_unfinished_steps_count_only_items_not_done_ahead_and_positions_behind():
    path = ItemStructure(item=np.arange(6), group=np.zeros(6), position=np.arange(1, 7))
    # Learner 0 did 0, 2, 3 (last 3): item 1 is a gap two positions behind, 4 and 5 are 1 and 2 steps ahead.
    # Learner 1 did 4 then 1 (last 1): 2 is 1 step ahead, 3 is 2; done 4 does not count, so 5 is 3 steps ahead.
    X = sparse.csr_matrix(np.array([[1, 0, 1, 1, 0, 0], [0, 1, 0, 0, 1, 0]], dtype=np.float32))
    sequences = [np.array([0, 2, 3]), np.array([4, 1])]
    shape = {"decay": 0.5, "gap_weight": 1.02, "group_decay": 0.1, "anchor": "last"}
    scores = structure_scores(X, sequences, path, steps="unfinished", **shape)
    np.testing.assert_allclose(scores[0, [1, 4, 5]], [0.51, 1.0, 0.5], rtol=1e-6)
    np.testing.assert_allclose(scores[1, [0, 2, 3, 5]], [1.02, 1.0, 0.5, 0.25], rtol=1e-6)
    by_position = structure_scores(X, sequences, path, steps="positions", **shape)
    assert by_position[1, 5] == 0.125  # four positions ahead, whatever was done in between
