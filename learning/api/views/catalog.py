"""Public catalog reads (a token is accepted, never required): topics, resources and learning paths."""

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from learning import selectors
from learning.api.etag import ConditionalGetMixin
from learning.api.pagination import CatalogPagination, SmallCatalogPagination
from learning.api.schema import ETAG, IF_NONE_MATCH, conditional
from learning.api.serializers.catalog import (
    CatalogResourceSerializer,
    PathDetailSerializer,
    PathSerializer,
    ResourceDetailSerializer,
    TopicDetailSerializer,
    TopicSerializer,
)
from learning.filters import ResourceFilter
from learning.models import Topic

CATALOG_HEADERS = [IF_NONE_MATCH, ETAG]
SLUG = OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH, pattern=r"^[-a-zA-Z0-9_]+$")
RESOURCE_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Resource id.")


def _read(operation_id: str, ok, summary: str, *parameters: OpenApiParameter) -> dict:
    """A catalog read's schema: a list (no path parameter) can also answer 400 for a bad filter."""
    codes = (401, 404) if parameters else (400, 401, 404)
    return {
        "operation_id": operation_id,
        "tags": ["catalog"],
        "summary": summary,
        "responses": conditional(ok, *codes),
        "parameters": [*parameters, *CATALOG_HEADERS],
    }


class CatalogViewSet(ConditionalGetMixin, viewsets.ReadOnlyModelViewSet):
    """Public reads; a token is accepted (a path then shows the learner's state), never required."""

    permission_classes = [AllowAny]


@extend_schema_view(
    list=extend_schema(**_read("topics_list", TopicSerializer(many=True), "Topics with their prerequisites")),
    retrieve=extend_schema(
        **_read(
            "topics_retrieve", TopicDetailSerializer, "A topic, its neighbours in the graph and its resources", SLUG
        )
    ),
)
class TopicViewSet(CatalogViewSet):
    """The topic graph: what to learn before what."""

    lookup_field = "slug"
    pagination_class = SmallCatalogPagination
    queryset = Topic.objects.prefetch_related("prerequisites").order_by("name")
    serializer_class = TopicSerializer

    def retrieve(self, request, slug: str):
        return Response(TopicDetailSerializer(selectors.topic_get(slug=slug)).data)


@extend_schema_view(
    list=extend_schema(
        **_read("resources_list", CatalogResourceSerializer(many=True), "Published resources, filtered")
    ),
    retrieve=extend_schema(
        **_read("resources_retrieve", ResourceDetailSerializer, "A published resource", RESOURCE_ID)
    ),
)
class ResourceViewSet(CatalogViewSet):
    """Published resources, with the same filters as the web catalog."""

    lookup_url_kwarg = "id"
    pagination_class = CatalogPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = ResourceFilter  # the web catalog's own filters, so both filter the same way
    serializer_class = CatalogResourceSerializer

    def get_queryset(self):
        queryset = selectors.published_resources()
        return queryset.prefetch_related("touches", "prerequisites") if self.action == "retrieve" else queryset

    def get_serializer_class(self):
        return ResourceDetailSerializer if self.action == "retrieve" else CatalogResourceSerializer

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(queryset) if page is None else page
        serializer = self.get_serializer(rows, many=True, context=self._with_social_proof(rows))
        return Response(serializer.data) if page is None else self.get_paginated_response(serializer.data)

    def retrieve(self, request, *args, **kwargs):
        resource = self.get_object()
        return Response(self.get_serializer(resource, context=self._with_social_proof([resource])).data)

    def _with_social_proof(self, resources) -> dict:
        """The serializer context plus the learners' figures for these resources (one query for the page)."""
        proof = selectors.resource_social_proof(resource_ids=[resource.pk for resource in resources])
        return {**self.get_serializer_context(), "social_proof": proof}

    def filter_queryset(self, queryset):
        # Stricter than the shared filters on what a client program may send (the web form never sends these):
        # blanks in a list are not skipped silently, and minutes are whole numbers as documented.
        query = self.request.query_params
        if query.get("ordering") and not all(query["ordering"].split(",")):
            raise ValidationError({"ordering": [_("Give comma-separated field names, none of them empty.")]})
        if query.get("max_minutes") and not (query["max_minutes"].isascii() and query["max_minutes"].isdigit()):
            raise ValidationError({"max_minutes": [_("Must be a whole number.")]})
        queryset = super().filter_queryset(queryset)
        # A unique last key keeps pages stable when titles (or minutes) tie.
        return queryset.order_by(*(queryset.query.order_by or ("title",)), "pk")


@extend_schema_view(
    list=extend_schema(**_read("paths_list", PathSerializer(many=True), "Published learning paths")),
    retrieve=extend_schema(
        **_read(
            "paths_retrieve", PathDetailSerializer, "A path's ordered steps, with the learner's state on each", SLUG
        )
    ),
)
class PathViewSet(CatalogViewSet):
    """Curated learning paths."""

    lookup_field = "slug"
    pagination_class = SmallCatalogPagination
    serializer_class = PathSerializer

    def get_queryset(self):
        return selectors.published_paths()

    def retrieve(self, request, slug: str):
        path = selectors.path_get(slug=slug, learner=request.user)
        steps = selectors.path_steps_with_state(path=path, learner=request.user)
        body = {
            "slug": path.slug,
            "title": path.title,
            "summary": path.summary,
            "level": path.level,
            "goal_topics": [topic.slug for topic in path.goal_topics.all()],
            "total_minutes": sum(state.step.resource.estimated_minutes for state in steps),
            "progress": selectors.path_progress(steps).as_dict() if request.user.is_authenticated else None,
            "steps": steps,
        }
        return Response(PathDetailSerializer(body).data)
