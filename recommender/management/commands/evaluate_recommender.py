"""python manage.py evaluate_recommender --interactions FILE.csv [--items ITEMS.csv [--holdout-groups]] | --from-db"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from recommender.core.estimators import DEFAULT_MODEL, MODELS
from recommender.core.holdout_groups import evaluate_interactions_by_group
from recommender.core.offline import OfflineInputError, evaluate_interactions
from recommender.evaluation import format_group_table, format_table, recommender_evaluate_db

USAGE_ERROR = 2


class Command(BaseCommand):
    help = (
        "Compare every model and baseline (popularity, item-kNN, PureSVD, ALS, next-in-group when items are given, "
        "and the shipped hybrid) under per-learner leave-last-out by time: HR@10, NDCG@10, Recall@10, coverage and "
        "fit time. Reads a user_id,item_id,timestamp[,score] CSV, or the app's own interactions with --from-db."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--interactions", type=Path, help="CSV with user_id,item_id,timestamp[,score].")
        source.add_argument("--from-db", action="store_true", help="Use the app's interaction log and paths.")
        parser.add_argument("--items", type=Path, default=None, help="Optional CSV with item_id,group,position.")
        parser.add_argument("--k", type=int, default=10, help="Cut-off of the metrics (default 10).")
        parser.add_argument(
            "--holdout-groups",
            action="store_true",
            help="Leave one group of the items file out at a time: the default model tunes on the other groups, is "
            "judged on the left-out group's learners, and its NDCG ratio to every baseline is printed per group.",
        )

    def handle(self, *args, interactions: Path | None, from_db: bool, items: Path | None, k: int, **options):
        if options["holdout_groups"]:
            self._holdout_groups(interactions, items, k)
            return
        if from_db:
            if items is not None:
                raise CommandError("--items goes with --interactions; --from-db uses the learning paths.", returncode=2)
            rows, counts = recommender_evaluate_db(k=k)
            self.stdout.write(f"App data: {counts}")
            if not rows:
                raise CommandError("Not enough history: no learner has 3 or more resources.", returncode=USAGE_ERROR)
        else:
            try:
                # Next-in-group needs the items file's groups; without it, it has nothing to say.
                models = None if items is not None else [name for name in MODELS if name != "next_in_group"]
                rows = evaluate_interactions(interactions, items=items, k=k, models=models)
            except OfflineInputError as error:
                raise CommandError(str(error), returncode=USAGE_ERROR) from None
        self.stdout.write(format_table(rows, k=k))
        best = max((row for row in rows if row["name"] != "hybrid"), key=lambda row: row["ndcg"])
        hybrid = next(row for row in rows if row["name"] == "hybrid")
        self.stdout.write(
            f"hybrid NDCG@{k} {hybrid['ndcg']:.4f} = {hybrid['ndcg'] / best['ndcg']:.3f} x the best baseline "
            f"({best['name']} {best['ndcg']:.4f})"
        )

    def _holdout_groups(self, interactions: Path | None, items: Path | None, k: int) -> None:
        if interactions is None or items is None:
            raise CommandError(
                "--holdout-groups needs --interactions and --items (its groups are the folds).", returncode=2
            )
        try:
            rows = evaluate_interactions_by_group(interactions, items, k=k)
        except OfflineInputError as error:
            raise CommandError(str(error), returncode=USAGE_ERROR) from None
        self.stdout.write(format_group_table(rows, DEFAULT_MODEL, k=k))
