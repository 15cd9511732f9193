"""recommend_offline: files in, files out, never the database."""

import csv
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, ManagementUtility, call_command

REPO = Path(__file__).resolve().parents[2]

TRAIN = """user_id,item_id,timestamp,score
ada,intro,2024-01-01,80
ada,tensors,2024-01-02,
ada,autograd,2024-01-03T09:00:00Z,95
bob,intro,2024-01-01,70
bob,tensors,2024-01-05T10:00:00+02:00,60
cy,intro,2024-02-01,90
cy,tensors,2024-02-02,90
cy,autograd,2024-02-03,90
cy,training,2024-02-04,90
dee,vision,2024-03-01,50
"""
ITEMS = """item_id,group,position,kind
intro,basics,1,lesson
tensors,basics,2,lesson
autograd,basics,3,lesson
training,basics,4,project
vision,applications,1,lesson
nlp,applications,2,lesson
"""
SEEN = {"ada": {"intro", "tensors", "autograd"}, "bob": {"intro", "tensors"}, "dee": {"vision"}}


@pytest.fixture
def files(tmp_path):
    (tmp_path / "train.csv").write_text(TRAIN)
    (tmp_path / "items.csv").write_text(ITEMS)
    (tmp_path / "users.txt").write_text("bob\ndee\nnewbie\nada\n")
    return tmp_path


def _read(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        return reader.fieldnames, list(reader)


@pytest.mark.parametrize("model", [None, "popularity", "item_knn", "pure_svd", "als", "next_in_group", "hybrid"])
def test_recommend_offline_writes_k_unseen_items_per_user(files, model):
    options = {"model": model} if model else {}
    out = files / "out.csv"
    call_command(
        "recommend_offline",
        train=str(files / "train.csv"),
        users=str(files / "users.txt"),
        k=2,
        out=str(out),
        items=str(files / "items.csv"),
        stdout=StringIO(),
        **options,
    )
    header, rows = _read(out)
    assert header == ["user_id", "rank", "item_id", "score"]
    assert [row["user_id"] for row in rows] == ["bob", "bob", "dee", "dee", "newbie", "newbie", "ada", "ada"]
    assert [row["rank"] for row in rows] == ["1", "2"] * 4
    assert all(row["item_id"] not in SEEN.get(row["user_id"], set()) for row in rows)
    assert all(float(row["score"]) == float(row["score"]) for row in rows)


def test_recommend_offline_defaults_to_the_hybrid_following_the_path(files):
    out = files / "out.csv"
    call_command(
        "recommend_offline",
        "--train",
        str(files / "train.csv"),
        "--users",
        str(files / "users.txt"),
        "--k",
        "1",
        "--out",
        str(out),
        "--items",
        str(files / "items.csv"),
        stdout=StringIO(),
    )
    _, rows = _read(out)
    assert {row["user_id"]: row["item_id"] for row in rows} == {
        "bob": "autograd",
        "ada": "training",
        "dee": "nlp",
        "newbie": "intro",
    }


def test_recommend_offline_works_without_items(files):
    out = files / "out.csv"
    call_command(
        "recommend_offline",
        train=str(files / "train.csv"),
        users=str(files / "users.txt"),
        k=3,
        out=str(out),
        stdout=StringIO(),
    )
    _, rows = _read(out)
    # Without ITEMS the catalogue is what TRAIN mentions: 5 items, 3 of them seen by ada.
    assert len([row for row in rows if row["user_id"] == "ada"]) == 2
    assert len([row for row in rows if row["user_id"] == "newbie"]) == 3


@dataclass
class Exit:
    returncode: int
    stderr: str


def _run(files: Path, *args: str) -> Exit:
    """`manage.py recommend_offline` as the shell runs it (argument parsing, error handling, exit status), in this
    process: a new interpreter per case costs seconds. test_evaluate_recommender_bad_input_exits_2_without_traceback
    runs a real process."""
    base = {"--train": files / "train.csv", "--users": files / "users.txt", "--k": "2", "--out": files / "out.csv"}
    overrides = dict(zip(args[::2], args[1::2], strict=True))
    argv = [str(part) for pair in {**base, **overrides}.items() for part in pair]
    stderr = StringIO()
    with redirect_stdout(StringIO()), redirect_stderr(stderr), pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "recommend_offline", *argv]).execute()
    return Exit(returncode=exited.value.code, stderr=stderr.getvalue())


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        (None, ("--train", "missing.csv"), "TRAIN file not found"),
        (None, ("--users", "missing.txt"), "USERS file not found"),
        ("user_id,item_id\nada,intro\n", (), "missing column timestamp"),
        ("user_id,item_id,timestamp\nada,intro,2024-01-01\nada,tensors,last tuesday\n", (), "line 3: unparseable"),
        (None, ("--k", "0"), "K must be at least 1"),
        (None, ("--k", "ten"), "invalid int value"),
        (None, ("--model", "magic"), "invalid choice"),
    ],
)
def test_bad_input_exits_2_with_a_message_and_no_traceback(files, setup, args, message):
    if setup is not None:
        (files / "train.csv").write_text(setup)
    if args and args[1].startswith("missing"):
        args = (args[0], str(files / args[1]))
    result = _run(files, *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (files / "out.csv").exists()


def test_bad_items_file_exits_2(files):
    (files / "items.csv").write_text("item_id,group,position\nintro,basics,zero\n")
    result = _run(files, "--items", str(files / "items.csv"))
    assert result.returncode == 2
    assert "bad position" in result.stderr
    assert "Traceback" not in result.stderr


def test_evaluate_recommender_prints_every_model_on_a_csv(files):
    out = StringIO()
    call_command(
        "evaluate_recommender",
        "--interactions",
        str(files / "train.csv"),
        "--items",
        str(files / "items.csv"),
        stdout=out,
    )
    table = out.getvalue()
    for name in ("popularity", "item_knn", "pure_svd", "als", "next_in_group", "hybrid"):
        assert name in table
    for column in ("HR@10", "NDCG@10", "Recall@10", "coverage"):
        assert column in table


def test_evaluate_recommender_without_items_leaves_out_next_in_group(files):
    out = StringIO()
    call_command("evaluate_recommender", "--interactions", str(files / "train.csv"), stdout=out)
    assert "next_in_group" not in out.getvalue()
    assert "hybrid" in out.getvalue()


@pytest.mark.django_db
def test_evaluate_recommender_from_db_uses_the_app_interactions(catalog):
    from datetime import UTC, datetime

    from learning.services.demo import demo_learners_seed

    demo_learners_seed(learners=40, seed=2, anchor=datetime(2026, 6, 1, tzinfo=UTC))
    out = StringIO()
    call_command("evaluate_recommender", "--from-db", stdout=out)
    assert "next_in_group" in out.getvalue()
    assert "x the best baseline" in out.getvalue()


def test_evaluate_recommender_bad_input_exits_2_without_traceback(files):
    result = subprocess.run(  # noqa: S603  fixed argv, no shell
        [sys.executable, "manage.py", "evaluate_recommender", "--interactions", str(files / "missing.csv")],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "missing.csv" in result.stderr
    assert "Traceback" not in result.stderr


def test_evaluate_recommender_holdout_groups_prints_a_ratio_per_group_and_baseline(files):
    out = StringIO()
    args = ("--interactions", str(files / "train.csv"), "--items", str(files / "items.csv"), "--holdout-groups")
    call_command("evaluate_recommender", *args, stdout=out)
    lines = out.getvalue().splitlines()
    assert "/ next_in_group" in lines[1]
    assert "/ item_knn" in lines[1]
    assert "/ ease" in lines[1]
    assert [line.split()[0] for line in lines[3:]] == ["basics", "worst"], "ada and cy end in basics; bob has 2"
    assert lines[3].split()[1] == "2"


def test_evaluate_recommender_holdout_groups_needs_an_items_file(files):
    with pytest.raises(CommandError, match="needs --interactions and --items"):
        call_command("evaluate_recommender", "--interactions", str(files / "train.csv"), "--holdout-groups")
