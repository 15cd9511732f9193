"""Leave one presentation of the shared OULAD set out of tuning at a time: the default model, tuning its blend on
the other presentations only, must rank the left-out presentation's learners at least as well as next-in-group.
A constant fitted to one data set (or one presentation) fails here on the groups it was not fitted to."""

from pathlib import Path

import numpy as np
import pytest

from recommender.core import blend
from recommender.core.csvio import read_interactions, read_items
from recommender.core.estimators import DEFAULT_MODEL, MODELS, NextInGroup
from recommender.core.holdout_groups import evaluate_holdout_groups
from recommender.core.offline import prepare

SHARED = Path("/work/shared/data/oulad-assessments")


@pytest.fixture(scope="module")
def oulad():
    if not (SHARED / "interactions.csv").is_file():
        pytest.skip(f"the shared evaluation data is not at {SHARED}")
    return prepare(read_interactions(SHARED / "interactions.csv"), read_items(SHARED / "items.csv"))


def test_the_default_model_beats_next_in_group_on_every_left_out_presentation(oulad, monkeypatch):
    # Fewer validation learners per tuning run keeps the nine tunings to seconds; the folds are scored in full.
    monkeypatch.setattr(blend, "MAX_VALIDATION_USERS", 3000)
    estimators = {DEFAULT_MODEL: MODELS[DEFAULT_MODEL](), "next_in_group": NextInGroup()}
    rows = evaluate_holdout_groups(oulad, estimators)
    assert len(rows) == 9
    ratios = np.asarray([row[DEFAULT_MODEL]["ndcg"] / row["next_in_group"]["ndcg"] for row in rows])
    assert (ratios >= 1.0).all(), dict(zip([row["group"] for row in rows], ratios.round(3).tolist(), strict=True))
