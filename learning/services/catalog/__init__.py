"""Catalog import and export: the JSON document (topics, resources, paths) and resources as CSV.

Imports are validated whole before anything is written and applied in one transaction, so a file with any
problem leaves the database exactly as it was; they upsert by slug and touch only rows that differ, so
importing the same file twice changes nothing.
"""

import json
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from learning.audit import COMMAND_LINE, acting
from learning.exceptions import LearningError
from learning.services.catalog.apply import ImportReport, apply_plan
from learning.services.catalog.formats import (
    export_catalog_document,
    export_resources_csv,
    parse_json,
    parse_resources_csv,
)
from learning.services.catalog.plan import plan_catalog_document, plan_resource_rows
from learning.services.catalog.upgrade import curator_edited, record_imported, without_rows

__all__ = [
    "ImportReport",
    "catalog_export_json",
    "catalog_import",
    "catalog_import_file",
    "catalog_import_text",
    "catalog_upgrade",
    "catalog_upgrade_file",
    "resources_export_csv",
    "resources_import_csv",
]


# Every import below records its changes in the catalog's history as `user`'s (None: nobody signed in), made
# "via" the admin or the command line (learning/audit.py).
User = AbstractBaseUser | AnonymousUser | None


@transaction.atomic
def catalog_import(*, document, user: User = None, via: str = COMMAND_LINE) -> ImportReport:
    """Import a parsed catalog document (providers, topics, resources, paths), overwriting the rows it names."""
    plan = plan_catalog_document(document)
    with acting(user=user, source=f"import ({via})"):
        report = apply_plan(plan)
    record_imported(plan)
    return report


@transaction.atomic
def catalog_upgrade(*, document, user: User = None, via: str = COMMAND_LINE) -> ImportReport:
    """Import a document, but keep every existing row a curator edited since an import last wrote it."""
    plan = plan_catalog_document(document)
    kept = curator_edited(plan)
    applied = without_rows(plan, kept)
    with acting(user=user, source=f"upgrade ({via})"):
        report = apply_plan(applied)
    report.kept = kept
    record_imported(applied)
    return report


@transaction.atomic
def resources_import_csv(*, text: str, user: User = None, via: str = COMMAND_LINE) -> ImportReport:
    """Import resources from CSV; the topics they name must already exist."""
    plan = plan_resource_rows(parse_resources_csv(text))
    with acting(user=user, source=f"import ({via})"):
        report = apply_plan(plan)
    record_imported(plan)
    return report


def catalog_import_text(*, text: str, file_format: str, user: User = None, via: str = COMMAND_LINE) -> ImportReport:
    if file_format == "json":
        return catalog_import(document=parse_json(text), user=user, via=via)
    if file_format == "csv":
        return resources_import_csv(text=text, user=user, via=via)
    raise LearningError(f"Unknown catalog format {file_format!r}: use json or csv.", code="unsupported_format")


def catalog_upgrade_file(*, path: Path, user: User = None) -> ImportReport:
    """Upgrade from a .json catalog file (what `make run` does on every start)."""
    if path.suffix.lower() != ".json":
        raise LearningError(f"{path.name}: an upgrade reads a .json catalog.", code="unsupported_format")
    return catalog_upgrade(document=parse_json(_read_text(path)), user=user)


def catalog_import_file(*, path: Path, user: User = None) -> ImportReport:
    """Import a .json catalog or a .csv of resources, chosen by the file's extension."""
    file_format = path.suffix.lower().lstrip(".")
    if file_format not in {"json", "csv"}:
        raise LearningError(f"{path.name}: the file must end in .json or .csv.", code="unsupported_format")
    return catalog_import_text(text=_read_text(path), file_format=file_format, user=user)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise LearningError(f"Cannot read {path}: {error.strerror}.", code="unreadable") from None
    except UnicodeDecodeError:
        raise LearningError(f"{path.name} is not UTF-8 text.", code="unreadable") from None


def catalog_export_json() -> str:
    return json.dumps(export_catalog_document(), indent=2, ensure_ascii=False) + "\n"


def resources_export_csv() -> str:
    return export_resources_csv()
