"""Writes a validated catalog plan: upserts by slug, touching only rows whose content differs."""

from collections import Counter
from dataclasses import dataclass, field

from learning.audit import one_record_for, quietly, record_new_rows
from learning.models import Framework, LearningPath, Resource, Topic
from learning.services.catalog.plan import CatalogPlan
from learning.services.catalog.providers import provider_resolver, upsert_providers
from learning.services.paths import StepSpec, path_steps_replace
from learning.services.topics import replace_prerequisite_links


@dataclass
class ImportReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    # Upgrades only: slugs per section of existing rows a curator edited, which the upgrade left as they were.
    kept: dict[str, list[str]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def summary(self) -> str:
        sections = ("topics", "resources", "paths")
        if any(counter["providers"] for counter in (self.created, self.updated, self.unchanged)):
            sections = ("providers", *sections)
        parts = [
            f"{what}: {self.created[what]} created, {self.updated[what]} updated, {self.unchanged[what]} unchanged"
            for what in sections
        ]
        if self.kept:
            parts.append(f"{sum(map(len, self.kept.values()))} row(s) a curator edited kept as they are")
        if self.warnings:
            parts.append(f"{len(self.warnings)} warning(s)")
        return "; ".join(parts)


def apply_plan(plan: CatalogPlan) -> ImportReport:
    """Must run inside a transaction, after `plan` passed validation."""
    report = ImportReport(warnings=list(plan.warnings))
    upsert_providers(plan.providers, report)
    topics = _upsert_topics(plan, report)
    resources = _upsert_resources(plan, topics, report)
    _upsert_paths(plan, topics, resources, report)
    return report


def _upsert(model, slug: str, values: dict, report: ImportReport, what: str):
    """Create or update one row; returns (instance, changed)."""
    instance, created = _existing_or_new(model, slug, values, report, what)
    return instance, _save_changes(instance, values, created=created)


def _existing_or_new(model, slug: str, values: dict, report: ImportReport, what: str, existing: dict | None = None):
    """The row with `slug` (not yet changed), or a new unsaved one holding `values`; and whether it is new.
    `existing` (rows by slug, read beforehand in one query) saves the per-row read."""
    instance = existing.get(slug) if existing is not None else model.objects.filter(slug=slug).first()
    if instance is None:
        report.created[what] += 1
        return model(slug=slug, **values), True
    return instance, False


def _save_changes(instance, values: dict, *, created: bool) -> bool:
    if created:
        instance.save(force_insert=True)
        return True
    changed = {name: value for name, value in values.items() if getattr(instance, name) != value}
    if changed:
        for name, value in changed.items():
            setattr(instance, name, value)
        instance.save(update_fields=[*changed, *(["updated_at"] if hasattr(instance, "updated_at") else [])])
    return bool(changed)


def _set_m2m(manager, wanted: list) -> bool:
    current = set(manager.all())  # from the prefetched rows when the caller prefetched them
    if current == set(wanted):
        return False
    manager.set(wanted)
    return True


def _link_new(manager, wanted: list) -> None:
    """A row created in this import gets its links in one INSERT: it has none yet, so nothing is read or compared
    (`.set()` costs three reads per set). No m2m signal is needed: the caller records the new row, links included,
    once it is written."""
    through = manager.through
    through.objects.bulk_create(
        through(**{manager.source_field_name: manager.instance, manager.target_field_name: target})
        for target in dict.fromkeys(wanted)
    )


def _tally(report: ImportReport, what: str, created_before: int, changed: bool) -> None:
    if report.created[what] > created_before:
        return
    (report.updated if changed else report.unchanged)[what] += 1


def _topic_map(slugs) -> dict[str, Topic]:
    return {topic.slug: topic for topic in Topic.objects.filter(slug__in=set(slugs))}


def _upsert_topics(plan: CatalogPlan, report: ImportReport) -> dict[str, Topic]:
    changed_by_slug = {}
    for row in plan.topics:
        before = report.created["topics"]
        _, changed = _upsert(Topic, row.slug, {"name": row.name, "summary": row.summary}, report, "topics")
        changed_by_slug[row.slug] = (before, changed)
    referenced = {p for row in plan.topics for p in row.prerequisites}
    referenced |= {t for row in plan.resources for t in (*row.topics, *row.touches, *row.prerequisites)}
    referenced |= {t for row in plan.paths for t in row.goal_topics}
    topics = _topic_map(referenced | {row.slug for row in plan.topics})
    for row in plan.topics:
        before, changed = changed_by_slug[row.slug]
        wanted = {topics[slug].pk for slug in row.prerequisites}
        if replace_prerequisite_links(topic=topics[row.slug], prerequisite_ids=wanted):
            topics[row.slug].save()  # a history record with the new edges (they are written in bulk)
            changed = True
        _tally(report, "topics", before, changed)
    return topics


def _upsert_resources(plan: CatalogPlan, topics: dict[str, Topic], report: ImportReport) -> dict[str, Resource]:
    frameworks = {framework.slug: framework for framework in Framework.objects.all()}
    providers = provider_resolver({row.fields["provider"] for row in plan.resources})
    # Every resource and its four sets in five queries: read one by one, an import of the shipped catalog that
    # changes nothing cost about 1,900 queries.
    existing = {
        resource.slug: resource
        for resource in Resource.objects.filter(slug__in=[row.slug for row in plan.resources]).prefetch_related(
            "frameworks", "topics", "touches", "prerequisites"
        )
    }
    created_rows = []
    for row in plan.resources:
        before = report.created["resources"]
        values = {name: value for name, value in row.fields.items() if name != "slug"}
        values["provider"] = providers[values["provider"]]
        resource, created = _existing_or_new(Resource, row.slug, values, report, "resources", existing)
        wanted = (  # by field name: a new row has no related managers until it is saved
            ("frameworks", [frameworks[slug] for slug in row.frameworks]),
            ("topics", [topics[slug] for slug in row.topics]),
            ("touches", [topics[slug] for slug in row.touches]),
            ("prerequisites", [topics[slug] for slug in row.prerequisites]),
        )
        if created:  # recorded with the other new rows below, in bulk
            with quietly(resource):
                _save_changes(resource, values, created=True)
                for name, targets in wanted:
                    _link_new(getattr(resource, name), targets)
            created_rows.append(resource)
            continue
        with one_record_for(resource, created=False) as outcome:
            outcome.changed = _save_changes(resource, values, created=False)
            for name, targets in wanted:
                outcome.changed = _set_m2m(getattr(resource, name), targets) or outcome.changed
        _tally(report, "resources", before, outcome.changed)
    record_new_rows(Resource, created_rows)
    step_slugs = {step.resource for path in plan.paths for step in path.steps}
    return {resource.slug: resource for resource in Resource.objects.filter(slug__in=step_slugs)}


def _upsert_paths(
    plan: CatalogPlan, topics: dict[str, Topic], resources: dict[str, Resource], report: ImportReport
) -> None:
    for row in plan.paths:
        before = report.created["paths"]
        values = {name: value for name, value in row.fields.items() if name != "slug"}
        path, changed = _upsert(LearningPath, row.slug, values, report, "paths")
        changed = _set_m2m(path.goal_topics, [topics[slug] for slug in row.goal_topics]) or changed
        changed = _set_steps(path, row, resources) or changed
        _tally(report, "paths", before, changed)


def _set_steps(path: LearningPath, row, resources: dict[str, Resource]) -> bool:
    specs = [StepSpec(resources[step.resource].pk, step.required, step.note) for step in row.steps]
    return path_steps_replace(path=path, steps=specs)
