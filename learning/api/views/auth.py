"""Accounts and per-device tokens (knox: stored hashed, expiring, revocable one by one or all at once)."""

from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in, user_logged_out
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from learning.api.errors import error_body
from learning.api.schema import RETRY_AFTER, errors
from learning.api.serializers.auth import (
    CredentialsSerializer,
    RegisteredSerializer,
    RegisterSerializer,
    TokenSerializer,
)
from learning.api.throttles import AuthThrottle
from learning.services import credentials_revoke, device_token_issue, learner_register

TAGS = ["auth"]
REVOKED = OpenApiResponse(description="Revoked.")


def _issue_token(user) -> dict:
    instance, token = device_token_issue(user=user)
    return {"token": token, "expires_at": instance.expiry}


class AuthRegisterApi(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AuthThrottle]

    @extend_schema(
        tags=TAGS,
        operation_id="auth_register",
        summary="Create a learner account and a first token",
        request=RegisterSerializer,
        responses={201: RegisteredSerializer, **errors(400, 429)},
        parameters=[RETRY_AFTER],
        auth=[],
    )
    def post(self, request):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = learner_register(**serializer.validated_data)
        body = {**_issue_token(user), "user": user}
        return Response(RegisteredSerializer(body).data, status=status.HTTP_201_CREATED)


class AuthTokenApi(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AuthThrottle]

    @extend_schema(
        tags=TAGS,
        operation_id="auth_token",
        summary="Sign in: a new token for this device",
        description="Repeated failures for one username from one address lock it out for a while (429).",
        request=CredentialsSerializer,
        responses={200: TokenSerializer, **errors(400, 429)},
        parameters=[RETRY_AFTER],
        auth=[],
    )
    def post(self, request):
        serializer = CredentialsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # django-axes watches this call: it counts failures and flags the request once the client is locked out.
        user = authenticate(request=request, **serializer.validated_data)
        if getattr(request, "axes_locked_out", False):
            return _locked_out()
        if user is None:
            body = error_body("invalid_credentials", _("Unable to sign in with these credentials."))
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        # As a session login would: axes resets the failure count, Django records last_login.
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        return Response(TokenSerializer(_issue_token(user)).data)


def _locked_out() -> Response:
    cool_off = int(settings.AXES_COOLOFF_TIME * 3600)
    body = error_body("locked_out", _("Too many failed sign-ins: try again later."))
    return Response(body, status=status.HTTP_429_TOO_MANY_REQUESTS, headers={"Retry-After": str(cool_off)})


class AuthLogoutApi(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [AuthThrottle]

    @extend_schema(
        tags=TAGS,
        operation_id="auth_logout",
        summary="Revoke the token used for this request",
        request=None,
        responses={204: REVOKED, **errors(401, 429)},
        parameters=[RETRY_AFTER],
    )
    def post(self, request):
        request.auth.delete()
        user_logged_out.send(sender=request.user.__class__, request=request, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AuthLogoutAllApi(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [AuthThrottle]

    @extend_schema(
        tags=TAGS,
        operation_id="auth_logout_all",
        summary="Sign out everywhere: revoke every token of the learner and end their web sessions",
        request=None,
        responses={204: REVOKED, **errors(401, 429)},
        parameters=[RETRY_AFTER],
    )
    def post(self, request):
        credentials_revoke(user=request.user)
        user_logged_out.send(sender=request.user.__class__, request=request, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
