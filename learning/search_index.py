"""Keeps SQLite's full-text index of the catalog wired up after every `migrate`.

Migration 0013 creates the FTS5 table and the triggers that keep it in step with catalog edits. SQLite cannot alter
most columns in place, so a later migration that changes `learning_resource` (or a table the triggers watch) makes
Django rebuild the table: a new table is filled, the old one dropped, the new one renamed. The triggers were
attached to the dropped table and go with it, silently: search keeps answering from rows that no edit updates any
more. After each `migrate` this puts back any trigger that is missing and, when one was, refills the index from the
catalog, so search is right whatever a migration rebuilt.
"""

import importlib

from django.db import connections

_INDEX_MIGRATION = "learning.migrations.0013_resource_search_index"


def restore_search_index(using: str = "default") -> list[str]:
    """Recreate the triggers a table rebuild dropped and refill the index when any was missing; return their names.

    Does nothing on PostgreSQL (its search needs no table) or before migration 0013 has created the table."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    index = importlib.import_module(_INDEX_MIGRATION)  # the triggers are defined once, where they were created
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        present = {name for (name,) in cursor.fetchall()}
        if index.TABLE not in present:
            return []
        missing = [name for name in index.TRIGGERS if name not in present]
        if not missing:
            return []
        for name in missing:
            event, body = index.TRIGGERS[name]
            cursor.execute(index._trigger(name, event, body))
        # Edits made while a trigger was gone never reached the index: rebuild it from the catalog.
        cursor.execute(f"DELETE FROM {index.TABLE}")  # noqa: S608  (a constant table name)
        cursor.execute(index._DOCUMENT.format(ids="SELECT id FROM learning_resource"))
    return missing


def restore_after_migrate(sender, using: str = "default", **kwargs) -> None:
    """post_migrate receiver: every `migrate` (make run, make setup, deploys) ends with the index wired up."""
    restore_search_index(using)
