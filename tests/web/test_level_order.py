"""Everywhere a list is sorted by level, the order is beginner, intermediate, advanced (not alphabetical)."""

import pytest

from learning import selectors
from tests.factories import LearningPathFactory, ResourceFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_topic_resources_and_paths_go_from_beginner_to_advanced(client):
    topic = TopicFactory(slug="t")
    for level in ("advanced", "beginner", "intermediate"):
        ResourceFactory(slug=f"r-{level}", title=f"A {level}", level=level, topics=[topic])
        LearningPathFactory(slug=f"p-{level}", title=f"A {level}", level=level, status="published")
    expected = ["beginner", "intermediate", "advanced"]
    assert [r.level for r in selectors.topic_get(slug="t").resources.all()] == expected
    assert [p.level for p in selectors.published_paths()] == expected
    assert [p.level for p in selectors.paths_for_learner()] == expected
    page = client.get("/topics/t/").content.decode()
    assert page.index("A beginner") < page.index("A intermediate") < page.index("A advanced")
