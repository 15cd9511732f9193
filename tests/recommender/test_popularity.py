"""Popularity by level has one definition (`recommender.data.popularity_by_level`), read from Progress rows."""

from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from learning.models import Level, ProgressStatus
from learning.services import profile_update, progress_record
from recommender.data import popularity_by_level
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def test_each_learner_counts_once_at_their_level_and_a_completion_taken_back_stops_counting(learner, other_learner):
    profile_update(user=other_learner, level=Level.ADVANCED)
    course, video = ResourceFactory(), ResourceFactory()
    for resource in (course, video):
        progress_record(learner=learner, resource=resource, status=ProgressStatus.COMPLETED)
    progress_record(learner=other_learner, resource=course, status=ProgressStatus.COMPLETED)
    progress_record(learner=other_learner, resource=course, status=ProgressStatus.COMPLETED, rating=5)
    progress_record(learner=other_learner, resource=video, status=ProgressStatus.COMPLETED)
    progress_record(learner=other_learner, resource=video, status=ProgressStatus.IN_PROGRESS)  # taken back
    counts = popularity_by_level(np.asarray([course.pk, video.pk]))
    np.testing.assert_array_equal(counts, [[1, 1], [0, 0], [1, 0]])


def test_training_counts_only_completions_made_up_to_its_data_cut(learner):
    course = ResourceFactory()
    cut = timezone.now()
    progress_record(learner=learner, resource=course, status=ProgressStatus.COMPLETED, occurred_at=cut - timedelta(1))
    later = ResourceFactory()
    progress_record(learner=learner, resource=later, status=ProgressStatus.COMPLETED)
    counts = popularity_by_level(np.asarray([course.pk, later.pk]), until=cut)
    np.testing.assert_array_equal(counts[0], [1, 0])


def test_a_learner_without_a_profile_counts_as_a_beginner_and_unlisted_resources_are_left_out(learner):
    from tests.factories import UserFactory

    no_profile = UserFactory(username="no-profile")
    listed, unlisted = ResourceFactory(), ResourceFactory()
    for user in (learner, no_profile):
        for resource in (listed, unlisted):
            progress_record(learner=user, resource=resource, status=ProgressStatus.COMPLETED)
    counts = popularity_by_level(np.asarray([listed.pk]))
    np.testing.assert_array_equal(counts, [[2], [0], [0]])
    assert popularity_by_level(np.asarray([], dtype=np.int64)).shape == (3, 0)
