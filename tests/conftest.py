import pytest
from django.conf import settings

from tests.factories import LearnerProfileFactory, UserFactory


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
def catalog(db):
    """The shipped curated catalog, imported through the same service as `make run`."""
    from learning.services import catalog_import_file

    catalog_import_file(path=settings.DEEPPATH_CATALOG_FILE)


@pytest.fixture(autouse=True)
def _isolated_recommender(settings, tmp_path):
    """Each test gets its own model folder and fresh per-process caches (the catalog differs between tests)."""
    from recommender.data import clear_catalog_cache
    from recommender.loading import forget_loaded_model

    settings.DEEPPATH_MODEL_DIR = tmp_path / "models"
    clear_catalog_cache()
    forget_loaded_model()
    yield
    clear_catalog_cache()
    forget_loaded_model()
