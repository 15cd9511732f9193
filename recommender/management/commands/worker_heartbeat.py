from django.core.management.base import BaseCommand

from recommender.worker import heartbeat_ensure


class Command(BaseCommand):
    help = (
        "Queue the worker heartbeat unless one is waiting: a running `db_worker` then shows in the admin's model "
        "versions page as seen in the last minute (`make worker` runs this first)."
    )

    def handle(self, *args, **options) -> None:
        queued = heartbeat_ensure()
        self.stdout.write("Heartbeat queued." if queued else "A heartbeat is already queued.")
