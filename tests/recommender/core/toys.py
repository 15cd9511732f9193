"""Small hand-made data sets where the right answer is obvious (no database, no files)."""

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from recommender.core.matrix import ItemStructure


@dataclass
class Toy:
    X: sparse.csr_matrix
    sequences: list[np.ndarray]
    structure: ItemStructure


def make_toy() -> Toy:
    """5 learners x 6 items. Group 0 is items 0 -> 1 -> 2, group 1 is items 3 -> 4 -> 5 (positions 1-3).

    Learner 4 has done items 0 and 1: everyone who did both went on to item 2, which is also the next position.
    """
    histories = [[0, 1, 2], [0, 1, 2], [0, 1, 2, 3], [3, 4, 5], [0, 1]]
    rows = [user for user, items in enumerate(histories) for _ in items]
    cols = [item for items in histories for item in items]
    X = sparse.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(5, 6))
    structure = ItemStructure(item=[0, 1, 2, 3, 4, 5], group=[0, 0, 0, 1, 1, 1], position=[1, 2, 3, 1, 2, 3])
    return Toy(X, [np.asarray(items) for items in histories], structure)


def new_user(*items: int, n_items: int = 6) -> sparse.csr_matrix:
    """A one-row matrix for a learner unseen at fit time."""
    return sparse.csr_matrix((np.ones(len(items), np.float32), ([0] * len(items), list(items))), shape=(1, n_items))


def best_unseen(scores: np.ndarray, X_row: sparse.csr_matrix) -> int:
    """The best-scored item the row does not have yet."""
    masked = scores[0].astype(np.float64).copy()
    masked[X_row.indices] = -np.inf
    return int(np.argmax(masked))
