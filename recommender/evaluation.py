"""Every model and baseline side by side, on the app's own data (the CSV side lives in recommender.core.offline)."""

import numpy as np
from django.utils import timezone

from recommender.core.estimators.als import ALS
from recommender.core.estimators.ease import EASE
from recommender.core.estimators.hybrid import Hybrid
from recommender.core.estimators.item_knn import ItemKNN
from recommender.core.estimators.next_in_group import NextInGroup
from recommender.core.estimators.popularity import Popularity
from recommender.core.estimators.pure_svd import PureSVD
from recommender.core.offline import evaluate_holdout
from recommender.data import interaction_snapshot, load_catalog_snapshot
from recommender.datasets import build_dataset

TABLE_COLUMNS = [
    ("name", "model", "{:<14}"),
    ("hr", "HR@10", "{:>7.4f}"),
    ("ndcg", "NDCG@10", "{:>8.4f}"),
    ("recall", "Recall@10", "{:>9.4f}"),
    ("coverage", "coverage", "{:>8.4f}"),
    ("fit_seconds", "fit (s)", "{:>8.2f}"),
]


def all_estimators(*, with_structure: bool) -> dict:
    estimators = {
        "popularity": Popularity(),
        "item_knn": ItemKNN(),
        "pure_svd": PureSVD(),
        "als": ALS(),
        "ease": EASE(),
    }
    if with_structure:
        estimators["next_in_group"] = NextInGroup()
    estimators["hybrid"] = Hybrid()
    return estimators


def recommender_evaluate_db(k: int = 10) -> tuple[list[dict], dict]:
    """Leave-last-out by time on the app's interactions, with the learning paths as the item structure."""
    dataset = build_dataset(interaction_snapshot(until=timezone.now()), load_catalog_snapshot())
    estimators = all_estimators(with_structure=len(dataset.structure) > 0)
    rows, held_out = evaluate_holdout(dataset, estimators, k=k)
    return rows, {"learners": len(dataset.users), "resources": len(dataset.items), "held_out": held_out}


def format_table(rows: list[dict], k: int = 10) -> str:
    header = "  ".join(
        fmt.replace(".4f", "").replace(".2f", "").format(title.format(k=k)) for _, title, fmt in TABLE_COLUMNS
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        lines.append("  ".join(fmt.format(row[key]) for key, _, fmt in TABLE_COLUMNS))
    return "\n".join(lines)


def format_group_table(rows: list[dict], model: str, k: int = 10) -> str:
    """Per held-out group: the model's NDCG@k and its ratio to every baseline's, then the worst ratio per baseline."""
    baselines = [name for name in rows[0] if name not in ("group", "learners", model)] if rows else []
    header = f"{'held-out group':<16}{'learners':>9}{model + f' NDCG@{k}':>16}" + "".join(
        f"{'/ ' + name:>16}" for name in baselines
    )
    lines = [f"{model} NDCG@{k} divided by each baseline's, on the learners of each group left out of tuning:"]
    lines += [header, "-" * len(header)]
    worst = dict.fromkeys(baselines, np.inf)
    for row in rows:
        ratios = {name: _ratio(row[model]["ndcg"], row[name]["ndcg"]) for name in baselines}
        worst = {name: min(worst[name], ratios[name]) for name in baselines}
        cells = "".join(f"{ratios[name]:>16.3f}" for name in baselines)
        lines.append(f"{row['group']!s:<16}{row['learners']:>9}{row[model]['ndcg']:>16.4f}{cells}")
    lines.append(f"{'worst fold':<16}{'':>9}{'':>16}" + "".join(f"{worst[name]:>16.3f}" for name in baselines))
    return "\n".join(lines)


def _ratio(value: float, baseline: float) -> float:
    return value / baseline if baseline > 0 else float("inf")
