"""The digest's one-click unsubscribe link: no login, the signed token is the proof."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from learning.reminder_links import unsubscribe_learner
from learning.services import reminders_stop


@csrf_exempt  # mail clients send the one-click POST (RFC 8058) without a form token; the signature protects it
@require_http_methods(["GET", "POST"])
def reminders_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Turn the learner's reminders off; a forged or damaged link gets a page saying so (400)."""
    learner = unsubscribe_learner(token)
    if learner is None:
        return render(request, "learning/unsubscribe.html", {"valid": False}, status=400)
    reminders_stop(learner=learner)
    return render(request, "learning/unsubscribe.html", {"valid": True})
