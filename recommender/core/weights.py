"""The ONE place where learner events, ratings and external scores become interaction weights.

A weight says how strongly an interaction tells us the learner engaged with an item: completing beats starting,
starting beats saving, saving beats a glance. Weights are always >= 0; a dismissal is 0 because dismissed items are
filtered out at serving time rather than learned as a negative (a dismissal often means "not now", not "bad").
"""

from __future__ import annotations

import numpy as np

#: Fixed weight of each event kind; "progressed" and "rated" are refined by their value (see `event_weight`).
KIND_WEIGHTS: dict[str, float] = {
    "viewed": 0.5,
    "saved": 1.0,
    # Skipping means the learner already knows the item: a real co-occurrence signal, weaker than doing it.
    "skipped": 1.0,
    "started": 2.0,
    "progressed": 2.5,
    "completed": 4.0,
    # A rating with no other event still implies the learner used the item; "started" is the prudent reading.
    "rated": 2.0,
    "dismissed": 0.0,
}
KINDS = tuple(KIND_WEIGHTS)
COMPLETED_WEIGHT = KIND_WEIGHTS["completed"]


def rating_factor(rating: float | None) -> float:
    """Multiplier a 1-5 rating applies to its pair's weight: 1 -> 0.5, 3 -> 1.0, 5 -> 1.5 (None -> 1.0).

    It shrinks but never cancels a weight: a learner who disliked an item still tells us what they studied.
    """
    if rating is None or np.isnan(rating):
        return 1.0
    return 0.25 + 0.25 * float(np.clip(rating, 1.0, 5.0))


def event_weight(kind: str, value: float | None = None) -> float:
    """Weight of one event on its own.

    "progressed" uses `value` as the fraction done (0-1, or a 0-100 percentage): 2.0 at none to 3.0 near the end
    (None -> 2.5). "rated" uses `value` as the 1-5 rating applied to the rating-only base. Other kinds ignore `value`.
    Raises ValueError for an unknown kind.
    """
    if kind not in KIND_WEIGHTS:
        raise ValueError(f"unknown event kind {kind!r}; expected one of {', '.join(KINDS)}")
    if kind == "progressed" and value is not None and not np.isnan(value):
        fraction = value / 100.0 if value > 1.0 else value
        return 2.0 + float(np.clip(fraction, 0.0, 1.0))
    if kind == "rated":
        return KIND_WEIGHTS["rated"] * rating_factor(value)
    return KIND_WEIGHTS[kind]


def score_weight(score: float | None) -> float:
    """Weight of a row of an external `user,item,timestamp[,score]` file, score on a 0-100 scale.

    Any row means the learner completed the item (weight 4); the score only nudges it by a factor 0.8 (score 0)
    to 1.2 (score 100), because a low mark still says what the learner studied. A missing score counts as 4.
    """
    if score is None or np.isnan(score):
        return COMPLETED_WEIGHT
    return COMPLETED_WEIGHT * (0.8 + 0.4 * float(np.clip(score, 0.0, 100.0)) / 100.0)


def score_weights(scores: np.ndarray) -> np.ndarray:
    """Vectorised `score_weight` (NaN = missing score)."""
    scores = np.asarray(scores, dtype=np.float64)
    factor = np.where(np.isnan(scores), 1.0, 0.8 + 0.4 * np.clip(np.nan_to_num(scores), 0.0, 100.0) / 100.0)
    return (COMPLETED_WEIGHT * factor).astype(np.float32)


def aggregate_weights(user_idx, item_idx, kinds, values=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One weight per distinct (user, item) pair from its events: (users, items, weights), sorted by pair.

    The pair's weight is the MAX of its non-rating event weights (its strongest engagement, not a count of
    clicks), times the `rating_factor` of its LAST rating in input order. A pair with only ratings starts from the
    "rated" base. Pairs whose weight is 0 (only dismissals) are still returned, with weight 0.
    """
    names, codes = np.unique(np.asarray(kinds, dtype=str), return_inverse=True)
    return aggregate_coded_weights(user_idx, item_idx, codes.reshape(-1), names.tolist(), values)


def aggregate_coded_weights(
    user_idx, item_idx, kind_codes, kind_names: list[str], values=None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`aggregate_weights` with each event's kind given as a code into `kind_names`: millions of logged events
    carry small integer codes, and comparing or sorting that many strings cost seconds per training."""
    users = np.asarray(user_idx, dtype=np.int64)
    items = np.asarray(item_idx, dtype=np.int64)
    codes = np.asarray(kind_codes, dtype=np.int64)
    values = np.full(len(users), np.nan) if values is None else np.asarray(values, dtype=np.float64)
    used = {kind_names[code] for code in np.unique(codes).tolist()} if len(codes) else set()
    unknown = used - set(KINDS)
    if unknown:
        raise ValueError(f"unknown event kind(s) {sorted(unknown)}; expected one of {', '.join(KINDS)}")
    if len(users) == 0:
        return users, items, np.zeros(0, dtype=np.float32)
    pair_users, pair_items, pair_of_row = _pairs(users, items)
    n_pairs = len(pair_users)
    event = _event_weights(codes, kind_names, values)
    is_rating = codes == _code_of("rated", kind_names)
    base = np.full(n_pairs, -1.0)
    np.maximum.at(base, pair_of_row[~is_rating], event[~is_rating])
    base = np.where(base < 0, KIND_WEIGHTS["rated"], base)  # only ratings: start from the rating-only base
    factor = np.ones(n_pairs)
    rated_rows = np.flatnonzero(is_rating & ~np.isnan(values))
    # Fancy assignment keeps the last write for repeated indices: the latest rating in input order wins.
    factor[pair_of_row[rated_rows]] = 0.25 + 0.25 * np.clip(values[rated_rows], 1.0, 5.0)
    return pair_users, pair_items, (base * factor).astype(np.float32)


def _code_of(kind: str, kind_names: list[str]) -> int:
    """The code of `kind`, or -1 (matching no event) when the names do not include it."""
    return kind_names.index(kind) if kind in kind_names else -1


def _pairs(users: np.ndarray, items: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct (user, item) pairs sorted, and for each input row the index of its pair."""
    span = int(items.max()) + 1
    keys, pair_of_row = np.unique(users * span + items, return_inverse=True)
    return keys // span, keys % span, pair_of_row.reshape(-1)


def _event_weights(codes: np.ndarray, kind_names: list[str], values: np.ndarray) -> np.ndarray:
    """Vectorised `event_weight` for non-rating kinds (ratings are applied as factors by the caller)."""
    by_code = np.asarray([KIND_WEIGHTS.get(name, 0.0) for name in kind_names] or [0.0])
    weights: np.ndarray = by_code[codes]
    progressed = (codes == _code_of("progressed", kind_names)) & ~np.isnan(values)
    fraction = np.where(values > 1.0, values / 100.0, values)
    weights[progressed] = 2.0 + np.clip(fraction[progressed], 0.0, 1.0)
    return weights
