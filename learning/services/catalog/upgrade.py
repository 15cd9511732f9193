"""Bringing an existing site's catalog up to date with a newly shipped file without undoing curators' edits.

Every import records a fingerprint of each row it wrote, in its exported form. An upgrade adds the file's new rows
and updates a row only while its current fingerprint is still one an import wrote: the last recorded one, or one
of a previously shipped catalog (`learning/data/catalog_baseline.json`, for sites imported before fingerprints were
recorded). A row whose fingerprint is neither was edited by a curator: it is kept, and the report says so. Nothing
is deleted, so learners' progress, which points at resources, is untouched.
"""

import hashlib
import json
from pathlib import Path

from django.conf import settings

from learning.models import ImportedRow
from learning.services.catalog.formats import export_catalog_document
from learning.services.catalog.plan import CatalogPlan

SECTIONS = ("topics", "resources", "paths")


def baseline_file() -> Path:
    return Path(settings.BASE_DIR) / "learning" / "data" / "catalog_baseline.json"


def row_fingerprint(row: dict) -> str:
    return hashlib.sha256(json.dumps(row, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def current_fingerprints() -> dict[str, dict[str, str]]:
    document = export_catalog_document()
    return {section: {row["slug"]: row_fingerprint(row) for row in document[section]} for section in SECTIONS}


def record_imported(plan: CatalogPlan) -> None:
    """Remember what this import wrote for each of its rows (call after applying the plan); writes only changes."""
    current = current_fingerprints()
    for section in SECTIONS:
        wanted = {
            row.slug: current[section][row.slug] for row in getattr(plan, section) if row.slug in current[section]
        }
        recorded = dict(ImportedRow.objects.filter(section=section, slug__in=wanted).values_list("slug", "fingerprint"))
        ImportedRow.objects.bulk_create(
            ImportedRow(section=section, slug=slug, fingerprint=fingerprint)
            for slug, fingerprint in wanted.items()
            if slug not in recorded
        )
        for slug, fingerprint in wanted.items():
            if slug in recorded and recorded[slug] != fingerprint:
                ImportedRow.objects.filter(section=section, slug=slug).update(fingerprint=fingerprint)


def curator_edited(plan: CatalogPlan) -> dict[str, list[str]]:
    """Slugs, per section, of the plan's rows that exist and were changed since an import last wrote them."""
    current = current_fingerprints()
    recorded = {
        (section, slug): fp for section, slug, fp in ImportedRow.objects.values_list("section", "slug", "fingerprint")
    }
    baseline = _baseline()
    edited: dict[str, list[str]] = {}
    for section in SECTIONS:
        for row in getattr(plan, section):
            fingerprint = current[section].get(row.slug)
            if fingerprint is None:
                continue  # a new row
            written = {recorded.get((section, row.slug)), *baseline.get(section, {}).get(row.slug, [])}
            if fingerprint not in written:
                edited.setdefault(section, []).append(row.slug)
    return edited


def without_rows(plan: CatalogPlan, kept: dict[str, list[str]]) -> CatalogPlan:
    def keep(section):
        return [row for row in getattr(plan, section) if row.slug not in set(kept.get(section, []))]

    return CatalogPlan(
        topics=keep("topics"),
        resources=keep("resources"),
        paths=keep("paths"),
        providers=plan.providers,
        warnings=plan.warnings,
    )


def _baseline() -> dict[str, dict[str, list[str]]]:
    try:
        return json.loads(baseline_file().read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
