"""Catalog pages for everyone (home, resources, paths, topics), showing a signed-in learner their own state."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from learning import charts, selectors
from learning.exceptions import LearningError
from learning.filters import ResourceFilter
from learning.forms import DismissalForm, PlanForm, ProgressForm
from learning.models import Cost, Kind, Level, ProgressStatus, Resource, TopicMark
from learning.selectors.shares import learner_path_share
from learning.views.common import back_url

RESOURCES_PER_PAGE = 24
SORTS = [
    ("minutes", gettext_lazy("Shortest first")),
    ("-minutes", gettext_lazy("Longest first")),
    ("-created", gettext_lazy("Newest")),
    ("-title", gettext_lazy("Title Z–A")),
]
DURATIONS = [
    (30, gettext_lazy("30 min or less")),
    (60, gettext_lazy("1 h or less")),
    (180, gettext_lazy("3 h or less")),
    (600, gettext_lazy("10 h or less")),
]
STATUS_ACTIONS = [
    (ProgressStatus.SAVED, gettext_lazy("Save for later")),
    (ProgressStatus.IN_PROGRESS, gettext_lazy("Start")),
    (ProgressStatus.COMPLETED, gettext_lazy("Mark complete")),
    (ProgressStatus.SKIPPED, gettext_lazy("Skip: I know it")),
]


def home(request: HttpRequest) -> HttpResponse:
    highlighted = selectors.highlighted_resources()
    context = {
        "paths": selectors.published_paths(),
        "highlighted": highlighted,
        "social_proof": selectors.resource_social_proof(resource_ids=[r.pk for r in highlighted]),
        "counts": selectors.catalog_summary(),
    }
    return render(request, "learning/home.html", context)


def resource_list(request: HttpRequest) -> HttpResponse:
    """The catalog through `ResourceFilter`, the API's filters; bad filter values show as field errors."""
    filterset = ResourceFilter(request.GET or None, queryset=selectors.published_resources())
    page = Paginator(filterset.qs, RESOURCES_PER_PAGE).get_page(request.GET.get("page"))
    statuses = {}
    if request.user.is_authenticated:
        progress = selectors.learner_progress_by_resource(learner=request.user, resource_ids=[r.pk for r in page])
        statuses = {pk: row.get_status_display() for pk, row in progress.items()}
    errors = filterset.form.errors if filterset.is_bound else {}
    context = {
        "search": request.GET.get("search", ""),
        "search_errors": errors.get("search", []),
        "selects": _filter_selects(request, errors),
        # Filters in use keep their panel open, so a learner sees why the list is short (errors show there too).
        "active_filters": sum(1 for name in FILTER_NAMES if request.GET.get(name)) or bool(errors),
        "page": page,
        "statuses": statuses,
        "social_proof": selectors.resource_social_proof(resource_ids=[r.pk for r in page]),
    }
    return render(request, "learning/resource_list.html", context)


FILTER_NAMES = ("kind", "level", "topic", "framework", "cost", "max_minutes", "ordering")


def _filter_selects(request: HttpRequest, errors) -> list[dict]:
    options = {
        "kind": (_("Kind"), _("Any kind"), Kind.choices),
        "level": (_("Level"), _("Any level"), Level.choices),
        "topic": (_("Topic"), _("Any topic"), [(t.slug, t.name) for t in selectors.topic_choices()]),
        "framework": (_("Framework"), _("Any framework"), selectors.framework_choices()),
        "cost": (_("Cost"), _("Any cost"), Cost.choices),
        "max_minutes": (_("Duration"), _("Any duration"), DURATIONS),
        # A search lists the best matches first unless another order is chosen.
        "ordering": (_("Sort by"), _("Best match") if request.GET.get("search") else _("Title A–Z"), SORTS),
    }
    return [
        {
            "name": name,
            "label": label,
            "empty": empty,
            "options": choices,
            "current": request.GET.get(name, ""),
            "errors": errors.get(name, []),
        }
        for name, (label, empty, choices) in options.items()
    ]


def resource_page_context(request: HttpRequest, resource: Resource, **forms) -> dict:
    """Everything the resource page shows; `forms` carries bound forms with errors after a failed action."""
    learner = request.user if request.user.is_authenticated else None
    return {
        "resource": resource,
        "prerequisites": selectors.resource_prerequisite_checks(resource=resource, learner=learner),
        "next_after": selectors.resource_next_after(resource=resource, learner=request.user),
        "social_proof": selectors.resource_social_proof(resource_ids=[resource.pk]),
        **progress_controls_context(request, resource, **forms),
    }


def progress_controls_context(request: HttpRequest, resource: Resource, **forms) -> dict:
    return {
        "resource": resource,
        "state": selectors.learner_resource_state(learner=request.user, resource=resource),
        "status_actions": STATUS_ACTIONS,
        "progress_form": forms.get("progress_form") or ProgressForm(),
        "dismissal_form": forms.get("dismissal_form") or DismissalForm(),
        "next": back_url(request, resource.get_absolute_url()) if request.method == "POST" else request.get_full_path(),
    }


def resource_detail(request: HttpRequest, slug: str) -> HttpResponse:
    resource = selectors.resource_get(slug=slug)
    return render(request, "learning/resource_detail.html", resource_page_context(request, resource))


def path_list(request: HttpRequest) -> HttpResponse:
    context = {"paths": selectors.paths_for_learner(learner=request.user)}
    if request.user.is_authenticated:
        goals = selectors.learner_goal_slugs(learner=request.user)
        initial = {"goal": goals[0]} if goals else {}  # the goal chosen at onboarding, pre-selected
        form = PlanForm(
            request.GET if "goal" in request.GET else None, initial=initial, topics=selectors.topic_choices()
        )
        context["plan_form"] = form
        if form.is_valid():
            from recommender.plans import path_plan  # learning never imports recommender at module level

            context["plan"] = path_plan(
                learner=request.user, goal_topic=form.goal_topic(), thorough=form.cleaned_data["thorough"]
            )
    return render(request, "learning/path_list.html", context)


@login_required
@require_POST
def plan_save(request: HttpRequest) -> HttpResponse:
    """Save the plan shown on the paths page as the learner's own followable path."""
    form = PlanForm(request.POST, topics=selectors.topic_choices())
    if not form.is_valid():
        messages.error(request, _("Choose a goal topic to plan a path to."))
        return redirect("learning:path-list")
    from recommender.saved_plans import saved_plan_save  # learning never imports recommender at module level

    try:
        path = saved_plan_save(
            learner=request.user, goal_topic=form.goal_topic(), thorough=form.cleaned_data["thorough"]
        )
    except LearningError as error:
        messages.error(request, error.message)
        return redirect("learning:path-list")
    messages.success(
        request,
        _("Saved: %(title)s. You follow it now; it re-plans when what you know changes.") % {"title": path.title},
    )
    return redirect(path.get_absolute_url())


def path_detail(request: HttpRequest, slug: str) -> HttpResponse:
    path = selectors.path_get(slug=slug, learner=request.user)
    steps = selectors.path_steps_with_state(path=path, learner=request.user)
    context = {
        "path": path,
        "steps": steps,
        "progress": selectors.path_progress(steps),
        "followed": selectors.learner_follows(learner=request.user, path=path),
    }
    if request.user.is_authenticated:
        # A learner can share their own saved plan or a curated path they follow (with their progress on it).
        context["shareable"] = path.owner_id == request.user.pk or (context["followed"] and path.owner_id is None)
        context["share"] = learner_path_share(learner=request.user, path=path) if context["shareable"] else None
    return render(request, "learning/path_detail.html", context)


def topic_map(request: HttpRequest) -> HttpResponse:
    return render(request, "learning/topic_map.html", topic_map_context(request))


@dataclass(frozen=True)
class TopicRow:
    """One row of the layered map, as the list view shows it: topics with the names of what they need."""

    number: int
    topics: list[tuple[selectors.TopicNode, list[str]]]


def topic_map_context(request: HttpRequest) -> dict:
    """The drawn map, its legend and the same graph as a list of rows (with the marking forms for a learner)."""
    learner = request.user if request.user.is_authenticated else None
    graph = selectors.topic_map(learner=learner)
    nodes = [
        charts.MapNode(key=n.pk, label=n.name, url=reverse("learning:topic-detail", args=[n.slug]), state=n.state)
        for n in graph.nodes
    ]
    by_pk = {node.pk: node for node in graph.nodes}
    requires: dict[int, list[str]] = {}
    for topic, prerequisite in graph.edges:
        requires.setdefault(topic, []).append(by_pk[prerequisite].name)
    rows = [
        TopicRow(number, [(by_pk[pk], sorted(requires.get(pk, []))) for pk in row])
        for number, row in enumerate(charts.topic_map.map_rows(nodes, graph.edges), start=1)
    ]
    return {
        "graph": graph,
        "rows": rows,
        "svg": charts.topic_map_svg(nodes, graph.edges, title=_("Topic prerequisite map")),
        "counts": graph.state_counts() if learner else None,
        "state_labels": charts.topic_map.STATE_LABELS,
        "marks": TopicMark.choices,
    }


def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = selectors.topic_get(slug=slug)
    statuses = selectors.learner_resource_labels(learner=request.user, resources=list(topic.resources.all()))
    context = {"topic": topic, "statuses": statuses}
    if request.user.is_authenticated:
        mark = selectors.learner_topic_mark(learner=request.user, topic=topic)
        node = selectors.TopicNode(pk=topic.pk, slug=topic.slug, name=topic.name, state=None, mark=mark)
        context |= {"node": node, "marks": TopicMark.choices, "mark_next": topic.get_absolute_url()}
    return render(request, "learning/topic_detail.html", context)
