"""The ONLY place that turns ORM rows into the arrays the recommender core works on."""

import functools
import time
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import CharField, Count, F, IntegerField, Value
from scipy import sparse

from learning.models import (
    Dismissal,
    Framework,
    Interaction,
    InteractionKind,
    LearnerProfile,
    LearningPath,
    PathEnrollment,
    PathStep,
    Progress,
    ProgressStatus,
    Resource,
    Topic,
    TopicPrerequisite,
)
from learning.models.choices import LEVEL_RANK, Kind
from recommender.core.matrix import ItemStructure

KIND_CODES = {kind: code for code, kind in enumerate(Kind.values)}
# How a Progress row reads as an event, so serving weighs current state exactly as training weighs the log.
STATUS_EVENT = {
    ProgressStatus.SAVED: "saved",
    ProgressStatus.IN_PROGRESS: "progressed",
    ProgressStatus.COMPLETED: "completed",
    ProgressStatus.SKIPPED: "skipped",
}
COVERING_STATUSES = {ProgressStatus.COMPLETED, ProgressStatus.SKIPPED}


@dataclass
class CatalogSnapshot:
    """Published resources (rows in ascending id order) with everything ranking and reasons need."""

    resource_ids: np.ndarray
    titles: list[str]
    levels: np.ndarray
    kinds: np.ndarray
    providers: np.ndarray
    minutes: np.ndarray
    frameworks: np.ndarray  # bool (n_items, n_frameworks)
    framework_ids: list[int]
    framework_free: int
    taught: sparse.csr_matrix  # (n_items, n_topics)
    required: sparse.csr_matrix  # (n_items, n_topics): topics to know first
    topic_ids: np.ndarray
    topic_names: list[str]
    topic_prerequisites: dict[int, list[int]]  # topic index -> prerequisite topic indices
    path_ids: list[int]
    path_titles: list[str]
    path_levels: list[int]
    path_goals: list[set[int]]  # topic indices
    path_steps: list[np.ndarray]  # catalog indices, in step order
    structure: ItemStructure
    loaded_at: float = field(default_factory=time.monotonic)
    index_of: dict[int, int] = field(default_factory=dict)
    topic_index: dict[int, int] = field(default_factory=dict)
    teachers_of: sparse.csc_matrix | None = None  # `taught` by column: the resources teaching a topic, fast

    def __post_init__(self) -> None:
        self.index_of = {int(pk): i for i, pk in enumerate(self.resource_ids.tolist())}
        self.topic_index = {int(pk): i for i, pk in enumerate(self.topic_ids.tolist())}
        self.teachers_of = self.taught.tocsc()

    def topics_of(self, row: int) -> np.ndarray:
        """Topic indices the resource at catalog row `row` teaches (a slice, no sparse indexing)."""
        return self.taught.indices[self.taught.indptr[row] : self.taught.indptr[row + 1]]

    def teachers(self, topic: int) -> np.ndarray:
        """Catalog rows of the resources teaching `topic`."""
        return self.teachers_of.indices[self.teachers_of.indptr[topic] : self.teachers_of.indptr[topic + 1]]

    def __len__(self) -> int:
        return len(self.resource_ids)


def _tagged(queryset, tag: str, left: str, right: str, order: str | None = None):
    """(tag, left, right, order) rows of one relation, shaped so relations of different tables can be unioned."""
    return (
        queryset.order_by()
        .annotate(
            tag=Value(tag, output_field=CharField()),
            left=F(left),
            right=F(right),
            rank=F(order) if order else Value(0, output_field=IntegerField()),
        )
        .values_list("tag", "left", "right", "rank")
    )


def _union_rows(*parts) -> dict[str, list[tuple[int, int, int]]]:
    """Several small relations read in ONE query (UNION ALL), grouped by tag."""
    grouped: dict[str, list[tuple[int, int, int]]] = {}
    for tag, left, right, rank in parts[0].union(*parts[1:], all=True):
        grouped.setdefault(tag, []).append((left, right, rank))
    return grouped


def load_catalog_snapshot() -> CatalogSnapshot:
    """Five queries, whatever the catalog's size: resources, topics, frameworks, paths and every relation."""
    rows = list(
        Resource.objects.published()
        .order_by("pk")
        .values_list("pk", "title", "level", "kind", "provider", "estimated_minutes")
    )
    resource_ids = np.asarray([row[0] for row in rows], dtype=np.int64)
    index_of = {pk: i for i, pk in enumerate(resource_ids.tolist())}
    topics = list(Topic.objects.order_by("pk").values_list("pk", "name"))
    topic_index = {pk: i for i, (pk, _) in enumerate(topics)}
    frameworks = list(Framework.objects.order_by("pk").values_list("pk", "slug"))
    relations = _union_rows(
        _tagged(Resource.topics.through.objects.all(), "taught", "resource_id", "topic_id"),
        _tagged(Resource.prerequisites.through.objects.all(), "extra", "resource_id", "topic_id"),
        _tagged(Resource.frameworks.through.objects.all(), "framework", "resource_id", "framework_id"),
        _tagged(TopicPrerequisite.objects.all(), "edge", "topic_id", "prerequisite_id"),
        _tagged(LearningPath.goal_topics.through.objects.all(), "goal", "learningpath_id", "topic_id"),
        _tagged(PathStep.objects.all(), "step", "path_id", "resource_id", "position"),
    )
    topic_prerequisites: dict[int, list[int]] = {}
    for topic, prerequisite, _ in relations.get("edge", []):
        topic_prerequisites.setdefault(topic_index[topic], []).append(topic_index[prerequisite])
    shape = (len(rows), len(topics))
    taught = _resource_topic_matrix(relations.get("taught", []), index_of, topic_index, shape)
    extra = _resource_topic_matrix(relations.get("extra", []), index_of, topic_index, shape)
    framework_ids = [pk for pk, _ in frameworks]
    providers: dict[str, int] = {}
    return CatalogSnapshot(
        resource_ids=resource_ids,
        titles=[row[1] for row in rows],
        levels=np.asarray([LEVEL_RANK[row[2]] for row in rows], dtype=np.int8),
        kinds=np.asarray([KIND_CODES[row[3]] for row in rows], dtype=np.int16),
        providers=np.asarray([providers.setdefault(row[4], len(providers)) for row in rows], dtype=np.int32),
        minutes=np.asarray([row[5] for row in rows], dtype=np.int32),
        frameworks=_framework_matrix(relations.get("framework", []), index_of, framework_ids),
        framework_ids=framework_ids,
        framework_free=next(i for i, (_, slug) in enumerate(frameworks) if slug == "none"),
        taught=taught,
        required=_required_topics(taught, extra, topic_prerequisites),
        topic_ids=np.asarray([pk for pk, _ in topics], dtype=np.int64),
        topic_names=[name for _, name in topics],
        topic_prerequisites=topic_prerequisites,
        **_load_paths(relations, index_of, topic_index),
    )


def _resource_topic_matrix(pairs, index_of, topic_index, shape: tuple[int, int]) -> sparse.csr_matrix:
    kept = [(index_of[resource], topic_index[topic]) for resource, topic, _ in pairs if resource in index_of]
    rows = np.asarray([p[0] for p in kept], dtype=np.int64)
    cols = np.asarray([p[1] for p in kept], dtype=np.int64)
    matrix = sparse.csr_matrix((np.ones(len(kept), np.float32), (rows, cols)), shape=shape)
    matrix.data[:] = 1.0
    return matrix


def _required_topics(taught, extra, topic_prerequisites) -> sparse.csr_matrix:
    """A resource requires its extra prerequisites and the direct prerequisites of what it teaches, minus what it
    teaches itself (a course covering both attention and transformers does not need attention first)."""
    n_topics = taught.shape[1]
    rows, cols = [], []
    for topic, prerequisites in topic_prerequisites.items():
        rows += [topic] * len(prerequisites)
        cols += prerequisites
    topic_graph = sparse.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(n_topics, n_topics))
    required = ((taught @ topic_graph) + extra).tocsr()
    required.data[:] = 1.0
    required = required - required.multiply(taught)
    required.eliminate_zeros()
    return required.tocsr()


def _framework_matrix(pairs, index_of, framework_ids: list[int]) -> np.ndarray:
    column = {pk: i for i, pk in enumerate(framework_ids)}
    matrix = np.zeros((len(index_of), len(framework_ids)), dtype=bool)
    for resource, framework, _ in pairs:
        if resource in index_of:
            matrix[index_of[resource], column[framework]] = True
    return matrix


def _load_paths(relations, index_of, topic_index) -> dict:
    paths = list(LearningPath.objects.published().order_by("pk").values_list("pk", "title", "level"))
    position = {pk: i for i, (pk, _, _) in enumerate(paths)}
    ordered: list[list[tuple[int, int]]] = [[] for _ in paths]
    for path, resource, rank in relations.get("step", []):
        if path in position and resource in index_of:
            ordered[position[path]].append((rank, index_of[resource]))
    steps = [[item for _, item in sorted(entries)] for entries in ordered]
    goals: list[set[int]] = [set() for _ in paths]
    for path, topic, _ in relations.get("goal", []):
        if path in position:
            goals[position[path]].add(topic_index[topic])
    entries = [(item, group, rank) for group, items in enumerate(steps) for rank, item in enumerate(items, start=1)]
    structure = ItemStructure(
        item=np.asarray([e[0] for e in entries], dtype=np.int64),
        group=np.asarray([e[1] for e in entries], dtype=np.int64),
        position=np.asarray([e[2] for e in entries], dtype=np.int64),
        n_items=len(index_of),
        n_groups=len(paths),
    )
    return {
        "path_ids": [p[0] for p in paths],
        "path_titles": [p[1] for p in paths],
        "path_levels": [LEVEL_RANK[p[2]] for p in paths],
        "path_goals": goals,
        "path_steps": [np.asarray(s, dtype=np.int64) for s in steps],
        "structure": structure,
    }


_catalog_cache: dict[str, CatalogSnapshot] = {}


def catalog_snapshot() -> CatalogSnapshot:
    """The catalog snapshot of this process, rebuilt when older than DEEPPATH_CATALOG_CACHE_SECONDS.

    Staleness is bounded and harmless for ranking: the final list is re-read with a `published` filter, so an
    archived resource is never served even within the cache window.
    """
    cached = _catalog_cache.get("catalog")
    if cached is None or time.monotonic() - cached.loaded_at > settings.DEEPPATH_CATALOG_CACHE_SECONDS:
        cached = _catalog_cache["catalog"] = load_catalog_snapshot()
    return cached


def clear_catalog_cache() -> None:
    _catalog_cache.clear()
    _popularity_cache.clear()


_popularity_cache: dict[float, np.ndarray] = {}


def current_popularity_by_level(catalog: CatalogSnapshot) -> np.ndarray:
    """`popularity_by_level` of the catalog's resources, computed once per catalog snapshot: it is only needed
    while no model is active, and aggregating every completion on each request would be far too slow."""
    key = catalog.loaded_at
    if key not in _popularity_cache:
        _popularity_cache.clear()
        _popularity_cache[key] = popularity_by_level(catalog.resource_ids)
    return _popularity_cache[key]


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

    @property
    def has_history(self) -> bool:
        return bool(self.progress)

    def resources_with_status(self, statuses) -> set[int]:
        return {resource for resource, status, *_ in self.progress if status in statuses}


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


def learner_state(learner) -> LearnerState:
    """Two indexed reads: the progress rows, and one UNION of everything else; defaults without a profile."""
    progress = [
        (resource, status, rating, percent, max(filter(None, (updated, completed, started))))
        for resource, status, rating, percent, started, completed, updated in Progress.objects.filter(
            learner=learner
        ).values_list("resource_id", "status", "rating", "percent", "started_at", "completed_at", "updated_at")
    ]
    progress.sort(key=lambda row: (row[4], row[0]))
    relations: dict[str, list[tuple[int, int]]] = {}
    with connection.cursor() as cursor:
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


def popularity_by_level(resource_ids: np.ndarray) -> np.ndarray:
    """(3, n_items) completions per resource by the learners' level: "popular with beginners"."""
    index_of = {int(pk): i for i, pk in enumerate(resource_ids.tolist())}
    counts = np.zeros((3, len(resource_ids)), dtype=np.float32)
    rows = (
        Progress.objects.filter(status=ProgressStatus.COMPLETED)
        .values_list("resource_id", "learner__learner_profile__level")
        .annotate(n=Count("id"))
        .order_by()
    )
    for resource, level, n in rows:
        if resource in index_of:
            counts[LEVEL_RANK.get(level, 0), index_of[resource]] += n
    return counts


@dataclass
class InteractionSnapshot:
    """Every logged event up to a moment, as parallel arrays (times in epoch seconds)."""

    learner_ids: np.ndarray
    resource_ids: np.ndarray
    kinds: np.ndarray
    values: np.ndarray
    times: np.ndarray

    def __len__(self) -> int:
        return len(self.learner_ids)


def interaction_snapshot(*, until: datetime, batch_size: int = 500_000) -> InteractionSnapshot:
    """Events received up to `until`, read with a raw cursor straight into numbers: kinds as codes and times as
    epoch seconds computed by the database, because per-row Python objects made a 5-million-event read several
    times slower."""
    kind_codes = " ".join(f"WHEN '{kind}' THEN {code}" for code, kind in enumerate(InteractionKind.values))
    epoch = (
        "CAST(strftime('%%s', occurred_at) AS INTEGER)"
        if connection.vendor == "sqlite"
        else "CAST(EXTRACT(EPOCH FROM occurred_at) AS BIGINT)"
    )
    sql = (
        f"SELECT learner_id, resource_id, CASE kind {kind_codes} END, COALESCE(value, 'NaN'), {epoch} "  # noqa: S608
        "FROM learning_interaction WHERE received_at <= %s"
    )
    parts = []
    with connection.cursor() as cursor:
        cursor.execute(sql, [until])
        while batch := cursor.fetchmany(batch_size):
            parts.append(np.asarray(batch, dtype=np.float64))
    table = np.concatenate(parts) if parts else np.zeros((0, 5))
    kinds = np.asarray(InteractionKind.values, dtype=str)
    return InteractionSnapshot(
        learner_ids=table[:, 0].astype(np.int64),
        resource_ids=table[:, 1].astype(np.int64),
        kinds=kinds[table[:, 2].astype(np.int64)] if len(table) else np.zeros(0, dtype=str),
        values=table[:, 3],
        times=table[:, 4].astype(np.int64),
    )


def learner_levels(learner_ids: np.ndarray) -> np.ndarray:
    """Each learner's level rank (0-2; beginner when they have no profile), aligned with `learner_ids`."""
    levels = dict(LearnerProfile.objects.values_list("user_id", "level"))
    return np.asarray([LEVEL_RANK[levels.get(int(pk), "beginner")] for pk in learner_ids], dtype=np.int64)


def interactions_received_since(moment: datetime | None) -> int:
    """How many events arrived after `moment` (all of them when None): the auto-retrain trigger."""
    queryset = Interaction.objects.all() if moment is None else Interaction.objects.filter(received_at__gt=moment)
    return queryset.count()


def published_resources_in_order(resource_ids: list[int]) -> list[Resource]:
    """The still-published resources among `resource_ids`, in that order (one query)."""
    by_id = {resource.pk: resource for resource in Resource.objects.published().filter(pk__in=resource_ids)}
    return [by_id[pk] for pk in resource_ids if pk in by_id]
