"""The learner's public links: list, make (POST) and revoke (DELETE). Never another learner's."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from learning.api.fields import StrictBooleanField
from learning.api.schema import errors
from learning.exceptions import LearningError
from learning.models import LearningPath, PathShare
from learning.selectors.shares import learner_shares
from learning.services.shares import path_share_create, path_share_revoke

TAGS = ["me"]


class ShareRequestSerializer(serializers.Serializer):
    path = serializers.SlugField(help_text="Slug of a path the learner follows, or of their own saved plan.")
    show_name = StrictBooleanField(required=False, default=False, help_text="true: the page shows the username.")


class ShareSerializer(serializers.ModelSerializer):
    path = serializers.CharField(source="path.slug", help_text="The shared path's slug.")
    url = serializers.SerializerMethodField(help_text="The public page: anyone with it sees the steps and progress.")

    class Meta:
        model = PathShare
        fields = ["token", "url", "path", "show_name", "created_at"]

    def get_url(self, share: PathShare) -> str:
        request = self.context.get("request")
        url = share.get_absolute_url()
        return request.build_absolute_uri(url) if request is not None else url


class ShareListApi(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="me_shares_list",
        summary="The learner's public links",
        responses={200: ShareSerializer(many=True), **errors(401)},
    )
    def get(self, request):
        return Response(
            ShareSerializer(learner_shares(learner=request.user), many=True, context={"request": request}).data
        )

    @extend_schema(
        tags=TAGS,
        operation_id="me_shares_create",
        summary="Make a public link to a followed path or a saved plan",
        description="Returns the link (201). Sharing the same path again returns its existing link, with `show_name` "
        "updated. 400 `not_shareable` for a path the learner neither follows nor saved; 404 for an unknown slug.",
        request=ShareRequestSerializer,
        responses={201: ShareSerializer, **errors(400, 401, 404)},
    )
    def post(self, request):
        body = ShareRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        path = LearningPath.objects.visible_to(request.user).filter(slug=body.validated_data["path"]).first()
        if path is None:
            raise NotFound()
        share = path_share_create(learner=request.user, path=path, show_name=body.validated_data["show_name"])
        return Response(ShareSerializer(share, context={"request": request}).data, status=status.HTTP_201_CREATED)


class ShareDetailApi(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="me_shares_destroy",
        summary="Revoke a public link: it answers 404 from now on",
        parameters=[
            OpenApiParameter("token", OpenApiTypes.STR, OpenApiParameter.PATH, description="The link's token.")
        ],
        responses={204: None, **errors(401, 404)},
    )
    def delete(self, request, token: str):
        try:
            path_share_revoke(learner=request.user, token=token)
        except LearningError as error:
            raise NotFound() from error
        return Response(status=status.HTTP_204_NO_CONTENT)
