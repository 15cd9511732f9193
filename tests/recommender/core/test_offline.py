import pytest

from recommender.core.estimators import MODELS
from recommender.core.offline import OfflineInputError, evaluate_interactions, recommend

TRAIN = """user_id,item_id,timestamp
ada,intro,2024-01-01
ada,tensors,2024-01-02
ada,autograd,2024-01-03T09:00:00+00:00
bob,intro,2024-01-01
bob,tensors,2024-01-05
cy,intro,2024-02-01
cy,tensors,2024-02-02
cy,autograd,2024-02-03
cy,training,2024-02-04
dee,vision,2024-03-01
"""
ITEMS = """item_id,group,position
intro,basics,1
tensors,basics,2
autograd,basics,3
training,basics,4
vision,applications,1
nlp,applications,2
"""


@pytest.fixture
def files(tmp_path):
    (tmp_path / "train.csv").write_text(TRAIN)
    (tmp_path / "items.csv").write_text(ITEMS)
    (tmp_path / "users.txt").write_text("bob\nnewbie\n\nada\n")
    return tmp_path


def test_recommend_follows_users_order_and_never_repeats_seen_items(files):
    rows = recommend(files / "train.csv", files / "users.txt", 2, items=files / "items.csv")
    assert [row[0] for row in rows] == ["bob", "bob", "newbie", "newbie", "ada", "ada"]
    assert [row[1] for row in rows] == [1, 2, 1, 2, 1, 2]
    assert rows[0][2] == "autograd"  # bob's next step on the path
    assert rows[4][2] == "training"
    seen = {"bob": {"intro", "tensors"}, "ada": {"intro", "tensors", "autograd"}}
    assert all(item not in seen.get(user, set()) for user, _, item, _ in rows)


def test_a_new_user_starts_at_the_beginning_of_a_group(files):
    rows = recommend(files / "train.csv", files / "users.txt", 2, items=files / "items.csv")
    assert {row[2] for row in rows if row[0] == "newbie"} == {"intro", "vision"}


def test_recommend_returns_fewer_rows_only_when_fewer_unseen_items_exist(files):
    rows = recommend(files / "train.csv", files / "users.txt", 10, items=files / "items.csv")
    assert sum(row[0] == "ada" for row in rows) == 3  # 6 items, 3 seen
    assert sum(row[0] == "newbie" for row in rows) == 6


@pytest.mark.parametrize("model", sorted(MODELS))
def test_every_model_runs_without_items(files, model):
    rows = recommend(files / "train.csv", files / "users.txt", 2, model=model)
    assert len(rows) == 6
    assert all(isinstance(score, float) for *_, score in rows)


def test_bad_k_and_unknown_model_are_input_errors(files):
    with pytest.raises(OfflineInputError, match="K must be at least 1"):
        recommend(files / "train.csv", files / "users.txt", 0)
    with pytest.raises(OfflineInputError, match="unknown model"):
        recommend(files / "train.csv", files / "users.txt", 1, model="magic")


def test_evaluate_interactions_compares_every_model(files):
    rows = evaluate_interactions(files / "train.csv", files / "items.csv", k=2)
    assert [row["name"] for row in rows] == list(MODELS)
    assert all(row["users"] == 2 for row in rows)  # ada and cy have 3+ items


def test_zero_based_positions_mean_the_same_as_one_based(files):
    shifted = "item_id,group,position\n" + "".join(
        f"{item},{group},{int(position) - 1 if group == 'basics' else int(position) + 40}\n"
        for item, group, position in (line.split(",") for line in ITEMS.splitlines()[1:])
    )
    (files / "zero.csv").write_text(shifted)
    one_based = recommend(files / "train.csv", files / "users.txt", 3, items=files / "items.csv")
    zero_based = recommend(files / "train.csv", files / "users.txt", 3, items=files / "zero.csv")
    assert zero_based == one_based
    assert zero_based[0][2] == "autograd"  # bob's next step: the order of the positions is kept
