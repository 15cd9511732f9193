from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from recommender.loading import active_model
from recommender.services import recommender_train

STAGES = ["reading interactions", "evaluating", "fitting on all interactions", "writing the artifact"]


class Command(BaseCommand):
    help = (
        "Fit the recommender on all interactions, evaluate it against popularity on a temporal holdout and, if it "
        "wins, write a new versioned artifact and make it the active one. A worse or failed run changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--if-missing", action="store_true", help="Only train when no model is active yet (for make run)."
        )

    def handle(self, *args, if_missing: bool, **options) -> None:
        if if_missing and active_model() is not None:
            self.stdout.write("A recommender model is already active; not training (run without --if-missing).")
            return
        with tqdm(total=len(STAGES), desc="training", unit="stage", file=self.stderr._out) as bar:

            def advance(message: str) -> None:
                bar.set_postfix_str(message)
                bar.update(1)

            report = recommender_train(progress=advance)
            bar.n = bar.total
            bar.refresh()
        run = report.run
        for name, row in run.metrics.items():
            self.stdout.write(
                f"  {name:<12} NDCG@10 {row['ndcg']:.4f}  HR@10 {row['hr']:.4f}  fit {row['fit_seconds']:.1f}s"
            )
        if report.activated:
            self.stdout.write(self.style.SUCCESS(f"Model {run.version} is now active ({run.data_counts})."))
        elif run.status == "rejected":
            self.stdout.write(self.style.WARNING(f"Not activated: {report.reason} The active model keeps serving."))
        else:
            raise CommandError(f"Training failed: {report.reason} The active model keeps serving.")
