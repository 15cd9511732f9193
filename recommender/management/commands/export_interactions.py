"""Export the interaction log as gzipped CSV for a distributed trainer (Spark MLlib's ALS reads it directly)."""

import gzip
from pathlib import Path

import numpy as np
from django.core.management.base import BaseCommand

from learning.models import InteractionKind
from recommender.data.events import interaction_log_export


class Command(BaseCommand):
    help = (
        "Write the interaction log (the columnar copy training reads, brought up to date first) as gzipped CSV: "
        "learner_id,resource_id,kind,value,occurred_at_epoch. Events of the last few minutes are left for the "
        "next export."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", type=Path, help="the .csv.gz file to write")

    def handle(self, *args, output: Path, **options):
        columns = interaction_log_export()
        kinds = np.asarray(InteractionKind.values)
        output.parent.mkdir(parents=True, exist_ok=True)
        chunk = 1_000_000
        with gzip.open(output, "wt", newline="") as stream:
            stream.write("learner_id,resource_id,kind,value,occurred_at_epoch\n")
            for start in range(0, len(columns["ids"]), chunk):
                part = slice(start, start + chunk)
                values = np.char.mod("%g", columns["values"][part])
                rows = zip(
                    columns["learner_ids"][part].tolist(),
                    columns["resource_ids"][part].tolist(),
                    kinds[columns["kind_codes"][part]].tolist(),
                    np.where(values == "nan", "", values).tolist(),
                    columns["times"][part].tolist(),
                    strict=True,
                )
                stream.writelines(f"{a},{b},{c},{d},{e}\n" for a, b, c, d, e in rows)
        self.stdout.write(f"wrote {len(columns['ids'])} events to {output}")
