from datetime import UTC, date, datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from learning.exceptions import LearningError
from learning.services.demo import demo_learner_count, demo_learners_seed


def _anchor(value: str) -> datetime:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--anchor must be a date like 2026-01-31, got {value!r}.") from None
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


class Command(BaseCommand):
    help = (
        "Create demo learners (demo-0001, ...) with deterministic histories written as Progress and Interaction "
        "rows: the same --seed and --anchor give the same data."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--learners", type=int, default=300, help="How many learners (default 300).")
        parser.add_argument("--seed", type=int, default=42, help="Random seed (default 42).")
        parser.add_argument(
            "--anchor", default=None, help="Histories end before this date, YYYY-MM-DD (default: today, UTC)."
        )
        parser.add_argument("--replace", action="store_true", help="Delete existing demo learners first.")
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when demo learners already exist (for make run)."
        )

    def handle(self, *args, learners: int, seed: int, anchor: str | None, replace: bool, if_empty: bool, **options):
        if learners < 1:
            raise CommandError("--learners must be at least 1.")
        if if_empty and demo_learner_count():
            self.stdout.write(f"Demo learners already exist ({demo_learner_count()}); not seeding again.")
            return
        anchor_at = _anchor(anchor) if anchor else _anchor(timezone.now().date().isoformat())
        try:
            report = demo_learners_seed(learners=learners, seed=seed, anchor=anchor_at, replace=replace)
        except LearningError as error:
            raise CommandError(error.message) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {report.learners} demo learners: {report.progress} progress rows, "
                f"{report.interactions} interactions, {report.dismissals} dismissals."
            )
        )
