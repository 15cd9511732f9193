"""Writes to learning paths."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import transaction
from django.utils.translation import gettext

from learning.audit import ADMIN, acting, current_actor
from learning.exceptions import LearningError
from learning.models import LearningPath, PathEnrollment, PathStep, Progress, PublicationStatus, Topic


@dataclass(frozen=True)
class StepSpec:
    resource_id: int
    required: bool = True
    note: str = ""


@transaction.atomic
def path_steps_replace(
    *, path: LearningPath, steps: Sequence[StepSpec], user: AbstractBaseUser | AnonymousUser | None = None
) -> bool:
    """Make the path's steps exactly `steps`, in this order, numbered from 1. Returns whether anything changed.

    A curated path's history records the new steps as `user`'s change (or as the change of whoever is already
    acting: an import, the admin's request).

    Rewriting the whole list (rather than moving rows one by one) lets curators reorder steps freely without
    tripping the unique (path, position) constraint halfway through.
    """
    repeated = [resource_id for resource_id, count in Counter(s.resource_id for s in steps).items() if count > 1]
    if repeated:
        raise LearningError(gettext("A resource can appear only once in a path."), code="duplicate_step")
    wanted = [(position, s.resource_id, s.required, s.note) for position, s in enumerate(steps, start=1)]
    current = list(path.steps.order_by("position").values_list("position", "resource_id", "required", "note"))
    if current == wanted:
        return False
    path.steps.all().delete()
    PathStep.objects.bulk_create(
        [
            PathStep(path=path, position=position, resource_id=resource_id, required=required, note=note)
            for position, resource_id, required, note in wanted
        ]
    )
    _record_steps(path, user)
    return True


def _record_steps(path: LearningPath, user: AbstractBaseUser | AnonymousUser | None) -> None:
    """A history record of the path with its new steps (steps are written in bulk, which leaves none)."""
    if path.owner_id is not None:  # a learner's saved plan keeps no history
        return
    if user is None or current_actor() is not None:
        path.save(update_fields=["updated_at"])
        return
    with acting(user=user, source=ADMIN):
        path.save(update_fields=["updated_at"])


@transaction.atomic
def saved_plan_store(
    *, learner: User, goal: Topic, thorough: bool, level: str, resource_ids: Sequence[int]
) -> LearningPath:
    """Create or update the learner's own path to `goal` with these steps, and follow it.

    Steps the learner already started, finished or skipped stay first, in their order, so re-planning never takes
    away what they did; the plan's other resources follow. One saved plan per learner and goal.
    """
    path = LearningPath.objects.select_for_update().filter(owner=learner, planned_goal=goal).first()
    if path is None:
        path = LearningPath.objects.create(
            owner=learner,
            planned_goal=goal,
            planned_thorough=thorough,
            slug=f"my-plan-{learner.pk}-{goal.slug}"[:80],
            title=f"My path to {goal.name}",
            summary=f"Planned for you: what you still need for {goal.name}, in order. It re-plans when what you "
            "know changes.",
            level=level,
            status=PublicationStatus.PUBLISHED,
        )
        path.goal_topics.set([goal])
    elif (path.planned_thorough, path.level) != (thorough, level):
        path.planned_thorough, path.level = thorough, level
        path.save(update_fields=["planned_thorough", "level", "updated_at"])
    touched = set(Progress.objects.filter(learner=learner).values_list("resource_id", flat=True))
    kept = [r for r in path.steps.order_by("position").values_list("resource_id", flat=True) if r in touched]
    wanted = kept + [r for r in dict.fromkeys(resource_ids) if r not in kept]
    if not wanted:
        raise LearningError(
            gettext("You already cover %(goal)s and everything it needs: there is nothing to plan.")
            % {"goal": goal.name},
            {"goal": [gettext("already covered")]},
            code="nothing_to_plan",
        )
    path_steps_replace(path=path, steps=[StepSpec(resource_id) for resource_id in wanted])
    PathEnrollment.objects.get_or_create(learner=learner, path=path)
    return path
