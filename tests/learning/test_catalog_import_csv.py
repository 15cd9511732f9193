"""Importing resources from CSV: rows create resources with their relations; bad rows are reported by row number
and nothing is imported."""

from collections import Counter

import pytest

from learning.exceptions import LearningError
from learning.models import Resource
from learning.services import (
    resources_import_csv,
)
from tests.learning.catalog_documents import (
    CSV_HEADER,
    csv_row,
    csv_text,
    database_state,
    has_problem,
    problems_of,
    updated_ats,
)

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("topics_in_database")
def test_a_valid_csv_creates_resources_with_their_relations():
    report = resources_import_csv(text=csv_text([csv_row("attention-talk"), csv_row("gradients-talk")]))

    talk = Resource.objects.get(slug="attention-talk")
    assert report.created == Counter(resources=2)
    assert talk.estimated_minutes == 45
    assert talk.kind == "video"
    assert {f.slug for f in talk.frameworks.all()} == {"pytorch", "tensorflow"}
    assert {t.slug for t in talk.topics.all()} == {"neural-networks", "backpropagation"}
    assert {t.slug for t in talk.prerequisites.all()} == {"linear-algebra"}


@pytest.mark.usefixtures("topics_in_database")
def test_reimporting_the_same_csv_changes_nothing():
    text = csv_text([csv_row("attention-talk"), csv_row("gradients-talk")])
    resources_import_csv(text=text)
    before = updated_ats()

    report = resources_import_csv(text=text)

    assert report.changed is False
    assert report.unchanged == Counter(resources=2)
    assert updated_ats() == before


@pytest.mark.usefixtures("topics_in_database")
def test_bad_csv_rows_are_reported_by_row_number_and_nothing_is_imported():
    rows = [csv_row("fine-talk"), csv_row("slow-talk", estimated_minutes="an hour"), csv_row("odd-talk", kind="gif")]
    before = database_state()

    with pytest.raises(LearningError) as raised:
        resources_import_csv(text=csv_text(rows))

    problems = problems_of(raised)
    assert has_problem(
        problems, "row 3 'slow-talk'", "estimated_minutes", "minutes must be a whole number, got 'an hour'"
    )
    assert has_problem(problems, "row 4 'odd-talk'", "kind")
    assert not has_problem(problems, "row 2")
    assert database_state() == before


@pytest.mark.usefixtures("topics_in_database")
def test_the_first_csv_data_row_is_row_2():
    with pytest.raises(LearningError) as raised:
        resources_import_csv(text=csv_text([csv_row("lost-talk", topics="no-such-topic")]))

    assert has_problem(problems_of(raised), "row 2 'lost-talk'", "unknown topic 'no-such-topic'")


@pytest.mark.usefixtures("topics_in_database")
def test_a_csv_missing_a_required_column_is_refused():
    header = [column for column in CSV_HEADER if column != "url"]

    with pytest.raises(LearningError) as raised:
        resources_import_csv(text=csv_text([csv_row("talk")], header=header))

    assert has_problem(problems_of(raised), "header", "missing column 'url'")
    assert not Resource.objects.filter(slug="talk").exists()


@pytest.mark.usefixtures("topics_in_database")
def test_a_csv_with_an_unknown_column_is_refused():
    text = csv_text([csv_row("talk")], header=[*CSV_HEADER, "rating"])

    with pytest.raises(LearningError) as raised:
        resources_import_csv(text=text)

    assert has_problem(problems_of(raised), "header", "unknown column 'rating'")


@pytest.mark.usefixtures("topics_in_database")
def test_a_csv_row_with_a_url_of_another_resource_is_refused():
    with pytest.raises(LearningError) as raised:
        resources_import_csv(text=csv_text([csv_row("copycat", url="https://learn.example.com/la-course")]))

    assert has_problem(problems_of(raised), "row 2 'copycat'", "already belongs to resource 'la-course'")


@pytest.mark.usefixtures("topics_in_database")
def test_csv_minutes_written_with_a_non_ascii_digit_are_reported_not_a_crash():
    with pytest.raises(LearningError) as raised:
        resources_import_csv(text=csv_text([csv_row("squared-talk", estimated_minutes="²")]))

    assert has_problem(problems_of(raised), "row 2 'squared-talk'", "estimated_minutes")
