import numpy as np
import pytest

from recommender.core.estimators.transitions import fit_transitions, transition_scores


def test_transitions_learn_what_comes_next_and_sum_to_one():
    state = fit_transitions([np.array([0, 1, 2]), np.array([0, 1, 2]), np.array([0, 2])], 3, 1.0, 1.0)
    prior = np.full(3, 1 / 3)
    scores = transition_scores(state, prior, [np.array([0]), np.array([0, 1])], 2)
    assert scores[0].sum() == pytest.approx(1.0)
    assert np.argmax(scores[0]) == 1  # after 0, two of three learners went to 1
    assert np.argmax(scores[1]) == 2


def test_second_order_context_refines_first_order():
    sequences = [np.array([0, 2, 3])] * 3 + [np.array([1, 2, 4])] * 3
    state = fit_transitions(sequences, 5, 1.0, 0.1)
    prior = np.full(5, 0.2)
    scores = transition_scores(state, prior, [np.array([0, 2]), np.array([1, 2])], 2)
    assert np.argmax(scores[0]) == 3
    assert np.argmax(scores[1]) == 4


def test_rows_without_history_score_zero():
    state = fit_transitions([np.array([0, 1])], 2, 1.0, 1.0)
    assert not transition_scores(state, np.array([0.5, 0.5]), [np.array([], dtype=np.int64)], 1).any()
    assert not transition_scores(state, np.array([0.5, 0.5]), None, 1).any()
