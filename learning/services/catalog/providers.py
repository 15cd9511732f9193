"""Providers in catalog files: the `providers` section, matching a resource's provider by name or alias, merging.

A resource names its provider as a string, matched to a provider's name or one of its aliases, from the file's
`providers` section or already in the database. A file that declares its providers must name only those (or known
ones): any other provider is refused. A file without a `providers` section (every version 1 file, a CSV of
resources) may introduce a provider: it is created, and the import report warns about it, since a new spelling is
more often a misspelt alias than a new publisher.
Declaring a name as an alias of another provider merges the two: resources move to the provider that lists it.
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from learning.exceptions import add_problem
from learning.models import Provider, Resource
from learning.services.catalog.rows import RowProblems, check_shape

PROVIDER_FIELDS = {"name": str, "url": str, "aliases": list}
PROVIDER_NAME_MAX = Provider._meta.get_field("name").max_length


@dataclass
class ProviderRow:
    label: str
    name: str
    url: str = ""
    aliases: list[str] = field(default_factory=list)


def provider_row(raw: Any, label: str, sink: dict[str, list[str]]) -> ProviderRow | None:
    problems = RowProblems(label, sink)
    if not check_shape(raw, PROVIDER_FIELDS, {"name"}, problems):
        return None
    row = ProviderRow(label=label, name=raw["name"].strip(), url=raw.get("url") or "", aliases=raw.get("aliases") or [])
    for spelling in [row.name, *row.aliases]:
        if not spelling.strip() or len(spelling) > PROVIDER_NAME_MAX:
            problems.add(f"names and aliases must be 1 to {PROVIDER_NAME_MAX} characters, got {spelling!r}")
    if row.url:
        try:
            URLValidator(schemes=["https", "http"])(row.url)
        except ValidationError:
            problems.add(f"url: {row.url!r} is not a valid URL")
    return row


def check_providers(plan, problems: dict[str, list[str]], *, create_unknown: bool) -> list[str]:
    """Check the providers section and every resource's provider; returns warnings for providers to be created."""
    owner: dict[str, str] = {}
    for row in plan.providers:
        for spelling in [row.name, *row.aliases]:
            if spelling in owner and owner[spelling] != row.name:
                add_problem(problems, row.label, f"{spelling!r} is already a name or alias of '{owner[spelling]}'")
            owner[spelling] = row.name
    known = set(owner) | _database_spellings()
    warnings = []
    for resource in plan.resources:
        spelling = resource.fields["provider"]
        if spelling in known:
            continue
        if create_unknown:
            warnings.append(f"{resource.label}: new provider {spelling!r} (merge it as an alias if it is not new)")
            known.add(spelling)
        else:
            add_problem(
                problems,
                resource.label,
                f"provider: unknown provider {spelling!r}; declare it under 'providers' or add it as an alias of a "
                "known provider in the admin",
            )
    return warnings


def _database_spellings() -> set[str]:
    spellings = set()
    for name, aliases in Provider.objects.values_list("name", "aliases"):
        spellings.add(name)
        spellings.update(aliases or [])
    return spellings


def upsert_providers(rows: list[ProviderRow], report) -> None:
    """Create or update the file's providers, merging any provider whose name another one lists as an alias."""
    for row in rows:
        provider = Provider.objects.filter(name=row.name).first()
        if provider is None:
            provider = Provider.objects.create(name=row.name, url=row.url, aliases=sorted(set(row.aliases)))
            report.created["providers"] += 1
        elif provider.url != row.url or sorted(set(provider.aliases) | set(row.aliases)) != sorted(provider.aliases):
            provider.url = row.url
            provider.aliases = sorted(set(provider.aliases) | set(row.aliases))
            provider.save(update_fields=["url", "aliases"])
            report.updated["providers"] += 1
        else:
            report.unchanged["providers"] += 1
        _merge_into(provider, Provider.objects.filter(name__in=row.aliases).exclude(pk=provider.pk))


def _merge_into(provider: Provider, others) -> None:
    for other in list(others):
        Resource.objects.filter(provider=other).update(provider=provider)
        provider.aliases = sorted(set(provider.aliases) | set(other.aliases) | {other.name})
        other.delete()
    provider.save(update_fields=["aliases"])


def provider_resolver(spellings: set[str]) -> dict[str, Provider]:
    """Spelling -> provider for the given spellings, creating a provider for any spelling still unknown."""
    resolved: dict[str, Provider] = {}
    for provider in Provider.objects.all():
        for spelling in [*(provider.aliases or []), provider.name]:  # a name wins over another provider's alias
            resolved[spelling] = provider
    for spelling in sorted(spellings - resolved.keys()):
        resolved[spelling] = Provider.objects.create(name=spelling, aliases=[])
    return resolved
