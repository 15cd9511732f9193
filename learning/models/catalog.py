"""The curated catalog: topics and their prerequisite graph, resources, frameworks and learning paths."""

from typing import Any, cast

import simple_history
from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from learning.audit import CatalogHistory
from learning.models.choices import Cost, Kind, Level, PublicationStatus, choices_check

# Bounds of the catalog's numbers, checked by the fields' validators (forms, imports, the API) AND by database
# CHECK constraints: SQLite stores any 64-bit integer in an integer column, and a single out-of-range value once
# broke the recommender's arrays for every learner. 20,000 minutes (333 hours) is four times the longest
# resource curated so far; positions stay within a PostgreSQL smallint.
MAX_ESTIMATED_MINUTES = 20_000
MAX_POSITION = 32_767
# What a resource shows wherever it is listed: the API's `Resource` object and the recommender's cards are both
# built from this one list (the provider by name, topics and frameworks by slug).
RESOURCE_CARD_FIELDS = (
    "id",
    "slug",
    "title",
    "kind",
    "level",
    "estimated_minutes",
    "cost",
    "provider",
    "url",
    "summary",
    "topics",
    "frameworks",
)


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Topic(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=100, unique=True)
    summary = models.TextField(blank=True)
    prerequisites = models.ManyToManyField(
        "self",
        symmetrical=False,
        through="learning.TopicPrerequisite",
        through_fields=("topic", "prerequisite"),
        related_name="unlocks",
        blank=True,
        help_text="Topics to learn before this one. The graph must stay acyclic.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("learning:topic-detail", kwargs={"slug": self.slug})


class TopicPrerequisite(models.Model):
    """An edge of the topic graph: `topic` requires `prerequisite` first."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="prerequisite_links")
    prerequisite = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="unlock_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["topic", "prerequisite"], name="topic_prerequisite_unique"),
            models.CheckConstraint(condition=~Q(topic=F("prerequisite")), name="topic_prerequisite_not_self"),
        ]
        verbose_name = "prerequisite"

    def __str__(self) -> str:
        return f"{self.topic} requires {self.prerequisite}"


class Framework(models.Model):
    """A framework a resource uses; "none" stands for framework-free material (math, NumPy from scratch)."""

    slug = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=50, unique=True)
    position = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(MAX_POSITION)])

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(position__gte=0, position__lte=MAX_POSITION), name="framework_position_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Provider(models.Model):
    """Who publishes a resource. Resources reference one provider, so filters and the recommender's per-provider cap
    see one name however a file spelled it; older spellings live on as aliases that imports still match."""

    name = models.CharField(max_length=100, unique=True)
    url = models.URLField(max_length=500, blank=True, verbose_name="URL")
    aliases = models.JSONField(
        default=list,
        blank=True,
        help_text="Other spellings of this provider (a list of strings); imports match them to this provider.",
    )

    history = CatalogHistory()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ResourceQuerySet(models.QuerySet):
    def published(self) -> "ResourceQuerySet":
        return self.filter(status=PublicationStatus.PUBLISHED)


class ResourceManager(models.Manager.from_queryset(ResourceQuerySet)):
    def get_queryset(self) -> ResourceQuerySet:
        # Every page, card and API object shows the provider's name: join it rather than query it per resource.
        return super().get_queryset().select_related("provider")


class Resource(TimeStamped):
    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    url = models.URLField(max_length=500, unique=True, verbose_name="URL")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="resources")
    # TextField's max_length only sizes the form widget; the validator makes imports and the API enforce it too.
    summary = models.TextField(
        max_length=600,
        validators=[MaxLengthValidator(600)],
        help_text="In our own words: what a learner gets from it.",
    )
    level = models.CharField(max_length=16, choices=Level.choices)
    estimated_minutes = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_ESTIMATED_MINUTES)],
        help_text=f"Honest time to work through it, in minutes (1 to {MAX_ESTIMATED_MINUTES:,}).",
    )
    cost = models.CharField(max_length=16, choices=Cost.choices)
    frameworks = models.ManyToManyField(Framework, related_name="resources")
    topics = models.ManyToManyField(
        Topic,
        related_name="resources",
        help_text="Topics it teaches: a learner who finishes it knows them. Their prerequisites gate it.",
    )
    touches = models.ManyToManyField(
        Topic,
        related_name="touching_resources",
        blank=True,
        help_text="Topics it only mentions or uses in passing: they never gate it, and finishing it covers none.",
    )
    prerequisites = models.ManyToManyField(
        Topic,
        related_name="required_by_resources",
        blank=True,
        help_text="Extra topics to know first, beyond the prerequisites of the topics it teaches.",
    )
    status = models.CharField(max_length=16, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT)

    objects = ResourceManager()
    # Who changed what and when (learning/audit.py); `updated_at` changes on every save and says nothing more.
    history = CatalogHistory(
        m2m_fields=["frameworks", "topics", "touches", "prerequisites"], excluded_fields=["updated_at"]
    )

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(condition=choices_check("kind", Kind), name="resource_kind_valid"),
            models.CheckConstraint(condition=choices_check("level", Level), name="resource_level_valid"),
            models.CheckConstraint(condition=choices_check("cost", Cost), name="resource_cost_valid"),
            models.CheckConstraint(condition=choices_check("status", PublicationStatus), name="resource_status_valid"),
            models.CheckConstraint(
                condition=Q(estimated_minutes__gte=1, estimated_minutes__lte=MAX_ESTIMATED_MINUTES),
                name="resource_minutes_range",
            ),
        ]
        indexes = [models.Index(fields=["status", "level"]), models.Index(fields=["status", "kind"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning:resource-detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED


class LearningPathQuerySet(models.QuerySet):
    def published(self) -> "LearningPathQuerySet":
        """Published curated paths: a learner's saved plan (with an owner) is theirs alone, never listed."""
        return self.filter(status=PublicationStatus.PUBLISHED, owner__isnull=True)

    def curated(self) -> "LearningPathQuerySet":
        return self.filter(owner__isnull=True)

    def visible_to(self, learner) -> "LearningPathQuerySet":
        """Published curated paths, plus the learner's own saved plans."""
        own = Q(owner=learner) if learner is not None and learner.is_authenticated else Q(pk__in=[])
        return self.filter(Q(status=PublicationStatus.PUBLISHED, owner__isnull=True) | own)


class LearningPath(TimeStamped):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(max_length=1000, validators=[MaxLengthValidator(1000)])
    level = models.CharField(max_length=16, choices=Level.choices)
    goal_topics = models.ManyToManyField(Topic, related_name="goal_of_paths", blank=True)
    status = models.CharField(max_length=16, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT)
    resources = models.ManyToManyField(Resource, through="learning.PathStep", related_name="paths")
    # A learner's saved plan: private to its owner, re-planned when their known topics change.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="saved_plans",
        editable=False,
    )
    planned_goal = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="saved_plans", editable=False
    )
    planned_thorough = models.BooleanField(default=False, editable=False)

    objects = LearningPathQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(condition=choices_check("level", Level), name="path_level_valid"),
            models.CheckConstraint(condition=choices_check("status", PublicationStatus), name="path_status_valid"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning:path-detail", kwargs={"slug": self.slug})


class PathStep(models.Model):
    path = models.ForeignKey(LearningPath, on_delete=models.CASCADE, related_name="steps")
    # PROTECT: a resource on a path is archived, not deleted, so the path never silently loses a step.
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="path_steps")
    position = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(MAX_POSITION)])
    required = models.BooleanField(default=True)
    note = models.TextField(
        blank=True,
        max_length=600,
        validators=[MaxLengthValidator(600)],
        help_text="Curator's note shown with the step.",
    )

    class Meta:
        ordering = ["path", "position"]
        constraints = [
            models.UniqueConstraint(fields=["path", "position"], name="path_step_position_unique"),
            models.UniqueConstraint(fields=["path", "resource"], name="path_step_resource_unique"),
            models.CheckConstraint(
                condition=Q(position__gte=1, position__lte=MAX_POSITION), name="path_step_position_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.path}, step {self.position}: {self.resource}"


# History of the two models whose many-to-many rows live in tables defined after them (simple-history needs the
# through model itself): a topic's prerequisite edges, and a path's steps (position, required, note) with the path.
simple_history.register(Topic, records_class=CatalogHistory, m2m_fields=["prerequisites"])
simple_history.register(
    LearningPath, records_class=CatalogHistory, m2m_fields=["goal_topics", "resources"], excluded_fields=["updated_at"]
)


# The admin lists rows of the many-to-many tables in delete confirmations and change messages; Django's
# auto-created tables would read "Resource_frameworks object (273)". Each gets a sentence and a plain name instead
# (nothing stored changes, so no migration).
_LINK_WORDING = {
    (Resource, "frameworks"): ("uses framework", "framework of a resource"),
    (Resource, "topics"): ("teaches", "topic a resource teaches"),
    (Resource, "touches"): ("touches", "topic a resource touches"),
    (Resource, "prerequisites"): ("requires", "extra prerequisite of a resource"),
    (LearningPath, "goal_topics"): ("has the goal", "goal topic of a path"),
}


def _name_link_table(model: type[models.Model], field_name: str, verb: str, verbose_name: str) -> None:
    field = cast(models.ManyToManyField, model._meta.get_field(field_name))
    through: Any = field.remote_field.through  # the auto-created model class

    def link_str(row: models.Model) -> str:
        return f"{getattr(row, field.m2m_field_name())} {verb} {getattr(row, field.m2m_reverse_field_name())}"

    through.__str__ = link_str
    through._meta.verbose_name = verbose_name
    through._meta.verbose_name_plural = f"{verbose_name}s"


for (_model, _field_name), (_verb, _verbose_name) in _LINK_WORDING.items():
    _name_link_table(_model, _field_name, _verb, _verbose_name)


class ImportedRow(models.Model):
    """What a catalog import last wrote for one row (a fingerprint of its exported form), so a later upgrade can tell
    a row a curator edited since (keep it) from one nobody touched (update it)."""

    section = models.CharField(max_length=16)  # "topics", "resources" or "paths"
    slug = models.SlugField(max_length=80)
    fingerprint = models.CharField(max_length=64)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["section", "slug"], name="imported_row_unique")]

    def __str__(self) -> str:
        return f"{self.section}/{self.slug}"
