"""Progress actions on a resource and following paths: plain POST forms that redirect back, enhanced by htmx to
update in place (a partial is returned when the request comes from htmx)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learning import selectors, services
from learning.exceptions import LearningError
from learning.forms import DismissalForm, ProgressForm, TopicMarkForm, add_learning_error
from learning.models import LearningPath, ProgressStatus, Resource, Topic, TopicMark
from learning.views.common import back_url, learner_post, saved_plans_follow
from learning.views.pages import progress_controls_context, resource_page_context, topic_map_context
from recommender.retraining import retrain_check_after

DONE_MESSAGES = {
    ProgressStatus.SAVED: gettext_lazy("Saved for later"),
    ProgressStatus.IN_PROGRESS: gettext_lazy("Started"),
    ProgressStatus.COMPLETED: gettext_lazy("Marked complete"),
    ProgressStatus.SKIPPED: gettext_lazy("Skipped"),
}


def _resource_url(slug: str) -> str:
    return reverse("learning:resource-detail", args=[slug])


def _path_url(slug: str) -> str:
    return reverse("learning:path-detail", args=[slug])


def _published_resource(slug: str) -> Resource:
    return get_object_or_404(Resource.objects.published(), slug=slug)


def _respond(request: HttpRequest, resource: Resource, done: str | None, *, undo_dismissal: bool = False, **forms):
    """After an action: the updated controls (or a one-line card) for htmx, else a redirect back with a message.
    A failed action re-renders the resource page with the form errors (status 400; 200 for htmx, which only swaps
    successful responses)."""
    failed = any(form.errors for form in forms.values())
    if request.htmx:
        # `announce` goes to the page's live region (an out-of-band swap), so screen readers hear the outcome.
        announce = _("Not saved: see the error.") if failed else _done(done, resource)
        if request.POST.get("partial") == "card" and not failed:
            context = {"resource": resource, "done": done, "undo_dismissal": undo_dismissal, "announce": announce}
            return render(request, "learning/_card_done.html", context)
        context = progress_controls_context(request, resource, **forms) | {"announce": announce}
        return render(request, "learning/_progress_controls.html", context)
    if failed:
        context = resource_page_context(request, resource, **forms)
        return render(request, "learning/resource_detail.html", context, status=400)
    messages.success(request, _done(done, resource))
    return redirect(back_url(request, resource.get_absolute_url()))


def _done(done, resource: Resource) -> str:
    return _("%(done)s: %(title)s.") % {"done": done, "title": resource.title}


@learner_post(fallback=_resource_url)
def resource_progress(request: HttpRequest, slug: str) -> HttpResponse:
    resource = _published_resource(slug)
    form = ProgressForm(request.POST)
    done = None
    if form.is_valid():
        status, rating = form.cleaned_data["status"] or None, form.cleaned_data["rating"]
        try:
            services.progress_record(learner=request.user, resource=resource, status=status, rating=rating)
            retrain_check_after()
            done = DONE_MESSAGES[status] if status else _("Rated %(rating)d out of 5") % {"rating": rating}
        except LearningError as error:
            add_learning_error(form, error)
    return _respond(request, resource, done, progress_form=form)


@learner_post(fallback=_resource_url)
def resource_dismiss(request: HttpRequest, slug: str) -> HttpResponse:
    resource = _published_resource(slug)
    form = DismissalForm(request.POST)
    if form.is_valid():
        try:
            services.dismissal_record(learner=request.user, resource=resource, **form.cleaned_data)
            retrain_check_after()
        except LearningError as error:
            add_learning_error(form, error)
    return _respond(request, resource, _("Not for you, noted"), undo_dismissal=True, dismissal_form=form)


@learner_post(fallback=_resource_url)
def resource_undismiss(request: HttpRequest, slug: str) -> HttpResponse:
    resource = _published_resource(slug)
    services.dismissal_undo(learner=request.user, resource=resource)
    return _respond(request, resource, _("Back among your suggestions"))


@learner_post(fallback=_resource_url)
def resource_forget(request: HttpRequest, slug: str) -> HttpResponse:
    resource = _published_resource(slug)
    services.progress_delete(learner=request.user, resource=resource)
    return _respond(request, resource, _("Removed from your list"))


def _follow_response(request: HttpRequest, path: LearningPath, message: str) -> HttpResponse:
    if request.htmx:
        followed = selectors.learner_follows(learner=request.user, path=path)
        return render(request, "learning/_follow_button.html", {"path": path, "followed": followed})
    messages.success(request, message)
    return redirect(back_url(request, path.get_absolute_url()))


@learner_post(fallback=_path_url)
def path_follow(request: HttpRequest, slug: str) -> HttpResponse:
    path = get_object_or_404(LearningPath.objects.published(), slug=slug)
    services.path_follow(learner=request.user, path=path)
    return _follow_response(request, path, _("You now follow %(title)s.") % {"title": path.title})


@learner_post(fallback=_path_url)
def path_unfollow(request: HttpRequest, slug: str) -> HttpResponse:
    path = get_object_or_404(LearningPath.objects.visible_to(request.user), slug=slug)
    services.path_unfollow(learner=request.user, path=path)
    return _follow_response(request, path, _("You no longer follow %(title)s.") % {"title": path.title})


def _topic_map_url(slug: str) -> str:
    return reverse("learning:topic-map")


@learner_post(fallback=_topic_map_url)
def topic_mark(request: HttpRequest, slug: str) -> HttpResponse:
    """Mark a topic known, learning or not yet: the map (or its list) again for htmx, else a redirect back to the
    topic's row. A bad mark shows the map with an error (400; 200 for htmx, which only swaps successful answers)."""
    topic = get_object_or_404(Topic, slug=slug)
    form = TopicMarkForm(request.POST)
    if form.is_valid():
        mark = TopicMark(form.cleaned_data["mark"])
        services.topic_mark(user=request.user, topic=topic, mark=mark)
        saved_plans_follow(request.user)
        outcome = _("%(topic)s: %(mark)s.") % {"topic": topic.name, "mark": mark.label}
    else:
        outcome = _("Not saved: choose Known, Learning or Not yet.")
    if request.htmx:
        context = topic_map_context(request) | {"announce": outcome}
        return render(request, "learning/_topic_map_body.html", context)
    if not form.is_valid():
        context = topic_map_context(request) | {"mark_error": outcome}
        return render(request, "learning/topic_map.html", context, status=400)
    messages.success(request, outcome)
    return redirect(back_url(request, f"{reverse('learning:topic-map')}#topic-{topic.slug}"))
