"""Writes to learning paths."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from learning.exceptions import LearningError
from learning.models import LearningPath, PathStep


@dataclass(frozen=True)
class StepSpec:
    resource_id: int
    required: bool = True
    note: str = ""


@transaction.atomic
def path_steps_replace(*, path: LearningPath, steps: Sequence[StepSpec]) -> bool:
    """Make the path's steps exactly `steps`, in this order, numbered from 1. Returns whether anything changed.

    Rewriting the whole list (rather than moving rows one by one) lets curators reorder steps freely without
    tripping the unique (path, position) constraint halfway through.
    """
    repeated = [resource_id for resource_id, count in Counter(s.resource_id for s in steps).items() if count > 1]
    if repeated:
        raise LearningError("A resource can appear only once in a path.", code="duplicate_step")
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
    return True
