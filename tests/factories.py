import importlib

import factory
from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone

from learning.models import (
    Framework,
    Interaction,
    InteractionKind,
    LearnerProfile,
    LearningPath,
    PathStep,
    Progress,
    ProgressStatus,
    Provider,
    PublicationStatus,
    Resource,
    Topic,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"learner{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("correct-horse-battery-staple")


class LearnerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearnerProfile

    user = factory.SubFactory(UserFactory)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.Sequence(lambda n: f"Topic {n}")
    summary = "A topic used in tests."


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource
        skip_postgeneration_save = True

    kind = "article"
    title = factory.Sequence(lambda n: f"Resource {n}")
    slug = factory.Sequence(lambda n: f"resource-{n}")
    url = factory.Sequence(lambda n: f"https://example.com/resources/{n}")
    provider = factory.LazyFunction(lambda: Provider.objects.get_or_create(name="Example")[0])
    summary = "A resource used in tests."
    level = "beginner"
    estimated_minutes = 30
    cost = "free"
    status = PublicationStatus.PUBLISHED

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        # Tests name providers as text, as catalog files do.
        if isinstance(kwargs.get("provider"), str):
            kwargs["provider"] = Provider.objects.get_or_create(name=kwargs["provider"])[0]
        return kwargs

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)

    @factory.post_generation
    def frameworks(self, create, extracted, **kwargs):
        if create:
            self.frameworks.set(extracted or [framework_free()])


def framework_free() -> Framework:
    """The "none" framework its data migration seeds (put back after every flush: see tests/conftest.py)."""
    return Framework.objects.get(slug="none")


def seed_migrated_rows() -> None:
    """Put back the rows the data migrations created, with the ids a fresh migration gives them, after a
    transactional test's flush removed them (tests/conftest.py calls it on every flush's post_migrate). The same
    ids matter: recorded fixture rows (tests/snapshots.py) point at them."""
    from django.core.management.color import no_style
    from django.db import connection

    migration = importlib.import_module("learning.migrations.0002_frameworks")
    if Framework.objects.exists():
        migration.add_frameworks(apps, None)
        return
    Framework.objects.bulk_create(  # a fresh migration creates them in this order, so with these ids
        Framework(pk=index, slug=slug, name=name, position=position)
        for index, (slug, name, position) in enumerate(migration.FRAMEWORKS, start=1)
    )
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Framework]):
            cursor.execute(statement)


class LearningPathFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningPath

    slug = factory.Sequence(lambda n: f"path-{n}")
    title = factory.Sequence(lambda n: f"Path {n}")
    summary = "A path used in tests."
    level = "beginner"
    status = PublicationStatus.PUBLISHED


class PathStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PathStep

    path = factory.SubFactory(LearningPathFactory)
    resource = factory.SubFactory(ResourceFactory)
    position = factory.Sequence(lambda n: n + 1)


class ProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Progress

    learner = factory.SubFactory(UserFactory)
    resource = factory.SubFactory(ResourceFactory)
    status = ProgressStatus.IN_PROGRESS
    percent = 40
    started_at = factory.LazyFunction(timezone.now)


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interaction

    learner = factory.SubFactory(UserFactory)
    resource = factory.SubFactory(ResourceFactory)
    kind = InteractionKind.VIEWED
