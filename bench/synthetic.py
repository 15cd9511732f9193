"""Synthetic DeepPath databases for benchmarks: learners following paths, with taste clusters for CF to find.

Writes with raw executemany: building millions of ORM objects would take longer than the benchmark itself.
Used by bench/recommender.py and bench/api.py; run by hand, never by the test suite.
"""

from datetime import UTC, datetime, timedelta

import numpy as np
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from learning.models import Framework, LearningPath, Provider, Resource, Topic
from learning.models.choices import ReminderChannel, Weekday

SCALES = {
    "tiny": {"learners": 300, "resources": 200, "interactions": 12_000},  # the test suite's smoke run of bench/load.py
    "small": {"learners": 10_000, "resources": 2_000, "interactions": 500_000},
    "large": {"learners": 100_000, "resources": 10_000, "interactions": 5_000_000},
    # Ten times large: built and trained by hand only (README "Scaling out"), never by the test suite.
    "xl": {"learners": 1_000_000, "resources": 20_000, "interactions": 50_000_000},
}
KINDS = ["course", "project", "article", "video", "paper", "book", "tutorial"]
LEVELS = ["beginner", "intermediate", "advanced"]
TOPICS = 60
PATH_LENGTH = 10
BATCH = 50_000
LEARNER_BLOCK = 20_000


def populated(scale: dict) -> bool:
    return Resource.objects.count() >= scale["resources"]


def _as_the_app_writes(value):
    """A parameter as Django would store it: datetimes through the backend's own adaptation (naive UTC text on
    SQLite), so raw rows read back exactly like rows the app wrote."""
    return connection.ops.adapt_datetimefield_value(value) if isinstance(value, datetime) else value


def _insert(table: str, columns: list[str], rows) -> None:
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
    with connection.cursor() as cursor:
        batch = []
        for row in rows:
            batch.append(tuple(map(_as_the_app_writes, row)))
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)


def build(scale: dict, seed: int = 0) -> None:
    """The whole database in one transaction, so an interrupted build leaves nothing half-written.

    On SQLite the transaction runs with a rollback journal instead of the write-ahead log the app uses. A
    transaction's pages stay in the log until it commits, and every page read searches the log's index first: at
    the xl scale's 50M events the log grew past 7 GB and the build slowed to 10k learners a minute (380k learners
    in), a third of the pace it holds with a rollback journal. A fresh database's new pages need no rollback copy,
    so the journal stays small."""
    sqlite = connection.vendor == "sqlite"
    if sqlite:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=DELETE")
    try:
        _build(scale, seed)
    finally:
        if sqlite:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode=WAL")  # what the app's connections set (SQLITE_OPTIONS)


@transaction.atomic
def _build(scale: dict, seed: int) -> None:
    rng = np.random.default_rng(seed)
    now = datetime(2026, 11, 1, tzinfo=UTC)
    topics = _topics()
    resource_ids = _resources(scale["resources"], topics, rng, now)
    paths = _paths(resource_ids, now)
    learner_ids = _learners(scale["learners"], now)
    _histories(learner_ids, resource_ids, paths, scale["interactions"], rng, now)


def _topics() -> list[int]:
    created = Topic.objects.bulk_create(
        [Topic(slug=f"bench-topic-{i}", name=f"Bench topic {i}", summary="") for i in range(TOPICS)]
    )
    links = [(created[i].pk, created[i - 1 - (i % 3)].pk) for i in range(3, TOPICS)]
    _insert("learning_topicprerequisite", ["topic_id", "prerequisite_id"], links)
    return [topic.pk for topic in created]


def _resources(count: int, topics: list[int], rng, now) -> np.ndarray:
    providers = [
        provider.pk
        for provider in Provider.objects.bulk_create([Provider(name=f"Bench provider {i}") for i in range(97)])
    ]
    rows = [
        (
            KINDS[i % len(KINDS)],
            f"Bench resource {i}",
            f"bench-{i}",
            f"https://bench.example.com/{i}",
            providers[i % 97],
            "Synthetic resource.",
            LEVELS[min(2, i * 3 // count)],
            int(rng.integers(20, 600)),
            "free",
            "published",
            now,
            now,
        )
        for i in range(count)
    ]
    columns = ["kind", "title", "slug", "url", "provider_id", "summary", "level", "estimated_minutes", "cost"]
    _insert("learning_resource", [*columns, "status", "created_at", "updated_at"], rows)
    ids = np.asarray(Resource.objects.filter(slug__startswith="bench-").order_by("pk").values_list("pk", flat=True))
    # Topics follow the level ramp, so prerequisites mostly point to earlier resources.
    topic_of = [topics[min(TOPICS - 1, i * TOPICS // count)] for i in range(count)]
    _insert("learning_resource_topics", ["resource_id", "topic_id"], zip(ids.tolist(), topic_of, strict=True))
    framework = Framework.objects.get(slug="pytorch").pk
    _insert("learning_resource_frameworks", ["resource_id", "framework_id"], ((int(pk), framework) for pk in ids))
    return ids


def _paths(resource_ids: np.ndarray, now) -> list[np.ndarray]:
    groups = [resource_ids[i : i + PATH_LENGTH] for i in range(0, len(resource_ids) - PATH_LENGTH + 1, PATH_LENGTH)]
    created = LearningPath.objects.bulk_create(
        [
            LearningPath(
                slug=f"bench-path-{i}",
                title=f"Bench path {i}",
                summary="",
                level="beginner",
                status="published",
                created_at=now,
                updated_at=now,
            )
            for i in range(len(groups))
        ]
    )
    steps = [
        (path.pk, int(resource), position, True, "")
        for path, group in zip(created, groups, strict=True)
        for position, resource in enumerate(group, start=1)
    ]
    _insert("learning_pathstep", ["path_id", "resource_id", "position", "required", "note"], steps)
    return groups


def _learners(count: int, now) -> np.ndarray:
    password = make_password(None)
    users = ((f"bench-{i:06d}", password, False, False, True, now, "", "", "") for i in range(count))
    columns = ["username", "password", "is_superuser", "is_staff", "is_active", "date_joined"]
    _insert("auth_user", [*columns, "first_name", "last_name", "email"], users)
    ids = np.asarray(
        get_user_model().objects.filter(username__startswith="bench-").order_by("pk").values_list("pk", flat=True),
        dtype=np.int64,
    )
    # Every NOT NULL column with its model default: raw inserts get no Django defaults.
    no_reminders = (0, Weekday.MONDAY.value, ReminderChannel.NONE.value)
    profiles = ((int(pk), LEVELS[int(pk) % 3], 4, *no_reminders, True, now, now) for pk in ids)
    _insert(
        "learning_learnerprofile",
        [
            "user_id",
            "level",
            "weekly_hours",
            "weekly_goal_minutes",
            "reminder_day",
            "reminder_channel",
            "onboarded",
            "created_at",
            "updated_at",
        ],
        profiles,
    )
    return ids


def _histories(learners, resource_ids, paths, total: int, rng, now) -> None:
    """Each learner works through a few paths in order (as real learners do) and picks extras from a taste
    cluster; about two events per (learner, resource) pair: started then completed."""
    per_learner = max(2, total // len(learners))
    pairs_per_learner = max(1, per_learner // 2)
    n_paths = len(paths)
    events, progress = [], []
    for position, learner in enumerate(learners.tolist()):
        if position and position % LEARNER_BLOCK == 0:  # written block by block: memory stays flat at any scale
            _write_histories(events, progress)
            events, progress = [], []
        cluster = int(rng.integers(0, 20))
        chosen: list[int] = []
        while len(chosen) < pairs_per_learner:
            path = paths[(cluster * n_paths // 20 + int(rng.integers(0, max(1, n_paths // 20)))) % n_paths]
            chosen.extend(int(r) for r in path[: int(rng.integers(3, PATH_LENGTH + 1))])
        chosen = list(dict.fromkeys(chosen))[:pairs_per_learner]
        start = now - timedelta(days=int(rng.integers(1, 300)))
        for step, resource in enumerate(chosen):
            at = start + timedelta(hours=12 * step)
            done = step < len(chosen) - 1 or rng.random() < 0.5
            events.append((learner, resource, "started", None, at, at, None))
            if done:
                events.append((learner, resource, "completed", 100.0, at + timedelta(hours=6), at, None))
            progress.append(
                (
                    learner,
                    resource,
                    "completed" if done else "in_progress",
                    100 if done else 40,
                    None,
                    at,
                    at + timedelta(hours=6) if done else None,
                    at,
                    at + timedelta(hours=6),
                )
            )
    _write_histories(events, progress)


def _write_histories(events: list, progress: list) -> None:
    _insert(
        "learning_interaction",
        ["learner_id", "resource_id", "kind", "value", "occurred_at", "received_at", "client_event_id"],
        events,
    )
    _insert(
        "learning_progress",
        [
            "learner_id",
            "resource_id",
            "status",
            "percent",
            "rating",
            "started_at",
            "completed_at",
            "created_at",
            "updated_at",
        ],
        progress,
    )


def add_curator_signals(seed: int = 0) -> bool:
    """What the insights pages read beyond progress, added once to a built database: ratings on a third of the
    completed rows, "not for me" dismissals (with reasons) by one learner in twenty on a few resources each, and
    one or two goal topics per learner. Returns False when they were already there."""
    from learning.models import Dismissal, LearnerProfile

    if Dismissal.objects.exists():
        return False
    rng = np.random.default_rng(seed)
    reasons = ["too_easy", "too_hard", "not_relevant", "wrong_framework", "paywalled", "broken_link", "other"]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE learning_progress SET rating = 1 + (id * 7 % 5) WHERE status = 'completed' AND id % 3 = 0"
        )
    learners = list(get_user_model().objects.filter(username__startswith="bench-").values_list("pk", flat=True))
    resources = list(Resource.objects.filter(slug__startswith="bench-").values_list("pk", flat=True))
    now = datetime(2026, 11, 1, tzinfo=UTC)
    dismissals = {
        (learner, resources[int(rng.integers(0, len(resources) // 10))]) for learner in learners[::20] for _ in range(3)
    }
    _insert(
        "learning_dismissal",
        ["learner_id", "resource_id", "reason", "comment", "created_at"],
        ((learner, resource, reasons[int(rng.integers(0, len(reasons)))], "", now) for learner, resource in dismissals),
    )
    topics = list(Topic.objects.filter(slug__startswith="bench-topic-").values_list("pk", flat=True))
    profiles = LearnerProfile.objects.filter(user_id__in=learners).values_list("pk", flat=True)
    goals = {(profile, topics[int(rng.integers(0, len(topics)))]) for profile in profiles for _ in range(2)}
    _insert("learning_learnerprofile_goal_topics", ["learnerprofile_id", "topic_id"], goals)
    return True


@transaction.atomic
def add_new_events(count: int, seed: int = 0) -> None:
    """`count` fresh events written as the app writes them, for timing a retrain after new activity: random
    bench learners start resources, and most finish them six hours later. They are received six minutes ago, so
    training copies them into its columnar log (as it would for events older than its settle window)."""
    rng = np.random.default_rng(seed)
    learners = np.asarray(get_user_model().objects.filter(username__startswith="bench-").values_list("pk", flat=True))
    resources = np.asarray(Resource.objects.filter(slug__startswith="bench-").values_list("pk", flat=True))
    received = datetime.now(UTC) - timedelta(minutes=6)
    events = []
    while len(events) < count:
        learner, resource = int(rng.choice(learners)), int(rng.choice(resources))
        started = received - timedelta(hours=6)
        events.append((learner, resource, "started", None, started, received, None))
        if len(events) < count and rng.random() < 0.8:
            events.append((learner, resource, "completed", 100.0, received, received, None))
    _insert(
        "learning_interaction",
        ["learner_id", "resource_id", "kind", "value", "occurred_at", "received_at", "client_event_id"],
        events,
    )
