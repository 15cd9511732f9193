"""Expensive database fixtures built once per test process and re-inserted in bulk for every later test.

Importing the shipped catalog row by row takes seconds; seeding demo learners or training a model takes more.
The first test that asks for such a fixture runs the real code (the import service, the seeder, the training)
and records which rows it added, changed or deleted; every later test gets the same rows back with a few bulk
INSERTs inside its own transaction, so each test still starts from, and rolls back to, the same database.

Rows are recorded with their primary keys. So that they cannot collide with rows a test made before asking for
the fixture (a `learner` made before `demo`), the first build runs with every id sequence moved past ID_FLOOR;
a later restore that still collides (or finds the rows it would change missing) falls back to the real build.
"""

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.management.color import no_style
from django.db import IntegrityError, connection, models, transaction

ID_FLOOR = 1_000_000


def _tables() -> list[type[models.Model]]:
    """Every concrete table, parents before the tables whose foreign keys point at them (autocommit tests check
    foreign keys per statement)."""
    pending = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    ]
    ordered: list[type[models.Model]] = []
    while pending:
        placed = set(ordered)
        ready = [
            model
            for model in pending
            if all(
                target is model or target in placed or target not in pending
                for target in (f.related_model for f in model._meta.local_concrete_fields if f.is_relation)
            )
        ]
        ready = ready or pending[:1]  # a cycle of foreign keys: constraints are deferred inside transactions
        ordered.extend(ready)
        pending = [model for model in pending if model not in ready]
    return ordered


def _columns(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.local_concrete_fields]


def _rows(model: type[models.Model]) -> dict:
    columns = _columns(model)
    pk_index = columns.index(model._meta.pk.attname)
    return {row[pk_index]: row for row in model._base_manager.values_list(*columns)}


@dataclass
class TableChanges:
    created: list[tuple] = field(default_factory=list)
    updated: list[tuple] = field(default_factory=list)
    deleted: list = field(default_factory=list)
    prepared: list[tuple] | None = None  # `created` as database parameters, made on the first restore


@dataclass
class Snapshot:
    tables: dict[type[models.Model], TableChanges]
    files: Path | None = None


def _has_auto_id(model: type[models.Model]) -> bool:
    return isinstance(model._meta.pk, models.AutoField | models.BigAutoField | models.SmallAutoField)


def _raise_id_sequences(tables: list[type[models.Model]], floor: int) -> None:
    """Make the next id of every table at least `floor + 1` (never lowering it)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in tables:
            if not _has_auto_id(model):
                continue
            table, column = model._meta.db_table, model._meta.pk.column
            if connection.vendor == "postgresql":
                highest = f"SELECT COALESCE(MAX({quote(column)}), 0) FROM {quote(table)}"  # noqa: S608  model metadata
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, %s), GREATEST(%s, ({highest})))",
                    [quote(table), column, floor],
                )
            elif connection.vendor == "sqlite":
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                found = cursor.fetchone()
                if found is None:
                    cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, floor])
                elif found[0] < floor:
                    cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [floor, table])


def build(make: Callable[[], object], files: Path | None = None, keep_files: Path | None = None) -> Snapshot:
    """Run `make` for real and record what it changed (and a copy of `files`, if given, into `keep_files`)."""
    tables = _tables()
    _raise_id_sequences(tables, ID_FLOOR)
    before = {model: _rows(model) for model in tables}
    make()
    changes = {}
    for model in tables:
        old, new = before[model], _rows(model)
        table = TableChanges(
            created=[row for pk, row in new.items() if pk not in old],
            updated=[row for pk, row in new.items() if pk in old and old[pk] != row],
            deleted=[pk for pk in old if pk not in new],
        )
        if table.created or table.updated or table.deleted:
            changes[model] = table
    if files is not None and keep_files is not None and files.exists():
        shutil.copytree(files, keep_files, dirs_exist_ok=True)
    return Snapshot(tables=changes, files=keep_files if files is not None else None)


def restore(snapshot: Snapshot, files: Path | None = None) -> bool:
    """Put the recorded rows back; False (and nothing written) when they no longer fit this database."""
    try:
        with transaction.atomic():
            for model, table in snapshot.tables.items():
                _apply(model, table)
            _reset_id_sequences(list(snapshot.tables))
    except (IntegrityError, _DoesNotFitError):
        return False
    if snapshot.files is not None and files is not None:
        shutil.copytree(snapshot.files, files, dirs_exist_ok=True)
    return True


class _DoesNotFitError(Exception):
    pass


def _apply(model: type[models.Model], table: TableChanges) -> None:
    manager, columns = model._base_manager, _columns(model)
    if table.deleted:
        manager.filter(pk__in=table.deleted).delete()
    if table.updated:
        pk_name = model._meta.pk.attname
        for row in table.updated:
            values = dict(zip(columns, row, strict=True))
            if not manager.filter(pk=values.pop(pk_name)).update(**values):
                raise _DoesNotFitError
    if table.created:
        if table.prepared is None:  # once per process: the values as the database takes them
            table.prepared = _prepared(model, table.created)
        fields = model._meta.local_concrete_fields
        quote = connection.ops.quote_name
        columns_sql = ", ".join(quote(field.column) for field in fields)
        placeholders = ", ".join(["%s"] * len(fields))
        with connection.cursor() as cursor:
            # Straight INSERTs of the recorded values, as loaddata's raw saves keep them (auto_now timestamps
            # included): building a model instance per row cost more than the inserts themselves.
            cursor.executemany(
                f"INSERT INTO {quote(model._meta.db_table)} ({columns_sql}) VALUES ({placeholders})",  # noqa: S608
                table.prepared,
            )


def _prepared(model: type[models.Model], rows: list[tuple]) -> list[tuple]:
    fields = model._meta.local_concrete_fields
    return [
        tuple(field.get_db_prep_save(value, connection) for field, value in zip(fields, row, strict=True))
        for row in rows
    ]


def _reset_id_sequences(tables: list[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), tables)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
