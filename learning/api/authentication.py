"""API authentication: knox per-device tokens, checked with one query per request."""

from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import CONSTANTS
from rest_framework import exceptions


class DeviceTokenAuthentication(TokenAuthentication):
    """knox's scheme (`Authorization: Token <token>`, stored hashed, expiring), without its per-request sweep.

    knox deletes the learner's other expired tokens on every authenticated request, one more query each time on
    the hottest endpoints. Here that sweep runs when a token is issued (`device_token_issue`); an expired token that
    is presented is still deleted and refused.
    """

    def authenticate_credentials(self, token: bytes):
        invalid = exceptions.AuthenticationFailed(_("Invalid token."))
        try:
            text = token.decode("utf-8")
        except UnicodeDecodeError:
            raise invalid from None
        digest = hash_token(text)
        candidates = AuthToken.objects.filter(token_key=text[: CONSTANTS.TOKEN_KEY_LENGTH]).select_related("user")
        for auth_token in candidates:
            if not compare_digest(digest, auth_token.digest):
                continue
            if auth_token.expiry is not None and auth_token.expiry < timezone.now():
                auth_token.delete()
                break
            return self.validate_user(auth_token)
        raise invalid


class DeviceTokenScheme(KnoxTokenScheme):
    """Documents DeviceTokenAuthentication in the OpenAPI schema exactly as knox's own scheme (`knoxApiToken`)."""

    target_class = "learning.api.authentication.DeviceTokenAuthentication"
