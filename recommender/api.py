"""REST API of the recommender: the learner's recommendations, "not for me", a plan to a goal, and health."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from learning import selectors
from learning.api.schema import RETRY_AFTER, errors
from learning.api.throttles import RecommendationsThrottle
from learning.services import dismissal_record, dismissal_undo
from recommender.digests import digest_for
from recommender.health import HealthStatus, service_health
from recommender.plans import path_plan
from recommender.retraining import retrain_check_after
from recommender.saved_plans import saved_plan_save
from recommender.selectors import recommendation_list
from recommender.serializers import (
    DigestSerializer,
    DismissalSerializer,
    DismissSerializer,
    HealthSerializer,
    PlanQuerySerializer,
    PlanSerializer,
    RecommendationQuerySerializer,
    RecommendationSerializer,
    SavedPlanRequestSerializer,
    SavedPlanSerializer,
)

TAGS = ["recommendations"]
RESOURCE_ID = OpenApiParameter(
    "resource_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Id of a published resource."
)


class RecommendationListApi(APIView):
    throttle_classes = [RecommendationsThrottle]

    @extend_schema(
        tags=TAGS,
        operation_id="me_recommendations_list",
        summary="What to learn next, best first, each with its reasons",
        parameters=[RecommendationQuerySerializer, RETRY_AFTER],
        responses={200: RecommendationSerializer(many=True), **errors(400, 401, 429)},
    )
    def get(self, request):
        query = RecommendationQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        items = recommendation_list(learner=request.user, limit=query.validated_data["limit"])
        # Plain dicts from the cached catalog: the hot path skips row reads and field-by-field serialization.
        return Response([item.as_dict() for item in items])


class RecommendationDismissApi(APIView):
    throttle_classes = [RecommendationsThrottle]

    @extend_schema(
        tags=TAGS,
        operation_id="me_recommendations_dismiss",
        summary='"Not for me": never recommend this resource again',
        parameters=[RESOURCE_ID, RETRY_AFTER],
        request=DismissSerializer,
        responses={200: DismissalSerializer, **errors(400, 401, 404, 429)},
    )
    def post(self, request, resource_id: int):
        resource = get_object_or_404(selectors.published_resources(), pk=resource_id)
        serializer = DismissSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        dismissal = dismissal_record(learner=request.user, resource=resource, **serializer.validated_data)
        retrain_check_after()
        return Response(DismissalSerializer(dismissal).data)

    @extend_schema(
        tags=TAGS,
        operation_id="me_recommendations_undismiss",
        summary='Take back a "not for me"',
        parameters=[RESOURCE_ID, RETRY_AFTER],
        responses={204: OpenApiResponse(description="Taken back."), **errors(401, 404, 429)},
    )
    def delete(self, request, resource_id: int):
        resource = get_object_or_404(request.user.dismissals.select_related("resource"), resource_id=resource_id)
        dismissal_undo(learner=request.user, resource=resource.resource)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PlanApi(APIView):
    throttle_classes = [RecommendationsThrottle]  # ranks the whole catalog, as recommendations do

    @extend_schema(
        tags=TAGS,
        operation_id="me_plan_retrieve",
        summary="The learner's own path to a goal topic",
        description="Steps in prerequisite order; `steps` is empty while nothing is published.",
        parameters=[PlanQuerySerializer, RETRY_AFTER],
        responses={200: PlanSerializer, **errors(400, 401, 429)},
    )
    def get(self, request):
        query = PlanQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        goal = query.validated_data["goal"]
        plan = path_plan(learner=request.user, goal_topic=goal, thorough=query.validated_data["thorough"])
        return Response(PlanSerializer(plan).data)


class SavedPlanApi(APIView):
    throttle_classes = [RecommendationsThrottle]  # plans rank the whole catalog

    @extend_schema(
        tags=TAGS,
        operation_id="me_plans_create",
        summary="Save the plan to a goal as the learner's own followable path",
        description="Plans now and stores the route as a private path the learner follows (dashboard progress and "
        "finish date). Saving the same goal again updates that path; it is re-planned when the learner's known "
        "topics, level or frameworks change. 400 `nothing_to_plan` when the goal is already covered.",
        request=SavedPlanRequestSerializer,
        responses={201: SavedPlanSerializer, **errors(400, 401, 429)},
    )
    def post(self, request):
        body = SavedPlanRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        path = saved_plan_save(
            learner=request.user, goal_topic=body.validated_data["goal"], thorough=body.validated_data["thorough"]
        )
        return Response(SavedPlanSerializer(path).data, status=status.HTTP_201_CREATED)


class HealthApi(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["health"],
        operation_id="health",
        summary="Is the service up: database reachable, serving model version",
        responses={
            200: OpenApiResponse(
                HealthSerializer,
                description="Up: `ok`, or `degraded` while serving a fallback ranking (`reason` says why).",
            ),
            503: OpenApiResponse(HealthSerializer, description="The database does not answer."),
        },
        auth=[],
    )
    def get(self, request):
        health = service_health()
        answer = status.HTTP_503_SERVICE_UNAVAILABLE if health.status == HealthStatus.UNAVAILABLE else 200
        return Response(HealthSerializer(health).data, status=answer)


class DigestApi(APIView):
    throttle_classes = [RecommendationsThrottle]

    @extend_schema(
        tags=["me"],
        operation_id="me_digest_retrieve",
        summary="The learner's weekly digest: next step with its reasons, the week against the goal, the streak",
        description="The same content as the weekly digest email, for a mobile client to show as a notification. "
        "Reading it sends nothing and does not count as this week's digest.",
        parameters=[RETRY_AFTER],
        responses={200: DigestSerializer, **errors(401, 429)},
    )
    def get(self, request):
        return Response(digest_for(learner=request.user).as_dict())
