from datetime import date

from django.core.management.base import BaseCommand, CommandError

from recommender.digests import digests_send
from recommender.tasks import send_digests_task


class Command(BaseCommand):
    help = (
        "Email each learner whose reminder day has come this week their weekly digest (next step and why, the week "
        "against their goal, their streak), at most once a week. Safe to run every hour from cron."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--today", help="Act as if today were this date (YYYY-MM-DD); for catching up or tests.")
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the run for the background worker (make worker) instead."
        )

    def handle(self, *args, today: str | None, enqueue: bool, **options) -> None:
        day = None
        if today:
            try:
                day = date.fromisoformat(today)
            except ValueError:
                raise CommandError(f"--today must be a date like 2026-11-30, got {today!r}.") from None
        if enqueue:
            result = send_digests_task.enqueue(today=day.isoformat() if day else None)
            self.stdout.write(f"Queued digest run {result.id}; `make worker` sends them.")
            return
        report = digests_send(today=day)
        self.stdout.write(f"Digests sent: {report.sent}, failed: {report.failed}.")
        if report.failed:
            raise CommandError(f"{report.failed} digest(s) could not be sent; the next run tries them again.")
