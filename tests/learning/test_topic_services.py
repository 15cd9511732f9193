"""Edits of the topic graph go through services that keep it acyclic."""

import pytest

from learning.exceptions import LearningError
from learning.models import TopicPrerequisite
from learning.services import prerequisite_cycle_after, topic_prerequisite_add, topic_prerequisites_set
from tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


def edges():
    return set(TopicPrerequisite.objects.values_list("topic__slug", "prerequisite__slug"))


@pytest.fixture
def chain():
    """c requires b requires a."""
    a, b, c = (TopicFactory(slug=slug, name=slug.upper()) for slug in ("a", "b", "c"))
    TopicPrerequisite.objects.create(topic=b, prerequisite=a)
    TopicPrerequisite.objects.create(topic=c, prerequisite=b)
    return a, b, c


def test_setting_prerequisites_that_close_a_two_topic_cycle_is_refused(chain):
    a, b, _ = chain
    before = edges()

    with pytest.raises(LearningError) as raised:
        topic_prerequisites_set(topic=a, prerequisites=[b])

    assert raised.value.code == "prerequisite_cycle"
    assert edges() == before


def test_setting_prerequisites_that_close_a_three_topic_cycle_is_refused(chain):
    a, _, c = chain
    before = edges()

    with pytest.raises(LearningError) as raised:
        topic_prerequisites_set(topic=a, prerequisites=[c])

    assert raised.value.code == "prerequisite_cycle"
    assert edges() == before


def test_a_refused_set_keeps_the_topics_other_prerequisites(chain):
    a, b, c = chain
    extra = TopicFactory(slug="extra", name="EXTRA")
    topic_prerequisites_set(topic=b, prerequisites=[a, extra])
    before = edges()

    with pytest.raises(LearningError):
        topic_prerequisites_set(topic=b, prerequisites=[c])

    assert edges() == before


def test_a_topic_cannot_be_its_own_prerequisite(chain):
    a, _, _ = chain

    with pytest.raises(LearningError) as raised:
        topic_prerequisites_set(topic=a, prerequisites=[a])

    assert raised.value.code == "prerequisite_cycle"
    assert ("a", "a") not in edges()


def test_the_cycle_error_message_names_the_cycle(chain):
    a, _, c = chain

    with pytest.raises(LearningError, match="cycle: .*requires"):
        topic_prerequisites_set(topic=a, prerequisites=[c])


def test_adding_an_edge_that_closes_a_two_topic_cycle_is_refused(chain):
    a, b, _ = chain
    before = edges()

    with pytest.raises(LearningError) as raised:
        topic_prerequisite_add(topic=a, prerequisite=b)

    assert raised.value.code == "prerequisite_cycle"
    assert edges() == before


def test_adding_an_edge_that_closes_a_three_topic_cycle_is_refused(chain):
    a, _, c = chain
    before = edges()

    with pytest.raises(LearningError) as raised:
        topic_prerequisite_add(topic=a, prerequisite=c)

    assert raised.value.code == "prerequisite_cycle"
    assert edges() == before


def test_a_valid_set_replaces_the_prerequisites(chain):
    a, b, c = chain
    d = TopicFactory(slug="d", name="D")

    topic_prerequisites_set(topic=c, prerequisites=[a, d])

    assert edges() == {("b", "a"), ("c", "a"), ("c", "d")}


def test_setting_no_prerequisites_removes_them_all(chain):
    _, _, c = chain

    topic_prerequisites_set(topic=c, prerequisites=[])

    assert edges() == {("b", "a")}


def test_adding_a_valid_edge_keeps_the_existing_ones(chain):
    a, _, c = chain

    topic_prerequisite_add(topic=c, prerequisite=a)

    assert edges() == {("b", "a"), ("c", "b"), ("c", "a")}


def test_adding_an_existing_edge_changes_nothing(chain):
    _, b, c = chain

    topic_prerequisite_add(topic=c, prerequisite=b)

    assert edges() == {("b", "a"), ("c", "b")}


def test_prerequisite_cycle_after_returns_the_cycle_as_topic_names(chain):
    a, _, c = chain

    cycle = prerequisite_cycle_after(topic=a, prerequisites=[c])

    assert cycle[0] == cycle[-1]
    assert set(cycle) == {"A", "B", "C"}
    assert len(cycle) == 4


def test_prerequisite_cycle_after_names_a_self_edge(chain):
    a, _, _ = chain

    assert prerequisite_cycle_after(topic=a, prerequisites=[a]) == ["A", "A"]


def test_prerequisite_cycle_after_returns_none_for_a_safe_edit(chain):
    a, _, c = chain

    assert prerequisite_cycle_after(topic=c, prerequisites=[a]) is None
