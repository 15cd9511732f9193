"""Scoped rate limits: "auth" on the auth endpoints, "recommendations" on the recommendation endpoints.

Counters live in the shared cache (the database cache, or Redis with REDIS_URL), so a limit holds across every
worker and machine. Each counter is one atomic increment per request in a window of the rate's period opened by the
first request: unlike DRF's history list, which is read, extended and written back, two workers counting at the same
moment cannot both see room for one more request.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from learning.client_address import client_address
from learning.rate_limits import parse_rate, rate_window_hit


class ScopedThrottle(BaseThrottle):
    """Per learner when signed in, per client address otherwise.

    The rate is looked up on every request (DRF's own throttles read it once, at import), so settings changes
    such as test overrides apply at once.
    """

    scope = ""

    def allow_request(self, request, view) -> bool:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        if rate is None:
            return True
        limit, period = parse_rate(rate)
        user = getattr(request, "user", None)
        ident = f"user-{user.pk}" if user is not None and user.is_authenticated else self.get_ident(request)
        allowed, self._wait = rate_window_hit(f"throttle:{self.scope}:{ident}", limit=limit, period=period)
        return allowed

    def get_ident(self, request) -> str:
        return client_address(request)

    def wait(self) -> float:
        return self._wait


class AuthThrottle(ScopedThrottle):
    scope = "auth"


class RecommendationsThrottle(ScopedThrottle):
    scope = "recommendations"
