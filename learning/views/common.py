"""Helpers shared by the web views: where to go back to after a POST, and how anonymous visitors are sent to log in."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect


def back_url(request: HttpRequest, fallback: str) -> str:
    """The `next` field of the form when it points to this site, else `fallback` (no open redirects)."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def to_login(request: HttpRequest, next_url: str) -> HttpResponse:
    if request.htmx:  # a partial swap would put the login page inside the page: navigate instead
        return HttpResponseClientRedirect(f"{resolve_url('login')}?next={next_url}")
    return redirect_to_login(next_url)


def learner_post(fallback: Callable[..., str]):
    """POST-only and for learners: an anonymous visitor is sent to log in, then back to `fallback(**kwargs)` (the
    page that showed the form), never to the POST-only URL itself."""

    def decorator(view):
        @require_POST
        @wraps(view)
        def wrapped(request: HttpRequest, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return to_login(request, back_url(request, fallback(**kwargs)))
            return view(request, **kwargs)

        return wrapped

    return decorator


def saved_plans_follow(user) -> None:
    """Saved plans follow what the learner knows: re-plan them after a change to their profile."""
    from recommender.saved_plans import saved_plans_replan  # learning never imports recommender at module level

    saved_plans_replan(learner=user)
