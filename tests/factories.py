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
    """The "none" framework its data migration seeds; seeded again when a transactional test's flush (PostgreSQL
    runs those tests in any order) has removed it."""
    found = Framework.objects.filter(slug="none").first()
    if found is None:
        importlib.import_module("learning.migrations.0002_frameworks").add_frameworks(apps, None)
        found = Framework.objects.get(slug="none")
    return found


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
