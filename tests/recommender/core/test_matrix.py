import numpy as np
import pytest

from recommender.core.matrix import IdIndex, ItemStructure, build_matrix, build_sequences


def test_id_index_keeps_first_seen_order_and_round_trips():
    index = IdIndex.from_values(["b", "a", "b", "c"])
    assert index.values.tolist() == ["b", "a", "c"]
    assert index.encode(["c", "b", "zzz"]).tolist() == [2, 0, -1]
    assert index.decode([1, 2]) == ["a", "c"]
    assert len(index) == 3
    assert "a" in index


def test_id_index_values_are_a_unicode_array_for_saving():
    assert IdIndex.from_values(["1", "22"]).values.dtype.kind == "U"


def test_id_index_rejects_duplicates():
    with pytest.raises(ValueError, match="unique"):
        IdIndex(["a", "a"])


def test_build_matrix_keeps_the_max_weight_of_repeated_pairs():
    X = build_matrix([0, 0, 1, 0], [1, 1, 2, 1], [2.0, 4.0, 1.0, 0.5], n_users=2, n_items=3)
    assert X.dtype == np.float32
    assert X.shape == (2, 3)
    assert X[0, 1] == 4.0
    assert X[1, 2] == 1.0
    assert X.nnz == 2


def test_build_matrix_rejects_out_of_range_indices():
    with pytest.raises(ValueError, match="out of range"):
        build_matrix([0, 5], [0, 0], [1.0, 1.0], n_users=2, n_items=1)


def test_item_structure_finds_entries_of_items_in_several_groups():
    structure = ItemStructure(item=[0, 1, 1, 2], group=[0, 0, 1, 1], position=[1, 2, 1, 2])
    owner, entry = structure.entries_of_items(np.array([1]))
    assert owner.tolist() == [0, 0]
    assert sorted(structure.group[entry].tolist()) == [0, 1]
    assert structure.n_groups == 2


def test_item_structure_lists_group_entries_in_position_order():
    structure = ItemStructure(item=[5, 3, 4], group=[0, 0, 0], position=[3, 1, 2], n_items=6)
    _, entry = structure.entries_of_groups(np.array([0]))
    assert structure.item[entry].tolist() == [3, 4, 5]
    assert structure.first_positions().tolist() == [3]


def test_item_structure_rejects_positions_below_one():
    with pytest.raises(ValueError, match="positions"):
        ItemStructure(item=[0], group=[0], position=[0])


def test_item_structure_round_trips_through_arrays():
    structure = ItemStructure(item=[0, 1], group=[0, 0], position=[1, 2], n_items=4)
    again = ItemStructure.from_arrays(structure.to_arrays())
    assert again.n_items == 4
    assert again.item.tolist() == [0, 1]
    assert again.position.tolist() == [1, 2]


def test_build_sequences_orders_by_time_and_keeps_an_items_last_place():
    users = [0, 0, 0, 1, 0]
    items = [2, 1, 3, 0, 2]
    sequences = build_sequences(users, items, n_users=3)
    assert sequences[0].tolist() == [1, 3, 2]
    assert sequences[1].tolist() == [0]
    assert sequences[2].tolist() == []
