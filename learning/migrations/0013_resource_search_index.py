"""The catalog's full-text index on SQLite: an FTS5 table with one row per resource (rowid = resource id), kept in
step with every catalog edit by triggers, so imports, the admin and the API's writes all update it.

Columns, in the order the search weighs them: the title, the names of the topics it teaches, its facets (kind,
level, provider, frameworks) and the summary. PostgreSQL needs no table: its search builds the same weighted
document in the query (learning/selectors/search.py).
"""

from django.db import migrations

TABLE = "learning_resource_search"

# The indexed document of every resource whose id is in ({ids}).
_DOCUMENT = """
INSERT INTO learning_resource_search (rowid, title, topics, facets, summary)
SELECT r.id, r.title,
       COALESCE((SELECT group_concat(t.name, ' ') FROM learning_resource_topics rt
                 JOIN learning_topic t ON t.id = rt.topic_id WHERE rt.resource_id = r.id), ''),
       r.kind || ' ' || r.level || ' ' ||
       COALESCE((SELECT p.name FROM learning_provider p WHERE p.id = r.provider_id), '') || ' ' ||
       COALESCE((SELECT group_concat(f.name, ' ') FROM learning_resource_frameworks rf
                 JOIN learning_framework f ON f.id = rf.framework_id WHERE rf.resource_id = r.id), ''),
       r.summary
FROM learning_resource r WHERE r.id IN ({ids});
"""


def _refresh(ids: str) -> str:
    return f"DELETE FROM {TABLE} WHERE rowid IN ({ids});" + _DOCUMENT.format(ids=ids)  # noqa: S608 (constants)


def _trigger(name: str, event: str, body: str) -> str:
    return f"CREATE TRIGGER {name} AFTER {event} FOR EACH ROW BEGIN {body} END;"


TRIGGERS = {
    "learning_resource_search_ai": ("INSERT ON learning_resource", _refresh("NEW.id")),
    "learning_resource_search_au": (
        "UPDATE ON learning_resource",
        f"DELETE FROM {TABLE} WHERE rowid = OLD.id;" + _refresh("NEW.id"),  # noqa: S608
    ),
    "learning_resource_search_ad": ("DELETE ON learning_resource", f"DELETE FROM {TABLE} WHERE rowid = OLD.id;"),  # noqa: S608
    "learning_resource_search_topic_ai": ("INSERT ON learning_resource_topics", _refresh("NEW.resource_id")),
    "learning_resource_search_topic_ad": ("DELETE ON learning_resource_topics", _refresh("OLD.resource_id")),
    "learning_resource_search_framework_ai": ("INSERT ON learning_resource_frameworks", _refresh("NEW.resource_id")),
    "learning_resource_search_framework_ad": ("DELETE ON learning_resource_frameworks", _refresh("OLD.resource_id")),
    "learning_resource_search_topic_name": (
        "UPDATE OF name ON learning_topic",
        _refresh("SELECT resource_id FROM learning_resource_topics WHERE topic_id = NEW.id"),
    ),
    "learning_resource_search_framework_name": (
        "UPDATE OF name ON learning_framework",
        _refresh("SELECT resource_id FROM learning_resource_frameworks WHERE framework_id = NEW.id"),
    ),
    "learning_resource_search_provider_name": (
        "UPDATE OF name ON learning_provider",
        _refresh("SELECT id FROM learning_resource WHERE provider_id = NEW.id"),
    ),
}


def create_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        f"CREATE VIRTUAL TABLE {TABLE} USING fts5(title, topics, facets, summary, "
        "tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    for name, (event, body) in TRIGGERS.items():
        schema_editor.execute(_trigger(name, event, body))
    schema_editor.execute(_DOCUMENT.format(ids="SELECT id FROM learning_resource"))


def drop_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    for name in TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
    schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0012_progress_insights_index"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
