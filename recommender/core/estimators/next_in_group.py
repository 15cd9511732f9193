"""The curated-order baseline: carry on where you are in each group."""

from __future__ import annotations

import numpy as np

from recommender.core.estimators.base import Recommender, as_csr
from recommender.core.estimators.progress import structure_scores


class NextInGroup(Recommender):
    """For each group the row has touched, the unfinished items nearest to its most recent position there.

    Items rank by distance from the row's last item in the group; at equal distance the unfinished item just
    behind (a gap the learner left) ranks before the one just ahead, because learners go back to fill gaps.
    Groups rank lexicographically: the most recently active group (by `sequences`; without sequences, by group
    index) is exhausted before the next. It needs `structure` at fit time; with no structure it scores every
    item 0 (it has nothing to go on), which is why it is only a baseline.
    """

    name = "next_in_group"
    _optional_state = ("structure_",)
    _state = ("n_items_", "structure_")

    # decay near 1 keeps every item of a 100-position group above the next group (scaled by group_decay);
    # gap_weight just above 1 puts the gap d behind between the items d and d + 1 ahead.
    _decay, _gap_weight, _group_decay = 0.95, 1.02, 1e-3

    def __init__(self) -> None:
        pass

    def fit(self, X, structure=None, sequences=None) -> NextInGroup:
        """Remember the structure (and the catalogue size)."""
        self.n_items_ = np.asarray(as_csr(X).shape[1], dtype=np.int64)
        self.structure_ = structure
        return self

    def score(self, X_users, sequences=None) -> np.ndarray:
        """Structure scores in [0, 1]; 0 for items outside the row's groups."""
        self._check_fitted()
        return structure_scores(
            as_csr(X_users),
            sequences,
            self.structure_,
            decay=self._decay,
            gap_weight=self._gap_weight,
            group_decay=self._group_decay,
            anchor="last",
        )
