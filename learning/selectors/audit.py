"""The catalog's audit trail: who changed which resource, topic, path or provider, when, and each field's before
and after, read from the historical tables django-simple-history keeps (learning/audit.py).

Many-to-many fields (a resource's topics, a path's steps) are compared as readable lists. Everything is read in a
fixed number of queries per audited model (the records, each many-to-many table's rows, the names they point to),
then compared in Python, however many changes there are.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext as _

from learning.models import Framework, LearningPath, Provider, Resource, Topic

# Fields every record has that say nothing about the catalog.
SKIPPED_FIELDS = {"id", "created_at", "updated_at", "owner", "planned_goal", "planned_thorough"}
AUDITED: dict[str, type[models.Model]] = {
    "resource": Resource,
    "topic": Topic,
    "path": LearningPath,
    "provider": Provider,
}
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class AuditEntry:
    history_id: int
    at: datetime
    user: str  # the username, or "" when nobody signed in (the command line)
    model: str  # a key of AUDITED
    object_id: int
    object_name: str
    action: str  # created, changed, deleted
    reason: str  # where the change came from: admin, import (command line), bulk action: published, ...
    changes: list[FieldChange]


def _names() -> dict[type[models.Model], dict[int, str]]:
    return {
        Topic: dict(Topic.objects.values_list("pk", "name")),
        Framework: dict(Framework.objects.values_list("pk", "name")),
        Provider: dict(Provider.objects.values_list("pk", "name")),
        Resource: dict(Resource.objects.select_related(None).values_list("pk", "title")),
    }


def _m2m_snapshots(model: type[models.Model], records: models.QuerySet, names: dict) -> dict[str, dict[int, str]]:
    """field name -> history id -> the field's rows then, as one readable line each (steps in order)."""
    snapshots: dict[str, dict[int, str]] = {}
    for field in model._meta.many_to_many:
        through: Any = field.remote_field.through
        try:
            historical = apps.get_model("learning", f"Historical{through.__name__}")
        except LookupError:
            continue
        other = field.m2m_reverse_field_name()
        other_model = field.related_model
        extra = [f.name for f in through._meta.fields if f.name in ("position", "required", "note")]
        rows: dict[int, list[tuple]] = defaultdict(list)
        query = historical.objects.filter(history__in=records.values("history_id"))
        for row in query.values_list("history_id", f"{other}_id", *extra):
            rows[row[0]].append(row[1:])
        lines: dict[int, str] = defaultdict(str)
        for history_id, items in rows.items():
            items.sort(key=lambda item: item[1] if extra else names.get(other_model, {}).get(item[0], ""))
            lines[history_id] = "; ".join(_m2m_line(item, names.get(other_model, {}), bool(extra)) for item in items)
        snapshots[field.name] = lines
    return snapshots


def _m2m_line(item: tuple, names: dict[int, str], is_step: bool) -> str:
    name = names.get(item[0], _("deleted (#%(id)s)") % {"id": item[0]})
    if not is_step:
        return name
    _other, position, required, note = item
    text = f"{position}. {name}" + ("" if required else _(" (optional)"))
    return f"{text}: {note}" if note else text


def _scalar(field: models.Field, value: Any, names: dict) -> str:
    if value is None:
        return ""
    if isinstance(field, models.ForeignKey):
        return names.get(field.related_model, {}).get(value, str(value))
    if field.choices:
        return str(dict(field.choices).get(value, value))
    return str(value)


def audit_entries(*, model: str | None = None, object_id: int | None = None) -> list[AuditEntry]:
    """Every recorded change, newest first: of one audited model (a key of AUDITED) or all, of one object or all."""
    names = _names()
    users = dict(get_user_model().objects.values_list("pk", "username"))
    entries: list[AuditEntry] = []
    for key, audited in AUDITED.items():
        if model is not None and key != model:
            continue
        entries.extend(_entries_of(key, audited, object_id, names, users))
    entries.sort(key=lambda entry: (entry.at, entry.history_id), reverse=True)
    return entries


def _entries_of(
    key: str, audited: type[models.Model], object_id: int | None, names: dict, users: dict
) -> Iterator[AuditEntry]:
    historical = apps.get_model("learning", f"Historical{audited.__name__}")
    fields = [
        field
        for field in audited._meta.concrete_fields
        if field.name not in SKIPPED_FIELDS and field.attname in {f.attname for f in historical._meta.fields}
    ]
    records = historical.objects.order_by("id", "history_date", "history_id")
    if object_id is not None:
        records = records.filter(id=object_id)
    if key == "path":
        records = records.filter(owner_id__isnull=True)
    columns = ["history_id", "id", "history_date", "history_type", "history_user_id", "history_change_reason"]
    rows = list(records.values(*columns, *(field.attname for field in fields)))
    snapshots = _m2m_snapshots(audited, records, names)
    label = str(audited.__name__)
    previous: dict[int, dict[str, str]] = {}
    for row in rows:
        state = {field.name: _scalar(field, row[field.attname], names) for field in fields}
        state.update({name: lines[row["history_id"]] for name, lines in snapshots.items()})
        before = previous.get(row["id"], {})
        changes = [
            FieldChange(name, before.get(name, ""), value)
            for name, value in state.items()
            if value != before.get(name, "") and row["history_type"] != "-"
        ]
        previous[row["id"]] = state
        if row["history_type"] == "~" and not changes:
            continue  # a record that repeats the last one (a many-to-many write that changed nothing)
        yield AuditEntry(
            history_id=row["history_id"],
            at=row["history_date"],
            user=users.get(row["history_user_id"], ""),
            model=key,
            object_id=row["id"],
            object_name=state.get("title") or state.get("name") or f"{label} #{row['id']}",
            action=ACTIONS.get(row["history_type"], row["history_type"]),
            reason=row["history_change_reason"] or "",
            changes=changes,
        )


def audit_rows(entries: Iterable[AuditEntry]) -> Iterable[list[str]]:
    """One CSV row per changed field (a deletion is one row): when, who, what, which field, before, after."""
    yield ["when (UTC)", "user", "source", "model", "object id", "object", "action", "field", "before", "after"]
    for entry in entries:
        who = entry.user or _("(none: command line)")
        head = [entry.at.strftime("%Y-%m-%d %H:%M:%S"), who, entry.reason, entry.model, str(entry.object_id)]
        head += [entry.object_name, entry.action]
        if not entry.changes:
            yield [*head, "", "", ""]
        for change in entry.changes:
            yield [*head, change.field, change.old, change.new]
