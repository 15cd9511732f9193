"""One learner's state as plain ids, read in two queries for serving."""

import functools
from dataclasses import dataclass, fields

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
    progress: list[tuple[int, str, int | None, int]]  # resource id, status, rating, percent; oldest activity first
    dismissed: set[int]
    known_topics: set[int]
    frameworks: set[int]
    goal_topics: set[int]
    enrolled_paths: list[int]

    def fingerprint(self) -> tuple:
        """Every field, hashable: two states with equal fingerprints rank identically. Built from the dataclass's
        fields, so a field added later is part of it without anyone remembering to add it here."""
        parts: list[object] = []
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, set):
                value = frozenset(value)
            elif isinstance(value, list):
                value = tuple(tuple(item) if isinstance(item, list | tuple) else item for item in value)
            parts.append(value)
        return tuple(parts)


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
def _progress_sql(vendor: str) -> str:
    """The learner's progress rows, oldest activity first, without the ORM's per-call query building (hot path;
    values are parameters).

    The database orders them, so no stored timestamp is parsed or converted per row. Every writer stores UTC:
    Django writes naive UTC text on SQLite (another client may add "+00:00", which compares the same way as text),
    and PostgreSQL compares timestamptz values whatever their offset. A row with no timestamp at all sorts first.
    """
    if vendor == "postgresql":
        last_activity = "COALESCE(GREATEST(started_at, completed_at, updated_at), '-infinity')"
    else:
        last_activity = "MAX(COALESCE(started_at, ''), COALESCE(completed_at, ''), COALESCE(updated_at, ''))"
    return (
        "SELECT resource_id, status, rating, percent "  # noqa: S608
        f"FROM {Progress._meta.db_table} WHERE learner_id = %s ORDER BY {last_activity}, resource_id"
    )


def learner_state(learner) -> LearnerState:
    """Two indexed reads: the progress rows, and one UNION of everything else; defaults without a profile."""
    relations: dict[str, list[tuple[int, int]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(_progress_sql(connection.vendor), [learner.pk])
        progress = cursor.fetchall()
        cursor.execute(_learner_relations_sql(), [learner.pk] * 6)
        for tag, left, right in cursor.fetchall():
            relations.setdefault(tag, []).append((left, right))
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
