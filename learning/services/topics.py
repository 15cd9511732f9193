"""Writes to the topic graph; every change keeps it acyclic."""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from learning.audit import ADMIN, acting, current_actor
from learning.exceptions import LearningError
from learning.graph import describe_cycle, find_cycle
from learning.models import Topic, TopicPrerequisite


def prerequisite_cycle_after(*, topic: Topic, prerequisites: Iterable[Topic]) -> list[str] | None:
    """The cycle (as topic names) that giving `topic` exactly these prerequisites would close, or None."""
    wanted = {prerequisite.pk for prerequisite in prerequisites}
    if topic.pk in wanted:
        return [topic.name, topic.name]
    edges = [
        edge for edge in TopicPrerequisite.objects.values_list("topic_id", "prerequisite_id") if edge[0] != topic.pk
    ]
    edges += [(topic.pk, pk) for pk in wanted]
    cycle = find_cycle(edges)
    if cycle is None:
        return None
    names = dict(Topic.objects.filter(pk__in=set(cycle)).values_list("pk", "name"))
    names[topic.pk] = topic.name
    return [names[pk] for pk in cycle]


@transaction.atomic
def topic_prerequisites_set(
    *, topic: Topic, prerequisites: Iterable[Topic], user: AbstractBaseUser | AnonymousUser | None = None
) -> None:
    """Replace `topic`'s prerequisites, recorded in its history as `user`'s change; raise LearningError if that
    would close a cycle."""
    prerequisites = list(prerequisites)
    # Lock the topic rows so two concurrent edits cannot each pass the check and together close a cycle.
    list(Topic.objects.select_for_update().filter(pk__in=[topic.pk, *(p.pk for p in prerequisites)]))
    cycle = prerequisite_cycle_after(topic=topic, prerequisites=prerequisites)
    if cycle is not None:
        raise LearningError(
            f"That prerequisite would make a cycle: {describe_cycle(cycle)}.", code="prerequisite_cycle"
        )
    wanted = {prerequisite.pk for prerequisite in prerequisites}
    if replace_prerequisite_links(topic=topic, prerequisite_ids=wanted):
        _record_prerequisites(topic, user)


def _record_prerequisites(topic: Topic, user: AbstractBaseUser | AnonymousUser | None) -> None:
    """A history record of the topic with its new edges (edges are written in bulk, which leaves none)."""
    if user is None or current_actor() is not None:
        topic.save()
        return
    with acting(user=user, source=ADMIN):
        topic.save()


def replace_prerequisite_links(*, topic: Topic, prerequisite_ids: set[int]) -> bool:
    """Write `topic`'s edges without checking the graph: callers have validated the final graph as a whole.

    Returns whether anything changed.
    """
    current = set(TopicPrerequisite.objects.filter(topic=topic).values_list("prerequisite_id", flat=True))
    if current == prerequisite_ids:
        return False
    TopicPrerequisite.objects.filter(topic=topic).exclude(prerequisite_id__in=prerequisite_ids).delete()
    TopicPrerequisite.objects.bulk_create(
        [TopicPrerequisite(topic=topic, prerequisite_id=pk) for pk in sorted(prerequisite_ids - current)]
    )
    return True


def topic_prerequisite_add(*, topic: Topic, prerequisite: Topic) -> None:
    """Add one edge `topic requires prerequisite`; raise LearningError if it would close a cycle."""
    current = list(topic.prerequisites.all())
    if prerequisite not in current:
        topic_prerequisites_set(topic=topic, prerequisites=[*current, prerequisite])
