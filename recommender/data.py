"""The ONLY place that turns ORM rows into the arrays the recommender core works on."""

import time
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import Count
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

    def teachers(self, topic: int) -> np.ndarray:
        """Catalog rows of the resources teaching `topic`."""
        return self.teachers_of.indices[self.teachers_of.indptr[topic] : self.teachers_of.indptr[topic + 1]]

    def __len__(self) -> int:
        return len(self.resource_ids)


def load_catalog_snapshot() -> CatalogSnapshot:
    rows = list(
        Resource.objects.published()
        .order_by("pk")
        .values_list("pk", "title", "level", "kind", "provider", "estimated_minutes")
    )
    resource_ids = np.asarray([row[0] for row in rows], dtype=np.int64)
    index_of = {pk: i for i, pk in enumerate(resource_ids.tolist())}
    providers: dict[str, int] = {}
    topic_ids = np.asarray(Topic.objects.order_by("pk").values_list("pk", flat=True), dtype=np.int64)
    topic_index = {pk: i for i, pk in enumerate(topic_ids.tolist())}
    topic_prerequisites: dict[int, list[int]] = {}
    for topic, prerequisite in TopicPrerequisite.objects.values_list("topic_id", "prerequisite_id"):
        topic_prerequisites.setdefault(topic_index[topic], []).append(topic_index[prerequisite])
    taught = _resource_topic_matrix(Resource.topics.through, index_of, topic_index, len(rows), len(topic_ids))
    extra = _resource_topic_matrix(Resource.prerequisites.through, index_of, topic_index, len(rows), len(topic_ids))
    framework_ids = list(Framework.objects.order_by("pk").values_list("pk", flat=True))
    paths = _load_paths(index_of, topic_index)
    return CatalogSnapshot(
        resource_ids=resource_ids,
        titles=[row[1] for row in rows],
        levels=np.asarray([LEVEL_RANK[row[2]] for row in rows], dtype=np.int8),
        kinds=np.asarray([KIND_CODES[row[3]] for row in rows], dtype=np.int16),
        providers=np.asarray([providers.setdefault(row[4], len(providers)) for row in rows], dtype=np.int32),
        minutes=np.asarray([row[5] for row in rows], dtype=np.int32),
        frameworks=_framework_matrix(index_of, framework_ids, len(rows)),
        framework_ids=framework_ids,
        framework_free=framework_ids.index(Framework.objects.get(slug="none").pk),
        taught=taught,
        required=_required_topics(taught, extra, topic_prerequisites),
        topic_ids=topic_ids,
        topic_names=list(Topic.objects.order_by("pk").values_list("name", flat=True)),
        topic_prerequisites=topic_prerequisites,
        **paths,
    )


def _resource_topic_matrix(through, index_of, topic_index, n_items: int, n_topics: int) -> sparse.csr_matrix:
    pairs = [
        (index_of[resource], topic_index[topic])
        for resource, topic in through.objects.values_list("resource_id", "topic_id")
        if resource in index_of
    ]
    rows = np.asarray([p[0] for p in pairs], dtype=np.int64)
    cols = np.asarray([p[1] for p in pairs], dtype=np.int64)
    matrix = sparse.csr_matrix((np.ones(len(pairs), np.float32), (rows, cols)), shape=(n_items, n_topics))
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


def _framework_matrix(index_of, framework_ids: list[int], n_items: int) -> np.ndarray:
    column = {pk: i for i, pk in enumerate(framework_ids)}
    matrix = np.zeros((n_items, len(framework_ids)), dtype=bool)
    for resource, framework in Resource.frameworks.through.objects.values_list("resource_id", "framework_id"):
        if resource in index_of:
            matrix[index_of[resource], column[framework]] = True
    return matrix


def _load_paths(index_of, topic_index) -> dict:
    paths = list(LearningPath.objects.published().order_by("pk").values_list("pk", "title", "level"))
    position = {pk: i for i, (pk, _, _) in enumerate(paths)}
    steps: list[list[int]] = [[] for _ in paths]
    for path, resource in (
        PathStep.objects.filter(path_id__in=position)
        .order_by("path_id", "position")
        .values_list("path_id", "resource_id")
    ):
        if resource in index_of:
            steps[position[path]].append(index_of[resource])
    goals: list[set[int]] = [set() for _ in paths]
    for path, topic in LearningPath.goal_topics.through.objects.filter(learningpath_id__in=position).values_list(
        "learningpath_id", "topic_id"
    ):
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


def learner_state(learner) -> LearnerState:
    """Seven small indexed reads; a learner without a profile gets the defaults."""
    profile = LearnerProfile.objects.filter(user=learner).values_list("pk", "level", "weekly_hours").first()
    profile_id, level, weekly_hours = profile or (None, "beginner", 3)
    progress = [
        (resource, status, rating, percent, max(filter(None, (updated, completed, started))))
        for resource, status, rating, percent, started, completed, updated in Progress.objects.filter(
            learner=learner
        ).values_list("resource_id", "status", "rating", "percent", "started_at", "completed_at", "updated_at")
    ]
    progress.sort(key=lambda row: (row[4], row[0]))
    return LearnerState(
        level=LEVEL_RANK[level],
        weekly_hours=weekly_hours,
        progress=progress,
        dismissed=set(Dismissal.objects.filter(learner=learner).values_list("resource_id", flat=True)),
        known_topics=_profile_m2m(LearnerProfile.known_topics, profile_id, "topic_id"),
        frameworks=_profile_m2m(LearnerProfile.preferred_frameworks, profile_id, "framework_id"),
        goal_topics=_profile_m2m(LearnerProfile.goal_topics, profile_id, "topic_id"),
        enrolled_paths=list(
            PathEnrollment.objects.filter(learner=learner).order_by("enrolled_at").values_list("path_id", flat=True)
        ),
    )


def _profile_m2m(relation, profile_id: int | None, column: str) -> set[int]:
    if profile_id is None:
        return set()
    return set(relation.through.objects.filter(learnerprofile_id=profile_id).values_list(column, flat=True))


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
