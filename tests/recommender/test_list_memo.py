"""A list asked for again with nothing changed is not ranked again, and anything that changes what ranking reads
(the learner's own rows, the catalog snapshot, the model, the language, the length) gives a freshly ranked list."""

import dataclasses

import pytest
from django.utils import translation

from learning.models import LearnerProfile, PublicationStatus, Resource
from learning.services import dismissal_record, progress_record
from recommender import selectors
from recommender.data import clear_catalog_cache
from recommender.data.learners import LearnerState
from recommender.list_memo import RankedList, RankedListMemo
from recommender.loading import forget_loaded_model
from tests.factories import ResourceFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rankings(monkeypatch):
    """Counts the times a list is actually ranked."""
    calls = []
    rank = selectors._rank_state

    def counted(*args):
        calls.append(args)
        return rank(*args)

    monkeypatch.setattr(selectors, "_rank_state", counted)
    return calls


@pytest.fixture
def catalog(db):
    basics = TopicFactory(slug="basics")
    return [
        ResourceFactory(slug=f"r{i}", topics=[basics], provider=f"P{i}", kind=("course", "video", "article")[i % 3])
        for i in range(8)
    ]


def _slugs(learner, limit=5) -> list[str]:
    return [item.resource.slug for item in selectors.recommendation_list(learner=learner, limit=limit)]


def test_asking_again_with_nothing_changed_serves_the_same_list_without_ranking(learner, catalog, rankings):
    first = selectors.recommendation_list(learner=learner, limit=5)
    again = selectors.recommendation_list(learner=learner, limit=5)
    assert again == first
    assert len(rankings) == 1


def _complete(learner, top):
    progress_record(learner=learner, resource=top, status="completed")


def _dismiss(learner, top):
    dismissal_record(learner=learner, resource=top, reason="too_easy")


def _level_up(learner, top):
    LearnerProfile.objects.filter(user=learner).update(level="advanced")


def _know(learner, top):
    LearnerProfile.objects.get(user=learner).known_topics.set(top.topics.all())


@pytest.mark.parametrize(
    ("change", "drops_the_top"), [(_complete, True), (_dismiss, True), (_level_up, False), (_know, False)]
)
def test_a_change_to_the_learners_own_rows_ranks_afresh(learner, catalog, rankings, change, drops_the_top):
    top = Resource.objects.get(slug=_slugs(learner)[0])
    change(learner, top)
    after = _slugs(learner)
    assert len(rankings) == 2
    if drops_the_top:
        assert top.slug not in after


def test_a_resource_archived_within_the_snapshot_window_is_never_served_and_the_list_stays_full(
    learner, catalog, rankings
):
    first = _slugs(learner, limit=5)
    Resource.objects.filter(slug=first[0]).update(status=PublicationStatus.ARCHIVED)
    after = _slugs(learner, limit=5)
    assert first[0] not in after
    assert len(after) == 5
    assert after[:4] == first[1:]


def test_a_new_snapshot_a_new_model_another_language_or_length_rank_afresh(learner, catalog, rankings):
    _slugs(learner, limit=5)
    _slugs(learner, limit=3)
    assert len(rankings) == 2
    with translation.override("es"):
        spanish = selectors.recommendation_list(learner=learner, limit=5)
    assert len(rankings) == 3
    english = selectors.recommendation_list(learner=learner, limit=5)
    assert [reason.text for reason in spanish[0].reasons] != [reason.text for reason in english[0].reasons]
    clear_catalog_cache()
    _slugs(learner, limit=5)
    assert len(rankings) == 4
    forget_loaded_model()  # the same (absent) model: only a replaced snapshot or model object resets
    _slugs(learner, limit=5)
    assert len(rankings) == 4


def test_every_field_of_the_learner_state_is_part_of_its_fingerprint():
    base = LearnerState(
        level=0, weekly_hours=3, progress=[(1, "completed", None, 100)], dismissed={2}, known_topics={3},
        frameworks={4}, goal_topics={5}, enrolled_paths=[6],
    )  # fmt: skip
    changed = {
        int: 9,
        list: [(7, "in_progress", 4, 50)],
        set: {8},
    }
    hash(base.fingerprint())
    for field in dataclasses.fields(base):
        value = changed[type(getattr(base, field.name))]
        if field.name == "enrolled_paths":
            value = [7]
        other = dataclasses.replace(base, **{field.name: value})
        assert other.fingerprint() != base.fingerprint(), field.name
    assert dataclasses.replace(base, dismissed={2}).fingerprint() == base.fingerprint()


def test_the_memo_is_bounded_and_forgets_everything_when_the_snapshot_or_model_changes():
    memo: RankedListMemo[str] = RankedListMemo(size=2)
    catalog, model = object(), object()
    for key in "abc":
        memo.put(catalog, model, key, RankedList([1], {1: key}))
    assert len(memo) == 2
    assert memo.get(catalog, model, "a") is None
    assert memo.get(catalog, model, "c").items == {1: "c"}
    assert memo.get(object(), model, "c") is None
    assert memo.get(catalog, object(), "c") is None
    memo.put(catalog, None, "d", RankedList([1], {1: "d"}))
    assert len(memo) == 1
    assert memo.get(catalog, model, "c") is None
