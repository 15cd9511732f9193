import pytest

from learning.models import Topic
from learning.services import catalog_import
from tests.factories import ResourceFactory
from tests.learning.catalog_documents import TAKEN_URL, catalog_document


@pytest.fixture
def imported(db):
    """The small test catalog document imported, plus a resource outside it that owns TAKEN_URL."""
    catalog_import(document=catalog_document())
    ResourceFactory(slug="outside", url=TAKEN_URL, topics=[Topic.objects.get(slug="linear-algebra")])


@pytest.fixture
def topics_in_database(db):
    """The small test catalog document imported (CSV rows name its topics)."""
    catalog_import(document=catalog_document())
