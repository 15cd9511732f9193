"""python manage.py recommend_offline --train TRAIN.csv --users USERS.txt --k K --out OUT.csv [--items ITEMS.csv]
[--model NAME]: top-K recommendations per user from files alone (no database)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from recommender.core.csvio import write_recommendations
from recommender.core.estimators import DEFAULT_MODEL, MODELS
from recommender.core.offline import OfflineInputError, recommend

#: Exit status for bad input, the same argparse uses for bad arguments.
USAGE_ERROR = 2


class Command(BaseCommand):
    help = (
        "Write the top-K recommendations for every user in USERS.txt to OUT.csv (user_id,rank,item_id,score), "
        "learned from TRAIN.csv (user_id,item_id,timestamp[,score]) and the optional ITEMS.csv "
        "(item_id,group,position). Reads and writes files only; it never touches the database."
    )
    # System checks inspect the whole project; a file-to-file command needs none of it.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--train", required=True, type=Path, help="Interactions CSV: user_id,item_id,timestamp.")
        parser.add_argument("--users", required=True, type=Path, help="Text file with one user id per line.")
        parser.add_argument("--k", required=True, type=int, help="Number of recommendations per user (>= 1).")
        parser.add_argument("--out", required=True, type=Path, help="Output CSV: user_id,rank,item_id,score.")
        parser.add_argument("--items", type=Path, default=None, help="Optional items CSV: item_id,group,position.")
        parser.add_argument(
            "--model", default=DEFAULT_MODEL, choices=sorted(MODELS), help=f"Algorithm (default: {DEFAULT_MODEL})."
        )

    def handle(self, *args, train: Path, users: Path, k: int, out: Path, items: Path | None, model: str, **options):
        # Django prints a CommandError's message to stderr and exits with its returncode, without a traceback.
        try:
            rows = recommend(train, users, k, items=items, model=model)
            write_recommendations(out, rows)
        except OfflineInputError as error:
            raise CommandError(str(error), returncode=USAGE_ERROR) from None
        except OSError as error:
            raise CommandError(f"cannot write {out}: {error.strerror}", returncode=USAGE_ERROR) from None
        n_users = len({row[0] for row in rows})
        self.stdout.write(f"Wrote {len(rows)} recommendations for {n_users} users to {out}.")
