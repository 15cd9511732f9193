"""One learner's state as plain ids, read in two queries for serving."""

import functools
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from django.db import connection

from learning.models import (
    Dismissal,
    LearnerProfile,
    PathEnrollment,
    Progress,
)
from learning.models.choices import LEVEL_RANK


@dataclass
class LearnerState:
    """What one learner has done and wants, as catalog-independent ids."""

    level: int
    weekly_hours: int
    progress: list[tuple[int, str, int | None, int, datetime]]  # resource id, status, rating, percent, last activity
    dismissed: set[int]
    known_topics: set[int]
    frameworks: set[int]
    goal_topics: set[int]
    enrolled_paths: list[int]


@functools.cache
def _learner_relations_sql() -> str:
    """One UNION ALL over the learner's small relations, built once from the models' table names: composing it
    through the ORM cost more time per request than running it. Only table names (from model metadata) are
    formatted in; every value is a query parameter."""
    profile = LearnerProfile._meta.db_table
    levels = " ".join(f"WHEN '{level}' THEN {rank}" for level, rank in LEVEL_RANK.items())

    def through(relation, column: str, tag: str) -> str:
        table = relation.through._meta.db_table
        return (
            f"SELECT '{tag}', t.{column}, 0 FROM {table} t JOIN {profile} p ON p.id = t.learnerprofile_id "  # noqa: S608
            "WHERE p.user_id = %s"
        )

    return " UNION ALL ".join(
        [
            f"SELECT 'profile', CASE level {levels} END, weekly_hours FROM {profile} WHERE user_id = %s",  # noqa: S608
            through(LearnerProfile.known_topics, "topic_id", "known"),
            through(LearnerProfile.goal_topics, "topic_id", "goal"),
            through(LearnerProfile.preferred_frameworks, "framework_id", "framework"),
            f"SELECT 'dismissed', resource_id, 0 FROM {Dismissal._meta.db_table} WHERE learner_id = %s",  # noqa: S608
            f"SELECT 'path', path_id, id FROM {PathEnrollment._meta.db_table} WHERE learner_id = %s",  # noqa: S608
        ]
    )


@functools.cache
def _progress_sql() -> str:
    """The learner's progress rows without the ORM's per-call query building (hot path; values are parameters)."""
    return (
        "SELECT resource_id, status, rating, percent, started_at, completed_at, updated_at "  # noqa: S608
        f"FROM {Progress._meta.db_table} WHERE learner_id = %s"
    )


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _aware_utc(moment: datetime | None) -> datetime | None:
    """A stored timestamp as an aware UTC datetime, whoever wrote it.

    With USE_TZ, Django writes naive UTC text on SQLite and the raw read returns it naive; a row written with an
    offset (by another client or a bulk loader) reads back aware, and PostgreSQL always answers aware. Comparing
    the two kinds raises, so every value is brought to aware UTC here.
    """
    if moment is None:
        return None
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _last_activity(*moments: datetime | None) -> datetime:
    """The latest of a progress row's timestamps (the epoch if a row written around the model has none)."""
    return max((aware for aware in map(_aware_utc, moments) if aware is not None), default=EPOCH)


def learner_state(learner) -> LearnerState:
    """Two indexed reads: the progress rows, and one UNION of everything else; defaults without a profile."""
    relations: dict[str, list[tuple[int, int]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(_progress_sql(), [learner.pk])
        progress = [
            (resource, status, rating, percent, _last_activity(started, completed, updated))
            for resource, status, rating, percent, started, completed, updated in cursor.fetchall()
        ]
        cursor.execute(_learner_relations_sql(), [learner.pk] * 6)
        for tag, left, right in cursor.fetchall():
            relations.setdefault(tag, []).append((left, right))
    progress.sort(key=lambda row: (row[4], row[0]))
    level, weekly_hours = relations.get("profile", [(0, 3)])[0]
    return LearnerState(
        level=level,
        weekly_hours=weekly_hours,
        progress=progress,
        dismissed={left for left, _ in relations.get("dismissed", [])},
        known_topics={left for left, _ in relations.get("known", [])},
        frameworks={left for left, _ in relations.get("framework", [])},
        goal_topics={left for left, _ in relations.get("goal", [])},
        # Enrollment ids grow with time, so they order the followed paths without another sort column.
        enrolled_paths=[left for left, _ in sorted(relations.get("path", []), key=lambda row: row[1])],
    )


def learner_levels(learner_ids: np.ndarray) -> np.ndarray:
    """Each learner's level rank (0-2; beginner when they have no profile), aligned with `learner_ids`."""
    levels = dict(LearnerProfile.objects.values_list("user_id", "level"))
    return np.asarray([LEVEL_RANK[levels.get(int(pk), "beginner")] for pk in learner_ids], dtype=np.int64)
