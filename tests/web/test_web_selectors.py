from datetime import date, timedelta

import pytest
from django.utils import timezone

from learning import selectors
from learning.models import PathEnrollment
from learning.services import progress_record
from tests.factories import PathStepFactory, ResourceFactory


@pytest.mark.parametrize(
    ("active", "expected"),
    [
        ({date(2025, 3, 10), date(2025, 3, 9), date(2025, 3, 8)}, 3),
        ({date(2025, 3, 9), date(2025, 3, 8)}, 2),  # today still open: the streak is alive
        ({date(2025, 3, 10), date(2025, 3, 8)}, 1),
        ({date(2025, 3, 7)}, 0),
        (set(), 0),
    ],
)
def test_run_length_counts_back_from_today_or_yesterday(active, expected):
    assert selectors.run_length(active, date(2025, 3, 10), timedelta(days=1)) == expected


def test_week_start_is_the_monday():
    assert selectors.week_start(date(2025, 3, 16)) == date(2025, 3, 10)
    assert selectors.week_start(date(2025, 3, 10)) == date(2025, 3, 10)


def test_finish_date_rounds_up_to_whole_days():
    assert selectors.finish_date(60, 7, date(2025, 1, 1)) == date(2025, 1, 2)
    assert selectors.finish_date(61, 7, date(2025, 1, 1)) == date(2025, 1, 3)


def test_topic_states_follow_the_learners_progress_and_the_graph():
    edges = [(2, 1), (3, 2), (4, 1)]
    states = selectors.topic_states(
        [1, 2, 3, 4, 5], edges, known={5}, statuses=[(1, "completed"), (2, "in_progress"), (4, "skipped")]
    )
    assert states == {1: "completed", 2: "in_progress", 3: "locked", 4: "known", 5: "known"}


@pytest.mark.django_db
def test_followed_paths_progress_counts_only_required_steps(learner, graph):
    optional = PathStepFactory(path=graph["path"], position=4, required=False, resource=ResourceFactory())
    PathEnrollment.objects.create(learner=learner, path=graph["path"])
    progress_record(learner=learner, resource=optional.resource, status="completed")
    progress_record(learner=learner, resource=graph["steps"][0], status="skipped")
    (row,) = selectors.followed_paths_progress(learner=learner, weekly_hours=3, today=date(2025, 1, 1))
    assert (row.steps, row.done, row.remaining_minutes, row.percent) == (3, 1, 300, 33)


@pytest.mark.django_db
def test_a_finished_path_has_no_finish_date(learner, graph):
    PathEnrollment.objects.create(learner=learner, path=graph["path"])
    for resource in graph["steps"]:
        progress_record(learner=learner, resource=resource, status="completed")
    (row,) = selectors.followed_paths_progress(learner=learner, weekly_hours=3)
    assert (row.percent, row.finish) == (100, None)


@pytest.mark.django_db
def test_weekly_activity_buckets_completions_by_week(learner, graph):
    now = timezone.now()
    progress_record(learner=learner, resource=graph["steps"][0], status="completed", occurred_at=now)
    progress_record(
        learner=learner, resource=graph["steps"][1], status="completed", occurred_at=now - timedelta(weeks=1)
    )
    progress_record(
        learner=learner, resource=graph["steps"][2], status="completed", occurred_at=now - timedelta(weeks=30)
    )
    weeks = selectors.learner_weekly_activity(learner=learner, weeks=4)
    assert [w.completions for w in weeks] == [0, 0, 1, 1]
    assert [w.minutes for w in weeks] == [0, 0, 120, 60]
    assert weeks[-1].start == selectors.week_start(timezone.localdate())


@pytest.mark.django_db
def test_covered_topics_are_known_or_finished_or_skipped(learner, graph):
    basics, networks, backprop = graph["topics"]
    progress_record(learner=learner, resource=graph["steps"][1], status="skipped")
    progress_record(learner=learner, resource=graph["steps"][2], status="in_progress")
    assert selectors.learner_covered_topic_ids(learner=learner) == {networks.pk}
    learner.learner_profile.known_topics.add(basics)
    assert selectors.learner_covered_topic_ids(learner=learner) == {basics.pk, networks.pk}
