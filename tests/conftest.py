import os
from collections.abc import Callable
from pathlib import Path

import pytest
import threadpoolctl
from django.apps import apps
from django.conf import settings
from django.db.models.signals import post_migrate

from tests import snapshots
from tests.factories import LearnerProfileFactory, UserFactory

_SNAPSHOTS: dict[str, snapshots.Snapshot] = {}

if "PYTEST_XDIST_WORKER" in os.environ:
    # Each parallel worker already keeps a core busy: BLAS and OpenMP threads of its own only fight the other
    # worker for the same cores (the holdout and training tests used about 10% more CPU time with them). The
    # variables reach libraries loaded later and the processes tests start; threadpoolctl limits the loaded ones.
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    threadpoolctl.threadpool_limits(limits=1)


def _put_back_migrated_rows(**kwargs) -> None:
    from tests.factories import seed_migrated_rows

    seed_migrated_rows()


# A transactional test ends with a flush of every table, the rows the data migrations created included; Django then
# sends post_migrate (as it does after `migrate`), and the next test on this worker, whatever the order, finds them
# back.
post_migrate.connect(_put_back_migrated_rows, sender=apps.get_app_config("learning"), dispatch_uid="test-rows")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases, and on PostgreSQL a clean end: connections that a browser's keep-alive
    requests to the live server, or a child server still shutting down, hold on to the test database at the very
    end would stop it from being dropped ("being accessed by other users")."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture
def learner(db):
    return LearnerProfileFactory(user=UserFactory(username="ada")).user


@pytest.fixture
def other_learner(db):
    return LearnerProfileFactory(user=UserFactory(username="grace")).user


@pytest.fixture
def staff_user(db):
    return UserFactory(username="curator", is_staff=True, is_superuser=True)


@pytest.fixture
def built_once(db, tmp_path_factory):
    """`built_once(name, make)` gives this test the rows `make()` writes: the first test in this process runs it
    for real, later ones get the recorded rows back in bulk (see tests/snapshots.py). With `model_dir=True` the
    recommender's model folder is recorded and restored too. Name each distinct set of rows uniquely, and ask for
    the fixtures it builds on first (the `demo` rows are recorded on top of the `catalog` rows)."""

    def use(name: str, make, *, model_dir: bool = False) -> None:
        files = settings.DEEPPATH_MODEL_DIR if model_dir else None
        recorded = _SNAPSHOTS.get(name)
        if recorded is not None and snapshots.restore(recorded, files):
            return
        if recorded is not None:  # the recorded rows collide with this test's own: build for real
            make()
            return
        keep = tmp_path_factory.mktemp(f"snapshot-{name}") if model_dir else None
        _SNAPSHOTS[name] = snapshots.build(make, files=files, keep_files=keep)

    return use


@pytest.fixture
def catalog(built_once):
    """The shipped curated catalog, imported through the same service as `make run` (once per process)."""
    built_once("catalog", _import_shipped_catalog)


def _import_shipped_catalog() -> None:
    from learning.services import catalog_import_file

    catalog_import_file(path=settings.DEEPPATH_CATALOG_FILE)


def module_rows(*builds: tuple[str, Callable[[], object]]):
    """A module-scoped fixture holding the rows of `builds` (name, make) for every test of a module that only reads
    them (a module asks for it through its own function-scoped fixture, next to `db`).

    As Django's setUpTestData does: the rows go in inside a transaction that opens before the module's first test
    and rolls back after its last; each test's own transaction nests inside it as a savepoint, so what a test writes
    is still undone after it. Rows come from the same per-process records as `built_once`. Not for modules with
    transactional tests."""

    @pytest.fixture(scope="module")
    def rows(django_db_setup, django_db_blocker):
        from django.db import transaction

        with django_db_blocker.unblock(), transaction.atomic():
            for name, make in builds:
                recorded = _SNAPSHOTS.get(name)
                if recorded is None or not snapshots.restore(recorded):
                    _SNAPSHOTS[name] = snapshots.build(make)
            yield
            transaction.set_rollback(True)

    return rows


catalog_for_module = module_rows(("catalog", _import_shipped_catalog))


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Users are made in most tests: hash their passwords quickly (the hasher is not what any test checks)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _isolated_recommender(settings, tmp_path):
    """Each test gets its own model folder and fresh per-process caches (the catalog differs between tests)."""
    from recommender.data import clear_catalog_cache
    from recommender.loading import forget_loaded_model
    from recommender.selectors import forget_recent_lists

    settings.DEEPPATH_MODEL_DIR = tmp_path / "models"
    for forget in (clear_catalog_cache, forget_loaded_model, forget_recent_lists):
        forget()
    yield
    for forget in (clear_catalog_cache, forget_loaded_model, forget_recent_lists):
        forget()


@pytest.fixture(autouse=True)
def _language_reset():
    """LocaleMiddleware leaves a request's language active in the thread: a test after a Spanish request starts in
    the default language again."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(scope="session")
def compiled_translations():
    """The Spanish catalog compiled, as `make messages` does, for tests that read pages in Spanish.

    `make test` compiles it first; this covers a run of pytest alone. Each process compiles to a file of its own and
    moves it into place, so parallel workers never read a half-written catalog."""
    import os
    import shutil
    import subprocess

    from django.utils.translation import trans_real

    msgfmt = shutil.which("msgfmt")
    for po in Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        assert msgfmt, "msgfmt is missing: install Debian's gettext (make messages does)"
        partial = mo.with_name(f"django.{os.getpid()}.mo.part")
        subprocess.run([msgfmt, "--check-format", "-o", str(partial), str(po)], check=True)  # noqa: S603
        os.replace(partial, mo)
        trans_real._translations.clear()  # a catalog read before it was compiled is read again
