"""Catalog output: topics, resources and paths. Topics and frameworks appear by slug."""

from rest_framework import serializers

from learning.models import LearningPath, Level, ProgressStatus, Resource, Topic
from learning.models.catalog import RESOURCE_CARD_FIELDS
from learning.selectors.social_proof import NO_PROOF, SocialProof


def _slugs(many_related) -> list[str]:
    """Slugs of prefetched related rows, without a query."""
    return [item.slug for item in many_related.all()]


class TopicRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["slug", "name"]


class TopicSerializer(serializers.ModelSerializer):
    prerequisites = serializers.SerializerMethodField(help_text="Slugs of the topics to learn first.")

    class Meta:
        model = Topic
        fields = ["slug", "name", "summary", "prerequisites"]

    def get_prerequisites(self, topic: Topic) -> list[str]:
        return _slugs(topic.prerequisites)


class ResourceSummarySerializer(serializers.ModelSerializer):
    """A resource without its topic and framework lists (inside topics and plans)."""

    provider = serializers.CharField(source="provider.name", read_only=True, help_text="The provider's name.")

    class Meta:
        model = Resource
        fields = ["id", "slug", "title", "kind", "level", "estimated_minutes", "cost", "provider", "url"]


class ResourceSerializer(serializers.ModelSerializer):
    provider = serializers.CharField(source="provider.name", read_only=True, help_text="The provider's name.")
    topics = serializers.SerializerMethodField(help_text="Slugs of the topics it teaches.")
    frameworks = serializers.SerializerMethodField(help_text="Slugs of the frameworks it uses.")

    class Meta:
        model = Resource
        fields = list(RESOURCE_CARD_FIELDS)

    def get_topics(self, resource: Resource) -> list[str]:
        return _slugs(resource.topics)

    def get_frameworks(self, resource: Resource) -> list[str]:
        return _slugs(resource.frameworks)


class CatalogResourceSerializer(ResourceSerializer):
    """A resource as the catalog endpoints list it: with what other learners made of it. Each figure is null until
    at least 5 learners are behind it (`SOCIAL_PROOF_MIN_LEARNERS`), so no single learner's action shows. The view
    passes the figures of the whole page in the context (`social_proof`), read in one query."""

    rating_average = serializers.SerializerMethodField(help_text="Mean rating (1-5, one decimal); null under 5.")
    rating_count = serializers.SerializerMethodField(help_text="How many learners rated it; null under 5.")
    finished_count = serializers.SerializerMethodField(help_text="How many learners finished it; null under 5.")

    class Meta(ResourceSerializer.Meta):
        fields = [*ResourceSerializer.Meta.fields, "rating_average", "rating_count", "finished_count"]

    def _proof(self, resource: Resource) -> SocialProof:
        return self.context.get("social_proof", {}).get(resource.pk, NO_PROOF)

    def get_rating_average(self, resource: Resource) -> float | None:
        return self._proof(resource).rating_average

    def get_rating_count(self, resource: Resource) -> int | None:
        return self._proof(resource).rating_count

    def get_finished_count(self, resource: Resource) -> int | None:
        return self._proof(resource).finished_count


class ResourceDetailSerializer(CatalogResourceSerializer):
    touches = serializers.SerializerMethodField(
        help_text="Slugs of topics it only mentions or uses in passing: they never gate it."
    )
    prerequisites = serializers.SerializerMethodField(
        help_text="Slugs of extra topics to know first, beyond those of the topics it teaches."
    )

    class Meta(CatalogResourceSerializer.Meta):
        fields = [*CatalogResourceSerializer.Meta.fields, "touches", "prerequisites"]

    def get_touches(self, resource: Resource) -> list[str]:
        return _slugs(resource.touches)

    def get_prerequisites(self, resource: Resource) -> list[str]:
        return _slugs(resource.prerequisites)


class TopicDetailSerializer(serializers.ModelSerializer):
    prerequisites = TopicRefSerializer(many=True, read_only=True)
    unlocks = TopicRefSerializer(many=True, read_only=True, help_text="Topics that list this one as a prerequisite.")
    resources = ResourceSummarySerializer(many=True, read_only=True, help_text="Published resources teaching it.")

    class Meta:
        model = Topic
        fields = ["slug", "name", "summary", "prerequisites", "unlocks", "resources"]


class PathSerializer(serializers.ModelSerializer):
    goal_topics = serializers.SerializerMethodField(help_text="Slugs of the topics the path leads to.")
    step_count = serializers.IntegerField(read_only=True)
    total_minutes = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = LearningPath
        fields = ["slug", "title", "summary", "level", "goal_topics", "step_count", "total_minutes"]

    def get_goal_topics(self, path: LearningPath) -> list[str]:
        return _slugs(path.goal_topics)


class StepResourceSerializer(ResourceSummarySerializer):
    topics = serializers.SerializerMethodField(help_text="Slugs of the topics it teaches.")

    class Meta(ResourceSummarySerializer.Meta):
        fields = [*ResourceSummarySerializer.Meta.fields, "topics"]

    def get_topics(self, resource: Resource) -> list[str]:
        return _slugs(resource.topics)


class PathStepSerializer(serializers.Serializer):
    """One step of a path (a `StepState`) with the requesting learner's status on it."""

    position = serializers.IntegerField(source="step.position")
    required = serializers.BooleanField(source="step.required")
    note = serializers.CharField(source="step.note")
    resource = StepResourceSerializer(source="step.resource")
    status = serializers.ChoiceField(
        choices=ProgressStatus.choices,
        allow_null=True,
        help_text="The signed-in learner's progress on this step; null when untouched or anonymous.",
    )
    known = serializers.BooleanField(
        help_text='"You know this": it teaches only topics the learner knows or covered; counts as done.'
    )


class PathProgressSerializer(serializers.Serializer):
    """`PathProgress.as_dict()`: required and optional steps counted apart; known steps count as done."""

    required_done = serializers.IntegerField()
    required_total = serializers.IntegerField()
    optional_done = serializers.IntegerField()
    optional_total = serializers.IntegerField()
    known = serializers.IntegerField(help_text="Steps counted done because the learner knows what they teach.")
    remaining_minutes = serializers.IntegerField(help_text="Required steps neither done nor known.")
    percent = serializers.IntegerField(help_text="Of the required steps.")
    summary = serializers.CharField(help_text='As the pages say it: "3 of 11 required, 1 of 2 optional".')


class PathDetailSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    level = serializers.ChoiceField(choices=Level.choices)
    goal_topics = serializers.ListField(child=serializers.CharField(), help_text="Slugs of the goal topics.")
    total_minutes = serializers.IntegerField()
    progress = PathProgressSerializer(allow_null=True, help_text="The signed-in learner's progress; null anonymous.")
    steps = PathStepSerializer(many=True)
