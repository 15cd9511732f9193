"""The signed-in learner's own profile and progress. Nothing here takes a learner id: it is always the token's."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from learning import selectors
from learning.api.pagination import ProgressCursorPagination
from learning.api.schema import errors
from learning.api.serializers.learners import (
    ProfileSerializer,
    ProfileUpdateSerializer,
    ProgressFilterSerializer,
    ProgressSerializer,
    ProgressWriteSerializer,
)
from learning.models import LearnerProfile, Progress, ProgressStatus
from learning.services import profile_update, progress_delete, progress_record
from recommender.retraining import retrain_check_after

TAGS = ["me"]
RESOURCE_ID = OpenApiParameter(
    "resource_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Id of a catalog resource."
)


def _profile(user) -> LearnerProfile:
    # A read writes nothing: an account made outside sign-up (e.g. staff) reads the defaults until its first PATCH
    # (profile_update creates the row).
    return selectors.learner_profile_with_choices(user=user)


class ProfileApi(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="me_retrieve",
        summary="The learner's account and profile",
        responses={200: ProfileSerializer, **errors(401)},
    )
    def get(self, request):
        return Response(ProfileSerializer(_profile(request.user)).data)

    @extend_schema(
        tags=TAGS,
        operation_id="me_update",
        summary="Change any part of the profile (lists replace the current ones)",
        request=ProfileUpdateSerializer,
        responses={200: ProfileSerializer, **errors(400, 401)},
    )
    def patch(self, request):
        serializer = ProfileUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        profile_update(user=request.user, **serializer.service_arguments())
        from recommender.saved_plans import saved_plans_replan  # learning never imports recommender at module level

        saved_plans_replan(learner=request.user)  # saved plans follow what the learner knows
        return Response(ProfileSerializer(_profile(request.user)).data)


class ProgressListApi(GenericAPIView):
    pagination_class = ProgressCursorPagination
    serializer_class = ProgressSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no learner
            return Progress.objects.none()
        filters = ProgressFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.learner_progress(learner=self.request.user, status=filters.validated_data.get("status"))

    @extend_schema(
        tags=TAGS,
        operation_id="me_progress_list",
        summary="The learner's progress, newest activity first",
        parameters=[OpenApiParameter("status", OpenApiTypes.STR, enum=ProgressStatus.values)],
        responses={200: ProgressSerializer(many=True), **errors(400, 401, 404)},
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ProgressSerializer(page, many=True).data)


class ProgressDetailApi(APIView):
    def _own(self, request, resource_id: int):
        return get_object_or_404(selectors.learner_progress(learner=request.user), resource_id=resource_id)

    @extend_schema(
        tags=TAGS,
        operation_id="me_progress_retrieve",
        summary="The learner's progress on one resource",
        parameters=[RESOURCE_ID],
        responses={200: ProgressSerializer, **errors(401, 404)},
    )
    def get(self, request, resource_id: int):
        return Response(ProgressSerializer(self._own(request, resource_id)).data)

    @extend_schema(
        tags=TAGS,
        operation_id="me_progress_update",
        summary="Record status, percent and/or rating (an idempotent upsert)",
        description="Repeating the same values changes nothing and logs nothing. The resource must be published.",
        parameters=[RESOURCE_ID],
        request=ProgressWriteSerializer,
        responses={200: ProgressSerializer, **errors(400, 401, 404)},
    )
    def put(self, request, resource_id: int):
        resource = get_object_or_404(selectors.published_resources(), pk=resource_id)
        serializer = ProgressWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        progress_record(learner=request.user, resource=resource, **serializer.validated_data)
        retrain_check_after()
        return Response(ProgressSerializer(self._own(request, resource_id)).data)

    @extend_schema(
        tags=TAGS,
        operation_id="me_progress_destroy",
        summary="Forget the learner's progress on a resource (the event log keeps its history)",
        parameters=[RESOURCE_ID],
        responses={204: OpenApiResponse(description="Forgotten."), **errors(401, 404)},
    )
    def delete(self, request, resource_id: int):
        progress = self._own(request, resource_id)
        progress_delete(learner=request.user, resource=progress.resource)
        return Response(status=status.HTTP_204_NO_CONTENT)
