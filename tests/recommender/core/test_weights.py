import numpy as np
import pytest

from recommender.core.weights import (
    KINDS,
    aggregate_coded_weights,
    aggregate_weights,
    event_weight,
    rating_factor,
    score_weight,
    score_weights,
)


def test_engagement_orders_the_weights():
    assert event_weight("completed") > event_weight("started") > event_weight("saved") > event_weight("viewed") > 0


def test_dismissed_weighs_nothing_and_skipped_is_weak_but_positive():
    assert event_weight("dismissed") == 0
    assert 0 < event_weight("skipped") < event_weight("started")


def test_progress_sits_between_started_and_completed():
    assert event_weight("started") <= event_weight("progressed", 0.1) < event_weight("progressed", 90) < 4


def test_unknown_kind_is_an_error():
    with pytest.raises(ValueError, match="unknown event kind"):
        event_weight("liked")


def test_ratings_scale_but_never_cancel():
    assert rating_factor(5) > rating_factor(3) == 1.0 > rating_factor(1) > 0


def test_aggregate_keeps_the_strongest_event_times_the_last_rating():
    users, items, weights = aggregate_weights(
        [0, 0, 0, 1, 1, 2],
        [7, 7, 7, 7, 7, 7],
        ["viewed", "completed", "rated", "started", "rated", "dismissed"],
        [None, None, 5, None, 1, None],
    )
    assert users.tolist() == [0, 1, 2]
    assert items.tolist() == [7, 7, 7]
    assert weights.tolist() == pytest.approx([4.0 * 1.5, 2.0 * 0.5, 0.0])


def test_aggregate_rejects_unknown_kinds():
    with pytest.raises(ValueError, match="unknown event kind"):
        aggregate_weights([0], [0], ["clicked"])


def test_scores_map_to_completed_with_a_mild_factor():
    assert score_weight(None) == 4.0
    assert score_weight(0) == pytest.approx(3.2)
    assert score_weight(100) == pytest.approx(4.8)
    assert score_weights(np.array([np.nan, 50.0])).tolist() == pytest.approx([4.0, 4.0])


def test_kinds_given_as_codes_weigh_exactly_as_kinds_given_as_text():
    rng = np.random.default_rng(11)
    n = 500
    names = list(reversed(KINDS))  # any order of names: the codes index into it
    codes = rng.integers(0, len(names), n)
    values = np.where(rng.random(n) < 0.3, np.nan, rng.uniform(0, 100, n))
    users, items = rng.integers(0, 20, n), rng.integers(0, 15, n)
    as_text = aggregate_weights(users, items, [names[code] for code in codes], values)
    as_codes = aggregate_coded_weights(users, items, codes, names, values)
    for text_part, code_part in zip(as_text, as_codes, strict=True):
        np.testing.assert_array_equal(text_part, code_part)
    with pytest.raises(ValueError, match="unknown event kind"):
        aggregate_coded_weights([0], [0], [1], ["completed", "liked"])
