"""Scoped rate limits: "auth" on the auth endpoints, "recommendations" on the recommendation endpoints."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class ScopedThrottle(SimpleRateThrottle):
    """Per learner when signed in, per client address otherwise.

    The rate is looked up on every request (DRF's own throttles read it once, at import), so settings changes
    such as test overrides apply at once.
    """

    scope = ""

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view) -> str:
        user = getattr(request, "user", None)
        ident = f"user-{user.pk}" if user is not None and user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AuthThrottle(ScopedThrottle):
    scope = "auth"


class RecommendationsThrottle(ScopedThrottle):
    scope = "recommendations"
