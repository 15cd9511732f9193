"""Import problems in a curator's terms: the field, then what is wrong with its value, never Python type names."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from learning.exceptions import LearningError
from learning.services import resources_import_csv
from tests.learning.catalog_documents import csv_row, csv_text, has_problem, problems_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("topics_in_database")]


@pytest.mark.parametrize(
    ("minutes", "message"),
    [
        ("-5", "estimated_minutes: minutes must be at least 1"),
        ("0", "estimated_minutes: minutes must be at least 1"),
        ("25000", "estimated_minutes: minutes must be at most 20000"),
        ("an hour", "estimated_minutes: minutes must be a whole number, got 'an hour'"),
        ("1.5", "estimated_minutes: minutes must be a whole number, got '1.5'"),
    ],
)
def test_a_csv_row_with_bad_minutes_says_what_the_minutes_must_be(minutes, message):
    with pytest.raises(LearningError) as raised:
        resources_import_csv(text=csv_text([csv_row("talk", estimated_minutes=minutes)]))
    problems = problems_of(raised)
    assert has_problem(problems, "row 2 'talk'", message)
    assert not has_problem(problems, "got str")
    assert not has_problem(problems, "Ensure this value")


def test_the_admin_import_page_shows_the_curator_message(client, staff_user):
    client.force_login(staff_user)
    upload = SimpleUploadedFile("resources.csv", csv_text([csv_row("talk", estimated_minutes="-5")]).encode())
    response = client.post(reverse("admin:learning_catalog_import"), {"file": upload})
    assert "minutes must be at least 1" in response.content.decode()
