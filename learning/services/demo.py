"""Deterministic demo learners with realistic histories, for trying the site and training the recommender.

A learner picks paths near their level and works through them in order at their weekly pace, skips what they
already know, sometimes drops off, rates some of what they finish, saves and dismisses a few other resources.
The same seed and anchor date always give the same learners and the same events.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction

from learning.exceptions import LearningError
from learning.graph import depths
from learning.models import (
    Dismissal,
    DismissalReason,
    Framework,
    Interaction,
    InteractionKind,
    LearnerProfile,
    LearningPath,
    Level,
    PathEnrollment,
    Progress,
    ProgressStatus,
    Resource,
    TopicPrerequisite,
)
from learning.models.choices import LEVEL_RANK

DEMO_USERNAME_PREFIX = "demo-"
LEVEL_WEIGHTS = {Level.BEGINNER: 0.5, Level.INTERMEDIATE: 0.35, Level.ADVANCED: 0.15}
FRAMEWORK_WEIGHTS = {"pytorch": 0.6, "tensorflow": 0.3, "jax": 0.1}
KNOWN_DEPTH_BY_LEVEL = {Level.BEGINNER: 0, Level.INTERMEDIATE: 1, Level.ADVANCED: 3}


@dataclass(frozen=True)
class ResourceInfo:
    pk: int
    level: str
    minutes: int
    cost: str
    topics: frozenset[int]
    frameworks: frozenset[str]
    quality: float


@dataclass
class CatalogView:
    resources: dict[int, ResourceInfo]
    paths: list[tuple[int, str, list[int], list[int]]]  # (path id, level, goal topic ids, resource ids in order)
    topic_depth: dict[int, int]
    frameworks: dict[str, int]


@dataclass
class DemoRows:
    profiles: list[LearnerProfile] = field(default_factory=list)
    known_topics: list[tuple[int, int]] = field(default_factory=list)
    goal_topics: list[tuple[int, int]] = field(default_factory=list)
    frameworks: list[tuple[int, int]] = field(default_factory=list)
    enrollments: list[PathEnrollment] = field(default_factory=list)
    progress: list[Progress] = field(default_factory=list)
    interactions: list[Interaction] = field(default_factory=list)
    dismissals: list[Dismissal] = field(default_factory=list)


@dataclass(frozen=True)
class DemoReport:
    learners: int
    progress: int
    interactions: int
    dismissals: int


def demo_learner_count() -> int:
    return get_user_model().objects.filter(username__startswith=DEMO_USERNAME_PREFIX).count()


@transaction.atomic
def demo_learners_seed(*, learners: int, seed: int, anchor: datetime, replace: bool = False) -> DemoReport:
    """Create `learners` demo learners (usernames demo-0001...) whose histories end before `anchor`."""
    if learners < 1:
        raise LearningError("Seed at least one learner.", code="invalid_count")
    user_model = get_user_model()
    existing = user_model.objects.filter(username__startswith=DEMO_USERNAME_PREFIX)
    if existing.exists():
        if not replace:
            raise LearningError("Demo learners already exist; pass replace to recreate them.", code="exists")
        existing.delete()
    catalog = _catalog_view(seed)
    if not catalog.paths:
        raise LearningError("Import the catalog first: there is no published path to follow.", code="no_catalog")
    users = _create_users(learners, anchor)
    rng = random.Random(seed)
    rows = DemoRows()
    for user in users:
        _LearnerStory(rng, catalog, user, anchor, rows).tell()
    _write(rows)
    return DemoReport(len(users), len(rows.progress), len(rows.interactions), len(rows.dismissals))


def _catalog_view(seed: int) -> CatalogView:
    published = Resource.objects.published().prefetch_related("topics", "frameworks").order_by("pk")
    quality_rng = random.Random(f"quality:{seed}")
    resources = {
        r.pk: ResourceInfo(
            pk=r.pk,
            level=r.level,
            minutes=r.estimated_minutes,
            cost=r.cost,
            topics=frozenset(t.pk for t in r.topics.all()),
            frameworks=frozenset(f.slug for f in r.frameworks.all()),
            quality=quality_rng.uniform(3.2, 4.7),
        )
        for r in published
    }
    paths = []
    for path in LearningPath.objects.published().prefetch_related("goal_topics", "steps").order_by("slug"):
        steps = [
            s.resource_id for s in sorted(path.steps.all(), key=lambda s: s.position) if s.resource_id in resources
        ]
        paths.append((path.pk, path.level, sorted(t.pk for t in path.goal_topics.all()), steps))
    requirements: dict[int, list[int]] = {}
    for topic_id, prerequisite_id in TopicPrerequisite.objects.values_list("topic_id", "prerequisite_id"):
        requirements.setdefault(topic_id, []).append(prerequisite_id)
    all_topics = {t for info in resources.values() for t in info.topics} | set(requirements)
    return CatalogView(
        resources=resources,
        paths=paths,
        topic_depth=depths(sorted(all_topics), requirements.items()),
        frameworks=dict(Framework.objects.values_list("slug", "pk")),
    )


def _create_users(count: int, anchor: datetime) -> list:
    user_model = get_user_model()
    unusable = make_password(None)
    user_model.objects.bulk_create(
        [
            user_model(
                username=f"{DEMO_USERNAME_PREFIX}{number:04d}",
                email=f"{DEMO_USERNAME_PREFIX}{number:04d}@example.com",
                password=unusable,
                date_joined=anchor,
            )
            for number in range(1, count + 1)
        ]
    )
    return list(user_model.objects.filter(username__startswith=DEMO_USERNAME_PREFIX).order_by("username"))


class _LearnerStory:
    """One learner's simulated months on DeepPath, appended to `rows`."""

    def __init__(self, rng: random.Random, catalog: CatalogView, user: User, anchor: datetime, rows: DemoRows) -> None:
        self.rng, self.catalog, self.user, self.anchor, self.rows = rng, catalog, user, anchor, rows
        self.level = rng.choices(list(LEVEL_WEIGHTS), weights=list(LEVEL_WEIGHTS.values()))[0]
        self.weekly_hours = rng.choice([2, 3, 4, 5, 6, 8, 10])
        self.frameworks = self._pick_frameworks()
        self.known = self._pick_known_topics()
        self.touched: set[int] = set()
        self.joined = anchor - timedelta(days=rng.uniform(10, 240))

    def tell(self) -> None:
        profile = LearnerProfile(
            user=self.user, level=self.level, weekly_hours=self.weekly_hours, onboarded=True, created_at=self.joined
        )
        self.rows.profiles.append(profile)
        self.rows.known_topics += [(self.user.pk, topic) for topic in sorted(self.known)]
        self.rows.frameworks += [(self.user.pk, self.catalog.frameworks[slug]) for slug in sorted(self.frameworks)]
        cursor = self.joined
        goals: set[int] = set()
        for path_id, _, goal_topics, steps in self._pick_paths():
            self.rows.enrollments.append(PathEnrollment(learner=self.user, path_id=path_id, enrolled_at=cursor))
            goals.update(goal_topics)
            cursor = self._walk(steps, cursor)
        self.rows.goal_topics += [(self.user.pk, topic) for topic in sorted(goals)]
        self._browse_extras()

    def _pick_frameworks(self) -> set[str]:
        names = list(FRAMEWORK_WEIGHTS)
        chosen = {self.rng.choices(names, weights=list(FRAMEWORK_WEIGHTS.values()))[0]}
        if self.rng.random() < 0.3:
            chosen.add(self.rng.choice(names))
        return chosen | {"none"}

    def _pick_known_topics(self) -> set[int]:
        ceiling = KNOWN_DEPTH_BY_LEVEL[self.level]
        return {
            topic
            for topic, depth in sorted(self.catalog.topic_depth.items())
            if depth <= ceiling and self.rng.random() < (0.8 if depth < ceiling else 0.45)
        }

    def _pick_paths(self) -> list:
        rank = LEVEL_RANK[self.level]
        weights = [
            4.0 if level == self.level else 1.0 / (1 + abs(LEVEL_RANK[level] - rank))
            for _, level, _, _ in self.catalog.paths
        ]
        first = self.rng.choices(self.catalog.paths, weights=weights)[0]
        chosen = [first]
        if self.rng.random() < 0.35:
            second = self.rng.choices(self.catalog.paths, weights=weights)[0]
            if second is not first:
                chosen.append(second)
        return chosen

    def _walk(self, steps: list[int], cursor: datetime) -> datetime:
        for resource_id in steps:
            if resource_id in self.touched:
                continue
            info = self.catalog.resources[resource_id]
            if info.topics <= self.known and self.rng.random() < 0.75:
                self._skip(info, cursor)
                cursor += timedelta(hours=self.rng.uniform(1, 30))
                continue
            finished_at = self._work_on(info, cursor)
            if finished_at is None:
                break
            cursor = finished_at + timedelta(days=self._pause_days())
            if cursor >= self.anchor:
                break
        return cursor

    def _pause_days(self) -> float:
        return self.rng.uniform(14, 40) if self.rng.random() < 0.08 else self.rng.uniform(0.2, 4)

    def _dropoff_chance(self, info: ResourceInfo) -> float:
        chance = 0.08
        if LEVEL_RANK[info.level] > LEVEL_RANK[self.level]:
            chance += 0.1
        if not info.frameworks & self.frameworks:
            chance += 0.06
        return chance

    def _work_on(self, info: ResourceInfo, start: datetime) -> datetime | None:
        """Work through one resource; returns when it was finished, or None when the learner stopped there."""
        self.touched.add(info.pk)
        self._event(info, InteractionKind.VIEWED, start - timedelta(minutes=self.rng.uniform(5, 600)))
        if self.rng.random() < self._dropoff_chance(info):
            self._abandon(info, start)
            return None
        weeks = info.minutes / (self.weekly_hours * 60) * self.rng.uniform(0.6, 1.6)
        finished_at = start + timedelta(days=max(weeks * 7, 0.05))
        self._event(info, InteractionKind.STARTED, start)
        if finished_at >= self.anchor:
            elapsed = (self.anchor - start) / (finished_at - start)
            percent = max(5, min(95, int(elapsed * 100)))
            last = start + (self.anchor - start) * 0.9
            self._event(info, InteractionKind.PROGRESSED, last, percent)
            self._progress(info, ProgressStatus.IN_PROGRESS, percent, start, last, started_at=start)
            return None
        self._event(info, InteractionKind.PROGRESSED, start + (finished_at - start) / 2, 50)
        self._event(info, InteractionKind.COMPLETED, finished_at, 100)
        rating = self._maybe_rate(info, finished_at)
        updated = finished_at + timedelta(minutes=2) if rating else finished_at
        self._progress(
            info,
            ProgressStatus.COMPLETED,
            100,
            start,
            updated,
            started_at=start,
            completed_at=finished_at,
            rating=rating,
        )
        return finished_at

    def _abandon(self, info: ResourceInfo, at: datetime) -> None:
        if self.rng.random() < 0.5:
            self._event(info, InteractionKind.SAVED, at)
            self._progress(info, ProgressStatus.SAVED, 0, at, at)
            return
        percent = self.rng.randint(5, 60)
        later = min(at + timedelta(days=self.rng.uniform(0.5, 5)), self.anchor - timedelta(minutes=1))
        self._event(info, InteractionKind.STARTED, at)
        self._event(info, InteractionKind.PROGRESSED, later, percent)
        self._progress(info, ProgressStatus.IN_PROGRESS, percent, at, later, started_at=at)

    def _skip(self, info: ResourceInfo, at: datetime) -> None:
        self.touched.add(info.pk)
        self._event(info, InteractionKind.SKIPPED, at)
        self._progress(info, ProgressStatus.SKIPPED, 0, at, at)

    def _maybe_rate(self, info: ResourceInfo, finished_at: datetime) -> int | None:
        if self.rng.random() >= 0.55:
            return None
        gap = LEVEL_RANK[info.level] - LEVEL_RANK[self.level]
        fit_penalty = 0.7 * max(gap, 0) + 0.4 * max(-gap, 0)
        rating = round(info.quality - fit_penalty + self.rng.gauss(0, 0.7))
        rating = max(1, min(5, rating))
        self._event(info, InteractionKind.RATED, finished_at + timedelta(minutes=2), rating)
        return rating

    def _browse_extras(self) -> None:
        """Saves and dismissals outside the followed paths, at random moments of the learner's time here."""
        untouched = [info for pk, info in sorted(self.catalog.resources.items()) if pk not in self.touched]
        if self.rng.random() < 0.35:
            for info in self.rng.sample(untouched, k=min(len(untouched), self.rng.randint(1, 3))):
                at = self._random_moment()
                self.touched.add(info.pk)
                self._event(info, InteractionKind.SAVED, at)
                self._progress(info, ProgressStatus.SAVED, 0, at, at)
        untouched = [info for info in untouched if info.pk not in self.touched]
        if self.rng.random() < 0.25:
            for info in self.rng.sample(untouched, k=min(len(untouched), self.rng.randint(1, 2))):
                at = self._random_moment()
                self.touched.add(info.pk)
                reason = self._dismissal_reason(info)
                self._event(info, InteractionKind.DISMISSED, at)
                self.rows.dismissals.append(
                    Dismissal(learner=self.user, resource_id=info.pk, reason=reason, created_at=at)
                )

    def _random_moment(self) -> datetime:
        return self.joined + (self.anchor - self.joined) * self.rng.uniform(0.05, 0.95)

    def _dismissal_reason(self, info: ResourceInfo) -> str:
        gap = LEVEL_RANK[info.level] - LEVEL_RANK[self.level]
        if gap < 0:
            return DismissalReason.TOO_EASY
        if gap > 0:
            return DismissalReason.TOO_HARD
        if not info.frameworks & self.frameworks:
            return DismissalReason.WRONG_FRAMEWORK
        if info.cost == "paid":
            return DismissalReason.PAYWALLED
        return DismissalReason.NOT_RELEVANT

    def _event(self, info: ResourceInfo, kind: str, at: datetime, value: float | None = None) -> None:
        at = min(at, self.anchor - timedelta(seconds=1))
        self.rows.interactions.append(
            Interaction(learner=self.user, resource_id=info.pk, kind=kind, value=value, occurred_at=at, received_at=at)
        )

    def _progress(self, info, status, percent, created, updated, *, started_at=None, completed_at=None, rating=None):
        clamp = self.anchor - timedelta(seconds=1)
        self.rows.progress.append(
            Progress(
                learner=self.user,
                resource_id=info.pk,
                status=status,
                percent=percent,
                rating=rating,
                started_at=min(started_at, clamp) if started_at else None,
                completed_at=min(completed_at, clamp) if completed_at else None,
                created_at=min(created, clamp),
                updated_at=min(updated, clamp),
            )
        )


def _write(rows: DemoRows) -> None:
    LearnerProfile.objects.bulk_create(rows.profiles, batch_size=500)
    profile_ids = dict(
        LearnerProfile.objects.filter(user_id__in=[p.user_id for p in rows.profiles]).values_list("user_id", "pk")
    )
    for relation, pairs, column in (
        (LearnerProfile.known_topics, rows.known_topics, "topic_id"),
        (LearnerProfile.goal_topics, rows.goal_topics, "topic_id"),
        (LearnerProfile.preferred_frameworks, rows.frameworks, "framework_id"),
    ):
        through = relation.through
        through.objects.bulk_create(
            [through(learnerprofile_id=profile_ids[user_id], **{column: target}) for user_id, target in pairs],
            batch_size=1000,
        )
    PathEnrollment.objects.bulk_create(rows.enrollments, batch_size=1000)
    Progress.objects.bulk_create(rows.progress, batch_size=1000)
    Interaction.objects.bulk_create(rows.interactions, batch_size=1000)
    Dismissal.objects.bulk_create(rows.dismissals, batch_size=1000)
