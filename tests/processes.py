"""For tests that start servers or commands in other processes: an environment without the test run's own
settings, and this test's database shared with them.

Migrating a fresh SQLite file in a child process costs several seconds per test; copying the already migrated
test database (with the rows the test wrote) costs milliseconds."""

import os
from pathlib import Path

from django.db import connection

# A child reads its settings from the environment, as a deployment does: none of the test run's database,
# cache or Django overrides leak into it unless a test passes them on purpose.
NOT_INHERITED = {"DATABASE_URL", "REDIS_URL"}


def child_environment(**overrides: str) -> dict[str, str]:
    inherited = {
        name: value
        for name, value in os.environ.items()
        if name not in NOT_INHERITED and not name.startswith("DJANGO_")
    }
    return {**inherited, "DJANGO_SETTINGS_MODULE": "config.settings", **overrides}


def shared_database(folder: Path) -> dict[str, str]:
    """Settings that give a child process this test's database, as it is now, and `folder` as its runtime folder.

    On SQLite the in-memory test database is copied into `folder`/db.sqlite3 (`VACUUM INTO`; the child opens it
    with the default settings: WAL, busy timeout); what the child writes stays in that file. On PostgreSQL the
    child uses the test database itself. Call it from a transactional test (`transactional_db`): VACUUM cannot
    run inside the transaction an ordinary test is wrapped in, and a child could not see uncommitted rows."""
    folder.mkdir(parents=True, exist_ok=True)
    shared = {"DEEPPATH_VAR_DIR": str(folder)}  # the child's runtime files stay in the test's folder either way
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(folder / "db.sqlite3")])
        return shared
    db = connection.settings_dict
    return {
        **shared,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
    }
