import numpy as np
import pytest

from recommender.core.csvio import (
    OfflineInputError,
    parse_timestamp,
    read_interactions,
    read_items,
    read_users,
    write_recommendations,
)


def test_timestamps_accept_dates_naive_and_aware_datetimes():
    assert parse_timestamp("1970-01-02") == 86400.0
    assert parse_timestamp("1970-01-01T01:00:00") == 3600.0
    assert parse_timestamp("1970-01-01T01:00:00+01:00") == 0.0
    assert parse_timestamp("1970-01-01 00:00:10Z") == 10.0


def test_read_interactions_with_optional_score_and_extra_columns(tmp_path):
    path = tmp_path / "train.csv"
    path.write_text(
        "\ufeffuser_id,item_id,timestamp,score,extra\nu1,i1,2024-01-01,90,x\nu1,i2,2024-01-02T10:00:00,,y\n\n"
    )
    data = read_interactions(path)
    assert data.user_ids == ["u1", "u1"]
    assert data.item_ids == ["i1", "i2"]
    assert data.has_score
    assert data.scores[0] == 90.0
    assert np.isnan(data.scores[1])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("user_id,item_id\nu,i\n", "missing column timestamp"),
        ("", "empty"),
        ("user_id,item_id,timestamp\nu,i,2024-01-01\nu,j,yesterday\n", "line 3: unparseable timestamp"),
        ("user_id,item_id,timestamp,score\nu,i,2024-01-01,high\n", "line 2: score"),
        ("user_id,item_id,timestamp\n,i,2024-01-01\n", "empty user_id"),
    ],
)
def test_read_interactions_explains_bad_input(tmp_path, content, message):
    path = tmp_path / "train.csv"
    path.write_text(content)
    with pytest.raises(OfflineInputError, match=message):
        read_interactions(path)


def test_missing_files_are_named(tmp_path):
    with pytest.raises(OfflineInputError, match="TRAIN file not found"):
        read_interactions(tmp_path / "nope.csv")
    with pytest.raises(OfflineInputError, match="USERS file not found"):
        read_users(tmp_path / "nope.txt")


def test_read_items_accepts_any_integer_positions_and_refuses_others(tmp_path):
    path = tmp_path / "items.csv"
    path.write_text("item_id,group,position,kind\na,g,1,TMA\nb,g,2,CMA\n")
    assert read_items(path).positions.tolist() == [1, 2]
    path.write_text("item_id,group,position\na,g,0\nb,g,-3\n")
    assert read_items(path).positions.tolist() == [0, -3]
    path.write_text("item_id,group,position\na,g,first\n")
    with pytest.raises(OfflineInputError, match="line 2: bad position 'first' \\(expected an integer\\)"):
        read_items(path)


def test_read_users_skips_blank_lines_and_duplicates(tmp_path):
    path = tmp_path / "users.txt"
    path.write_text("b\n\n a \nb\n")
    assert read_users(path) == ["b", "a"]


def test_write_recommendations_has_the_contract_header(tmp_path):
    path = tmp_path / "out.csv"
    write_recommendations(path, [("u", 1, "i", 0.5)])
    assert path.read_text().splitlines() == ["user_id,rank,item_id,score", "u,1,i,0.5"]
