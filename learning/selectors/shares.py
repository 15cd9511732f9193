"""Reads of shared links: the learner's own, and the public page of one link."""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.shortcuts import get_object_or_404

from learning.models import LearningPath, PathShare
from learning.selectors.catalog import path_get
from learning.selectors.path_progress import PathProgress, StepState, path_progress, path_steps_with_state


def learner_shares(*, learner: User) -> list[PathShare]:
    """The learner's links, newest first, with their paths (one query)."""
    return list(PathShare.objects.filter(learner=learner).select_related("path"))


def learner_path_share(*, learner: User, path: LearningPath) -> PathShare | None:
    return PathShare.objects.filter(learner=learner, path=path).first()


@dataclass(frozen=True)
class SharedPath:
    path: LearningPath
    steps: list[StepState]
    progress: PathProgress
    shared_by: str | None  # the learner's username, only when they chose to show it


def shared_path_get(*, token: str) -> SharedPath:
    """What the public page of a link shows (or 404 for an unknown or revoked token): the path's steps with the
    sharing learner's progress on each; their name only if they chose to show it."""
    share = get_object_or_404(PathShare.objects.select_related("learner", "path"), token=token)
    path = path_get(slug=share.path.slug, learner=share.learner)  # its steps prefetched; 404 once unpublished
    steps = path_steps_with_state(path=path, learner=share.learner)
    return SharedPath(
        path=path,
        steps=steps,
        progress=path_progress(steps),
        shared_by=share.learner.get_username() if share.show_name else None,
    )
