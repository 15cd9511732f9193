from django.core.management.base import BaseCommand

from learning.services.links import links_check
from learning.tasks import check_links_task


class Command(BaseCommand):
    help = (
        "Check the URL of every published resource (HEAD, else GET; redirects followed up to a limit) and record "
        "the outcome for the admin's link health. Nothing is unpublished. Settings: DEEPPATH_LINKCHECK_*."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--resource", type=int, action="append", dest="resource_ids", help="Only this id.")
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the check for `manage.py db_worker` instead (for cron)."
        )

    def handle(self, *args, resource_ids: list[int] | None, enqueue: bool, **options) -> None:
        if enqueue:
            result = check_links_task.enqueue(resource_ids=resource_ids)
            self.stdout.write(f"Link check queued as task {result.id}; `manage.py db_worker` runs it.")
            return
        summary = links_check(resource_ids=resource_ids)
        for line in sorted(summary.broken):
            self.stdout.write(f"broken  {line}")
        self.stdout.write(
            f"Checked {summary.checked} resource(s): {summary.ok} OK, {summary.redirected} redirected, "
            f"{len(summary.broken)} broken."
        )
