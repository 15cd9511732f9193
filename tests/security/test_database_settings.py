"""SQLite takes concurrent writes (finding 6 of issue 12) and the cache is shared (finding 5): the settings."""

import json

from tests.test_settings import run_python

SHOW = (
    "import json, config.settings as s; "
    "print(json.dumps({'options': s.DATABASES['default'].get('OPTIONS', {}), 'cache': s.CACHES['default']}))"
)


def _settings(**env) -> dict:
    result = run_python(SHOW, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_sqlite_default_uses_wal_a_busy_timeout_and_immediate_transactions(tmp_path):
    options = _settings(DEEPPATH_VAR_DIR=str(tmp_path))["options"]

    assert "journal_mode=WAL" in options["init_command"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 20


def test_a_sqlite_database_url_gets_the_same_options(tmp_path):
    options = _settings(DATABASE_URL=f"sqlite:///{tmp_path}/other.sqlite3")["options"]

    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]


def test_the_sqlite_file_is_in_wal_mode_once_connected(tmp_path):
    code = (
        "import django; django.setup(); from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0]); c.execute('PRAGMA busy_timeout'); "
        "print(c.fetchone()[0])"
    )
    result = run_python(code, DJANGO_SETTINGS_MODULE="config.settings", DEEPPATH_VAR_DIR=str(tmp_path))

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "20000"]


def test_the_cache_is_the_database_by_default_and_redis_with_redis_url(tmp_path):
    assert _settings(DEEPPATH_VAR_DIR=str(tmp_path))["cache"]["BACKEND"] == "config.cache.DatabaseCache"

    redis = _settings(DEEPPATH_VAR_DIR=str(tmp_path), REDIS_URL="redis://127.0.0.1:6379/0")["cache"]

    assert redis == {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/0"}


def test_a_malformed_redis_url_stops_start_up():
    result = run_python("import config.settings", REDIS_URL="localhost:6379")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
