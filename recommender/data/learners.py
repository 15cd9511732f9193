"""One learner's state as plain ids, read in one query for serving."""

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
def _learner_state_sql(vendor: str) -> str:
    """Everything serving reads about one learner in one round trip: a UNION ALL of the progress rows and the small
    relations, each row tagged with what it is. Built once from the models' table names (composing it through the
    ORM cost more time per request than running it); every value is a query parameter.

    Columns: tag, left id, right number, then status, rating, percent and last activity for progress rows only.
    The database orders the progress rows by their last activity, so no stored timestamp is parsed or converted
    per row. Every writer stores UTC: Django writes naive UTC text on SQLite (another client may add "+00:00",
    which compares the same way as text), and PostgreSQL compares timestamptz values whatever their offset. A
    progress row with no timestamp at all sorts first; the other rows' order does not matter.
    """
    profile = LearnerProfile._meta.db_table
    levels = " ".join(f"WHEN '{level}' THEN {rank}" for level, rank in LEVEL_RANK.items())
    if vendor == "postgresql":
        last_activity = "COALESCE(GREATEST(started_at, completed_at, updated_at), '-infinity')"
    else:
        last_activity = "MAX(COALESCE(started_at, ''), COALESCE(completed_at, ''), COALESCE(updated_at, ''))"
    no_progress = "NULL, NULL, NULL, NULL"

    def through(relation, column: str, tag: str) -> str:
        table = relation.through._meta.db_table
        return (
            f"SELECT '{tag}', t.{column}, 0, {no_progress} FROM {table} t "  # noqa: S608
            f"JOIN {profile} p ON p.id = t.learnerprofile_id WHERE p.user_id = %s"
        )

    branches = [
        # First, so its columns set the union's types (PostgreSQL reads them from the first branch).
        f"SELECT 'progress', resource_id, 0, status, rating, percent, {last_activity} "  # noqa: S608
        f"FROM {Progress._meta.db_table} WHERE learner_id = %s",
        f"SELECT 'profile', CASE level {levels} END, weekly_hours, {no_progress} "  # noqa: S608
        f"FROM {profile} WHERE user_id = %s",
        through(LearnerProfile.known_topics, "topic_id", "known"),
        through(LearnerProfile.goal_topics, "topic_id", "goal"),
        through(LearnerProfile.preferred_frameworks, "framework_id", "framework"),
        f"SELECT 'dismissed', resource_id, 0, {no_progress} "  # noqa: S608
        f"FROM {Dismissal._meta.db_table} WHERE learner_id = %s",
        f"SELECT 'path', path_id, id, {no_progress} "  # noqa: S608
        f"FROM {PathEnrollment._meta.db_table} WHERE learner_id = %s",
    ]
    return " UNION ALL ".join(branches) + " ORDER BY 7, 2"


def learner_state(learner) -> LearnerState:
    """One indexed read (a UNION of the progress rows and the learner's relations); defaults without a profile."""
    progress: list[tuple[int, str, int | None, int]] = []
    relations: dict[str, list[tuple[int, int]]] = {}
    with connection.cursor() as cursor:
        sql = _learner_state_sql(connection.vendor)
        cursor.execute(sql, [learner.pk] * sql.count("%s"))  # every branch is one learner's
        for tag, left, right, status, rating, percent, _ in cursor.fetchall():
            if tag == "progress":
                progress.append((left, status, rating, percent))
            else:
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
