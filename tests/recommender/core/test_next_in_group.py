import numpy as np

from recommender.core.estimators import NextInGroup
from recommender.core.matrix import ItemStructure
from tests.recommender.core.toys import best_unseen, new_user


def test_next_in_group_picks_the_next_position(toy):
    model = NextInGroup().fit(toy.X, structure=toy.structure)
    assert best_unseen(model.score(toy.X[4], [toy.sequences[4]]), toy.X[4]) == 2


def test_next_in_group_continues_the_most_recently_active_group(toy):
    model = NextInGroup().fit(toy.X, structure=toy.structure)
    row = new_user(0, 3)
    assert best_unseen(model.score(row, [np.array([0, 3])]), row) == 4
    assert best_unseen(model.score(row, [np.array([3, 0])]), row) == 1


def test_next_in_group_goes_back_to_a_gap_before_moving_far_ahead():
    structure = ItemStructure(item=np.arange(6), group=np.zeros(6), position=np.arange(1, 7))
    model = NextInGroup().fit(new_user(0, n_items=6), structure=structure)
    row = new_user(0, 2, n_items=6)  # did positions 1 and 3, skipped 2
    ranking = np.argsort(-model.score(row, [np.array([0, 2])])[0], kind="stable")
    assert [item for item in ranking if item not in (0, 2)][:3] == [1, 3, 4]


def test_next_in_group_without_structure_scores_nothing(toy):
    model = NextInGroup().fit(toy.X)
    assert not model.score(toy.X, toy.sequences).any()


def test_next_in_group_round_trips_with_and_without_structure(toy):
    for structure in (toy.structure, None):
        model = NextInGroup().fit(toy.X, structure=structure)
        again = NextInGroup.from_arrays(model.get_params(), model.to_arrays())
        np.testing.assert_array_equal(model.score(toy.X, toy.sequences), again.score(toy.X, toy.sequences))
