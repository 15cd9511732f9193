"""The catalog as arrays: published resources, topics, the prerequisite graph and paths, cached per process."""

import logging
import math
import time
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import CharField, F, IntegerField, Value
from scipy import sparse

from learning.models import (
    Framework,
    LearnerProfile,
    LearningPath,
    PathStep,
    Progress,
    ProgressStatus,
    PublicationStatus,
    Resource,
    Topic,
    TopicPrerequisite,
)
from learning.models.catalog import MAX_ESTIMATED_MINUTES
from learning.models.choices import LEVEL_RANK, Kind
from recommender.core.matrix import ItemStructure
from recommender.data.cards import CARD_COLUMNS, ResourceCard, resource_cards

KIND_CODES = {kind: code for code, kind in enumerate(Kind.values)}
MINUTES_COLUMN = 1 + CARD_COLUMNS.index("estimated_minutes")  # in a resource row: the primary key, then cards

logger = logging.getLogger(__name__)


@dataclass
class CatalogSnapshot:
    """Published resources (rows in ascending id order) with everything ranking and reasons need."""

    resource_ids: np.ndarray
    cards: list[ResourceCard]  # what a recommendation shows of each row
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
    path_levels: np.ndarray  # level rank of each path
    path_goals: np.ndarray  # bool (n_paths, n_topics): the paths' goal topics
    path_steps: list[np.ndarray]  # catalog indices, in step order
    structure: ItemStructure
    loaded_at: float = field(default_factory=time.monotonic)
    index_of: dict[int, int] = field(default_factory=dict)
    topic_index: dict[int, int] = field(default_factory=dict)
    teachers_of: sparse.csc_matrix | None = None  # `taught` by column: the resources teaching a topic, fast
    path_index: dict[int, int] = field(default_factory=dict)  # path id -> position in path_ids

    def __post_init__(self) -> None:
        self.index_of = {int(pk): i for i, pk in enumerate(self.resource_ids.tolist())}
        self.topic_index = {int(pk): i for i, pk in enumerate(self.topic_ids.tolist())}
        self.teachers_of = self.taught.tocsc()
        self.path_index = {pk: i for i, pk in enumerate(self.path_ids)}

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
    rows = _minutes_within_bounds(Resource.objects.published().order_by("pk").values_list("pk", *CARD_COLUMNS))
    resource_ids = np.asarray([row[0] for row in rows], dtype=np.int64)
    index_of = {pk: i for i, pk in enumerate(resource_ids.tolist())}
    topics = list(Topic.objects.order_by("pk").values_list("pk", "slug", "name"))
    topic_index = {pk: i for i, (pk, *_) in enumerate(topics)}
    frameworks = list(Framework.objects.order_by("pk").values_list("pk", "slug", "position", "name"))
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
    framework_ids = [pk for pk, *_ in frameworks]
    cards = resource_cards(rows, relations.get("taught", []), relations.get("framework", []), topics, frameworks)
    providers: dict[str, int] = {}
    return CatalogSnapshot(
        resource_ids=resource_ids,
        cards=cards,
        levels=np.asarray([LEVEL_RANK[card.level] for card in cards], dtype=np.int8),
        kinds=np.asarray([KIND_CODES[card.kind] for card in cards], dtype=np.int16),
        providers=np.asarray([providers.setdefault(card.provider, len(providers)) for card in cards], dtype=np.int32),
        minutes=np.asarray([card.estimated_minutes for card in cards], dtype=np.int32),
        frameworks=_framework_matrix(relations.get("framework", []), index_of, framework_ids),
        framework_ids=framework_ids,
        framework_free=next(i for i, (_, slug, *_) in enumerate(frameworks) if slug == "none"),
        taught=taught,
        required=_required_topics(taught, extra, topic_prerequisites),
        topic_ids=np.asarray([pk for pk, *_ in topics], dtype=np.int64),
        topic_names=[name for *_, name in topics],
        topic_prerequisites=topic_prerequisites,
        **_load_paths(relations, index_of, topic_index),
    )


def _minutes_within_bounds(rows) -> list[tuple]:
    """Resource rows with `estimated_minutes` clipped to the model's bounds.

    The model's validators and CHECK constraint keep the catalog in range, but a row written around them (raw SQL,
    a database migrated from before the constraint) must not take ranking down for every learner: it is served
    with the nearest valid value and logged, so a curator can fix it.
    """
    bounded = []
    for row in rows:
        minutes = row[MINUTES_COLUMN]
        if not (isinstance(minutes, int) and 1 <= minutes <= MAX_ESTIMATED_MINUTES):
            served = _nearest_valid_minutes(minutes)
            logger.warning(
                "Resource %s has estimated_minutes=%r outside 1..%d; serving it as %d until it is fixed",
                row[0],
                minutes,
                MAX_ESTIMATED_MINUTES,
                served,
            )
            row = (*row[:MINUTES_COLUMN], served, *row[MINUTES_COLUMN + 1 :])
        bounded.append(row)
    return bounded


def _nearest_valid_minutes(value) -> int:
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return 1
    if math.isnan(number):
        return 1
    return int(min(max(number, 1), MAX_ESTIMATED_MINUTES))


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
    goals = np.zeros((len(paths), len(topic_index)), dtype=bool)
    for path, topic, _ in relations.get("goal", []):
        if path in position:
            goals[position[path], topic_index[topic]] = True
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
        "path_levels": np.asarray([LEVEL_RANK[p[2]] for p in paths], dtype=np.int64),
        "path_goals": goals,
        "path_steps": [np.asarray(s, dtype=np.int64) for s in steps],
        "structure": structure,
    }


_catalog_cache: dict[str, CatalogSnapshot] = {}
_catalog_problem: dict[str, tuple[str, float]] = {}  # "last": (why the last rebuild failed, when to try again)


def catalog_snapshot(*, with_topic: int | None = None) -> CatalogSnapshot:
    """The catalog snapshot of this process, rebuilt when older than DEEPPATH_CATALOG_CACHE_SECONDS.

    Staleness is bounded and harmless for ranking: the final list is re-read with a `published` filter, so an
    archived resource is never served even within the cache window. A caller that needs a topic (a plan's goal)
    names it in `with_topic`: a snapshot built before that topic existed is out of date whatever its age, and is
    rebuilt like an expired one. A rebuild that fails keeps the previous snapshot serving (logged, reported by
    `catalog_problem`, tried again one window later); only a process that never built one raises.
    """
    cached = _catalog_cache.get("catalog")
    now = time.monotonic()
    fresh = cached is not None and now - cached.loaded_at <= settings.DEEPPATH_CATALOG_CACHE_SECONDS
    if cached is not None and fresh and (with_topic is None or with_topic in cached.topic_index):
        return cached
    problem = _catalog_problem.get("last")
    if cached is not None and problem is not None and now < problem[1]:
        return cached
    try:
        cached = _catalog_cache["catalog"] = load_catalog_snapshot()
    except Exception as error:
        reason = f"the catalog arrays cannot be built ({type(error).__name__})"
        _catalog_problem["last"] = (reason, now + settings.DEEPPATH_CATALOG_CACHE_SECONDS)
        if cached is None:
            raise
        logger.exception("%s; serving the snapshot of %.0f s ago", reason, now - cached.loaded_at)
        return cached
    _catalog_problem.pop("last", None)
    return cached


def catalog_problem() -> str | None:
    """Why the catalog arrays could not be rebuilt, or None. Builds them if this process has none yet, so a
    health check never says ok for a catalog that cannot serve, and never pays for a rebuild otherwise."""
    if "catalog" not in _catalog_cache:
        try:
            catalog_snapshot()
        except Exception:  # noqa: BLE001  the reason is recorded; the health check reports it
            logger.exception("The catalog arrays cannot be built")
    problem = _catalog_problem.get("last")
    return problem[0] if problem is not None else None


def clear_catalog_cache() -> None:
    """Forget this process's catalog arrays (commands that must see the catalog as it is now, and tests)."""
    _catalog_cache.clear()
    _catalog_problem.clear()
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


def popularity_by_level(resource_ids: np.ndarray, *, until: datetime | None = None) -> np.ndarray:
    """(3, n_items): how many learners of each level have each resource completed ("popular with beginners"),
    counting completions made up to `until` when given.

    The one definition, for serving without a model and for the model's artifact alike. It reads the learners'
    current Progress rows, not the event log: a completion the learner took back, or progress they deleted, no
    longer makes a resource popular, and each learner counts once per resource (one row). A learner without a
    profile counts as a beginner.
    """
    counts = np.zeros((3, len(resource_ids)), dtype=np.float32)
    if not len(resource_ids):
        return counts
    items = _Lookup(np.asarray(resource_ids, dtype=np.int64), np.arange(len(resource_ids)))
    rank_of = {level.value: rank for level, rank in LEVEL_RANK.items()}
    profiles = np.array(
        [(user, rank_of.get(level, 0)) for user, level in LearnerProfile.objects.values_list("user_id", "level")],
        dtype=np.int64,
    ).reshape(-1, 2)
    levels = _Lookup(profiles[:, 0], profiles[:, 1])
    completed = Progress.objects.filter(status=ProgressStatus.COMPLETED)
    if until is not None:
        completed = completed.filter(completed_at__lte=until)
    # Joining each of millions of rows to its learner's level in SQL took 13-18 s at 2.4M completions; reading the
    # (resource, learner) pairs in chunks and counting them with numpy takes about 2 s.
    sql, params = completed.values_list("resource_id", "learner_id").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(_PAIRS_PER_CHUNK):
            pairs = np.array(rows, dtype=np.int64)
            item, listed = items.find(pairs[:, 0])
            level, has_profile = levels.find(pairs[:, 1])
            level = np.where(has_profile, level, 0)
            np.add.at(counts, (level[listed], item[listed]), 1)
    return counts


_PAIRS_PER_CHUNK = 100_000


class _Lookup:
    """Vectorised dict: `find(keys)` gives each key's value and whether the key is known."""

    def __init__(self, keys: np.ndarray, values: np.ndarray) -> None:
        order = np.argsort(keys, kind="stable")
        self.keys, self.values = keys[order], values[order]

    def find(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if not len(self.keys):
            return np.zeros(len(keys), dtype=np.int64), np.zeros(len(keys), dtype=bool)
        at = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
        return self.values[at], self.keys[at] == keys


def published_resources_in_order(resource_ids: list[int]) -> list[Resource]:
    """The still-published resources among `resource_ids`, in that order (one query, by primary key: see
    `still_published` for why the status is checked here)."""
    by_id = {resource.pk: resource for resource in Resource.objects.filter(pk__in=resource_ids)}
    return [by_id[pk] for pk in resource_ids if pk in by_id and by_id[pk].status == PublicationStatus.PUBLISHED]


def still_published(resource_ids: list[int]) -> list[int]:
    """The ids among `resource_ids` that are published right now, in that order: one read of ids only, so a
    resource archived since the snapshot was cached is never served."""
    if not resource_ids:
        return []
    # Raw SQL: on this per-request path the ORM's query building cost more than the read. Filtering by primary
    # key alone and checking the status here keeps the read on the primary key: given the status too, SQLite
    # (without ANALYZE statistics) walks the whole (status, level) index instead.
    placeholders = ", ".join(["%s"] * len(resource_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, status FROM {Resource._meta.db_table} WHERE id IN ({placeholders})",  # noqa: S608
            resource_ids,
        )
        statuses = dict(cursor.fetchall())
    return [pk for pk in resource_ids if statuses.get(pk) == PublicationStatus.PUBLISHED]
