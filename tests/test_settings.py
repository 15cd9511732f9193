"""config/settings.py reads every deployment knob from the environment and refuses malformed values at start-up."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_DEBUG": "False",
    "DJANGO_SECRET_KEY": "a-production-key-that-is-long-enough-and-varied-0123456789-abcdefgh",
    "DJANGO_ALLOWED_HOSTS": "deeppath.example.com",
}


def clean_environment(**overrides):
    env = {
        name: value for name, value in os.environ.items() if name != "DATABASE_URL" and not name.startswith("DJANGO_")
    }
    return {**env, **overrides}


def run_python(code, **env):
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        env=clean_environment(**env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def import_settings(**env):
    return run_python("import config.settings", **env)


BAD_ENVIRONMENTS = [
    ("debug-not-a-boolean", {"DJANGO_DEBUG": "maybe"}),
    ("production-without-secret-key", {**PRODUCTION, "DJANGO_SECRET_KEY": ""}),
    ("production-without-allowed-hosts", {**PRODUCTION, "DJANGO_ALLOWED_HOSTS": ""}),
    ("mysql-database", {"DATABASE_URL": "mysql://x/y"}),
    ("database-url-without-scheme", {"DATABASE_URL": "nonsense"}),
    ("negative-hsts-seconds", {**PRODUCTION, "DJANGO_SECURE_HSTS_SECONDS": "-5"}),
    ("non-integer-hsts-seconds", {**PRODUCTION, "DJANGO_SECURE_HSTS_SECONDS": "abc"}),
    ("empty-allowed-host", {"DJANGO_ALLOWED_HOSTS": "a,,b"}),
    ("ssl-redirect-not-a-boolean", {**PRODUCTION, "DJANGO_SECURE_SSL_REDIRECT": "sometimes"}),
    ("unknown-log-level", {"DJANGO_LOG_LEVEL": "LOUD"}),
    ("throttle-rate-without-period", {"DEEPPATH_THROTTLE_AUTH": "20"}),
    ("retrain-threshold-negative", {"DEEPPATH_RETRAIN_AFTER_INTERACTIONS": "-1"}),
    ("holdout-not-a-number", {"DEEPPATH_HOLDOUT_LEARNERS": "many"}),
]


@pytest.mark.parametrize("env", [case[1] for case in BAD_ENVIRONMENTS], ids=[case[0] for case in BAD_ENVIRONMENTS])
def test_settings_refuse_a_malformed_environment(env):
    result = import_settings(**env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


def test_settings_accept_a_complete_production_environment():
    result = import_settings(**PRODUCTION)

    assert result.returncode == 0, result.stderr


def test_settings_default_to_debug_with_sqlite():
    code = (
        "import config.settings as s; "
        "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.SECRET_KEY.startswith('django-insecure'))"
    )

    result = run_python(code)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "django.db.backends.sqlite3", "True"]


def test_the_default_sqlite_database_keeps_its_connections_between_requests():
    code = "import config.settings as s; d = s.DATABASES['default']; print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"

    kept, closed = run_python(code), run_python(code, DATABASE_CONN_MAX_AGE="0")

    assert kept.returncode == 0, kept.stderr
    assert kept.stdout.split() == ["60", "True"]
    assert closed.stdout.split() == ["0", "True"]


def test_deploy_check_passes_without_warnings_in_production():
    env = {**PRODUCTION, "DJANGO_SECRET_KEY": secrets.token_urlsafe(45)}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO_ROOT,
        env=clean_environment(**env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNING" not in output
    assert "?: (security" not in output


def test_starting_django_loads_neither_scikit_learn_nor_the_estimators(tmp_path):
    """Every web worker, command and child process pays for what `django.setup()` imports: the estimators (and
    scikit-learn with them, about a second) load only where training or offline evaluation runs."""
    heavy = ("sklearn", "recommender.core.estimators", "recommender.services")
    code = (
        "import sys, django; django.setup(); "
        f"print(' '.join(name for name in {heavy!r} if name in sys.modules) or 'none')"
    )
    result = run_python(code, DJANGO_SETTINGS_MODULE="config.settings", DEEPPATH_VAR_DIR=str(tmp_path))

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["none"]
