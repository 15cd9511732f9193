"""Importing a catalog file: the format comes from the extension; missing, unreadable or non-UTF-8 files are refused."""

import json
from collections import Counter

import pytest

from learning.exceptions import LearningError
from learning.models import Resource
from learning.services import (
    catalog_import_file,
)
from tests.learning.catalog_documents import catalog_document

pytestmark = pytest.mark.django_db


def test_catalog_import_file_reads_a_json_file(tmp_path):
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(catalog_document()), encoding="utf-8")

    report = catalog_import_file(path=path)

    assert report.created == Counter(topics=3, resources=3, paths=1)


def test_catalog_import_file_refuses_a_txt_file(tmp_path):
    path = tmp_path / "catalog.txt"
    path.write_text(json.dumps(catalog_document()), encoding="utf-8")

    with pytest.raises(LearningError) as raised:
        catalog_import_file(path=path)

    assert raised.value.code == "unsupported_format"
    assert not Resource.objects.exists()


def test_catalog_import_file_refuses_a_missing_file(tmp_path):
    with pytest.raises(LearningError) as raised:
        catalog_import_file(path=tmp_path / "missing.json")

    assert raised.value.code == "unreadable"


def test_catalog_import_file_refuses_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "catalog.json"
    path.write_bytes(b'{"format": "\xff\xfe"}')

    with pytest.raises(LearningError) as raised:
        catalog_import_file(path=path)

    assert raised.value.code == "unreadable"
