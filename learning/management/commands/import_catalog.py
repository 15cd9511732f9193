from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from learning.exceptions import LearningError
from learning.models import Resource
from learning.services import catalog_import_file, catalog_upgrade_file


class Command(BaseCommand):
    help = (
        "Import a catalog .json (topics, resources, paths) or a .csv of resources. The whole file is validated "
        "first; any problem is listed and nothing is written. Importing the same file twice changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="Path to a .json catalog or a .csv of resources.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the catalog already has resources, so curators' admin edits are kept (make run).",
        )
        parser.add_argument(
            "--upgrade",
            action="store_true",
            help="Add new rows and update the rows no curator edited since the last import; keep edited ones "
            "(make run). Without it, every row the file names is overwritten (make catalog).",
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="Record the changes in the catalog's history as this user's (without it: the command line).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Validate the file and list problems and warnings, then roll back: nothing is written.",
        )

    def handle(self, *args, file: Path, if_empty: bool, upgrade: bool, check: bool, user: str | None, **options):
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"No user named {user!r}: give an existing username to --user, or leave it out.")
        if if_empty and Resource.objects.exists():
            self.stdout.write("The catalog already has resources; not importing (run `make catalog` to update it).")
            return
        try:
            with transaction.atomic():
                if upgrade:
                    report = catalog_upgrade_file(path=file, user=actor)
                else:
                    report = catalog_import_file(path=file, user=actor)
                transaction.set_rollback(check)
        except LearningError as error:
            for problem in error.problems:
                self.stderr.write(f"  - {problem}")
            raise CommandError(error.message) from None
        verb = "Checked (nothing written)" if check else "Imported"
        self.stdout.write(self.style.SUCCESS(f"{verb} {file.name}: {report.summary()}."))
        for section, slugs in report.kept.items():
            self.stdout.write(f"  kept (edited by a curator) {section}: {', '.join(sorted(slugs))}")
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"  ! {warning}"))
