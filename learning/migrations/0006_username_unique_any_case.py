"""Usernames unique whatever their case: a unique index on lower(username) of Django's auth_user table.

The index lives here (auth_user is Django's), as plain SQL both SQLite and PostgreSQL accept. Existing accounts that
differ only in case stop the migration with their names: merge or rename them first.
"""

from django.db import migrations

INDEX = "learning_auth_user_username_lower_uniq"


def refuse_case_duplicates(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT LOWER(username) FROM auth_user GROUP BY LOWER(username) HAVING COUNT(*) > 1 ORDER BY 1 LIMIT 20"
        )
        duplicates = [row[0] for row in cursor.fetchall()]
    if duplicates:
        raise RuntimeError(
            "Usernames that differ only in case must be renamed before usernames can be unique whatever their case: "
            + ", ".join(duplicates)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("learning", "0005_learner_session"),
    ]

    operations = [
        migrations.RunPython(refuse_case_duplicates, migrations.RunPython.noop),
        migrations.RunSQL(
            f"CREATE UNIQUE INDEX {INDEX} ON auth_user (LOWER(username))",
            f"DROP INDEX {INDEX}",
        ),
    ]
