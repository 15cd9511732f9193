import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from learning.services import catalog_export_json, resources_export_csv


class Command(BaseCommand):
    help = "Export the whole catalog to FILE.json, or the resources to FILE.csv ('-' writes JSON to stdout)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="Destination ending in .json or .csv, or '-' for JSON on stdout.")

    def handle(self, *args, file: str, **options) -> None:
        if file == "-":
            sys.stdout.write(catalog_export_json())
            return
        destination = Path(file)
        suffix = destination.suffix.lower()
        if suffix not in {".json", ".csv"}:
            raise CommandError(f"{destination.name}: the file must end in .json or .csv.")
        body = catalog_export_json() if suffix == ".json" else resources_export_csv()
        try:
            destination.write_text(body, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {destination}: {error.strerror}.") from None
        self.stdout.write(self.style.SUCCESS(f"Exported to {destination}."))
