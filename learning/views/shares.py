"""Sharing a path's progress or a saved plan at a public link, revoking it, and the public page of a link."""

from typing import cast

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from learning.exceptions import LearningError
from learning.models import LearningPath
from learning.selectors.shares import shared_path_get
from learning.services.shares import path_share_create, path_share_revoke
from learning.views.common import back_url, learner_post


def _path_url(slug: str) -> str:
    return reverse("learning:path-detail", args=[slug])


def _paths_url(token: str) -> str:
    return reverse("learning:path-list")


@learner_post(fallback=_path_url)
def path_share(request: HttpRequest, slug: str) -> HttpResponse:
    path = get_object_or_404(LearningPath.objects.visible_to(request.user), slug=slug)
    try:
        path_share_create(learner=cast(User, request.user), path=path, show_name=request.POST.get("show_name") == "on")
    except LearningError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Anyone with the link below can now see this path and your progress."))
    return redirect(path.get_absolute_url())


@learner_post(fallback=_paths_url)
def share_revoke(request: HttpRequest, token: str) -> HttpResponse:
    try:
        path_share_revoke(learner=cast(User, request.user), token=token)
    except LearningError as error:
        raise Http404(error.message) from error
    messages.success(request, _("The link no longer works."))
    return redirect(back_url(request, reverse("learning:path-list")))


def shared_path(request: HttpRequest, token: str) -> HttpResponse:
    return render(request, "learning/shared_path.html", {"shared": shared_path_get(token=token)})
