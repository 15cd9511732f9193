from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from learning.exceptions import LearningError
from learning.models import Resource
from learning.services import catalog_import_file


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

    def handle(self, *args, file: Path, if_empty: bool, **options) -> None:
        if if_empty and Resource.objects.exists():
            self.stdout.write("The catalog already has resources; not importing (run `make catalog` to update it).")
            return
        try:
            report = catalog_import_file(path=file)
        except LearningError as error:
            for problem in error.problems:
                self.stderr.write(f"  - {problem}")
            raise CommandError(error.message) from None
        self.stdout.write(self.style.SUCCESS(f"Imported {file.name}: {report.summary()}."))
