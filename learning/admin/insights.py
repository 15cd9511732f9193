"""The admin's "Insights" section: what learners do with each resource, path and topic, and suggested actions.

Thin views over learning/selectors/insights.py and insight_rules.py; the charts are server-rendered SVG.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from learning.charts.hbars import HBar, hbar_chart
from learning.models import DismissalReason, Level, Resource
from learning.selectors.insight_rules import suggested_actions
from learning.selectors.insights import (
    MIN_LEARNERS,
    ORDERINGS,
    catalog_activity,
    path_funnel,
    path_summaries,
    resource_insight,
    resource_insights,
    topic_insights,
)

VIEW_PERMISSION = "learning.view_resource"


def _render(request: HttpRequest, template: str, title: str, **context) -> TemplateResponse:
    if not request.user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied
    context = {
        **admin.site.each_context(request),
        "title": title,
        "min_learners": MIN_LEARNERS,
        "opts": Resource._meta,
        **context,
    }
    return TemplateResponse(request, f"admin/insights/{template}", context)


def insights_index(request: HttpRequest) -> HttpResponse:
    actions = suggested_actions()
    return _render(request, "index.html", _("Insights"), actions=actions, counted_at=catalog_activity().counted_at)


def resources_view(request: HttpRequest) -> HttpResponse:
    order = request.GET.get("order", "starts")
    order = order if order in ORDERINGS else "starts"
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    listing = resource_insights(order=order, page=page)
    orderings = [
        ("starts", _("starts")),
        ("completion", _("lowest completion rate")),
        ("dismissals", _("dismissals")),
        ("title", _("title")),
    ]
    return _render(
        request, "resources.html", _("Insights: resources"), listing=listing, order=order, orderings=orderings
    )


def resource_view(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource, insight = resource_insight(resource_id=resource_id)
    ratings_chart = dismissals_chart = None
    if insight.ratings is not None:
        rows = [HBar(_("%(stars)d of 5") % {"stars": stars}, count) for stars, count in insight.ratings.items()]
        ratings_chart = hbar_chart(
            rows, title=_("Ratings of %(title)s") % {"title": resource.title}, chart_id="ratings"
        )
    if insight.dismissals is not None:
        labels = dict(DismissalReason.choices)
        rows = [HBar(str(labels.get(reason, reason)), count) for reason, count in insight.dismissals.items()]
        dismissals_chart = hbar_chart(
            rows, title=_("Why learners dismissed %(title)s") % {"title": resource.title}, chart_id="dismissals"
        )
    return _render(
        request,
        "resource.html",
        _("Insights: %(title)s") % {"title": resource.title},
        resource=resource,
        insight=insight,
        ratings_chart=ratings_chart,
        dismissals_chart=dismissals_chart,
    )


def paths_view(request: HttpRequest) -> HttpResponse:
    return _render(request, "paths.html", _("Insights: paths"), paths=path_summaries())


def path_view(request: HttpRequest, path_id: int) -> HttpResponse:
    funnel = path_funnel(path_id=path_id)
    rows = [
        HBar(
            f"{step.position}. {step.title}",
            step.reached,
            marked=step.loses_most,
            note=_("most learners stop here") if step.loses_most else "",
        )
        for step in funnel.steps
    ]
    chart = hbar_chart(
        rows, title=_("Learners reaching each step of %(title)s") % {"title": funnel.path.title}, chart_id="funnel"
    )
    return _render(
        request, "path.html", _("Insights: %(title)s") % {"title": funnel.path.title}, funnel=funnel, chart=chart
    )


def topics_view(request: HttpRequest) -> HttpResponse:
    topics = topic_insights()
    rows = [HBar(topic.name, topic.goal_learners) for topic in topics if topic.goal_learners is not None]
    chart = hbar_chart(rows, title=_("Learners with each topic as a goal"), chart_id="goals") if rows else None
    levels = [label for _value, label in Level.choices]
    return _render(request, "topics.html", _("Insights: topics"), topics=topics, chart=chart, levels=levels)


def insights_urls() -> list[URLPattern]:
    """Mounted under /admin/insights/ (config/urls.py); every view needs a staff login."""
    view = admin.site.admin_view
    return [
        path("", view(insights_index), name="index"),
        path("resources/", view(resources_view), name="resources"),
        path("resources/<int:resource_id>/", view(resource_view), name="resource"),
        path("paths/", view(paths_view), name="paths"),
        path("paths/<int:path_id>/", view(path_view), name="path"),
        path("topics/", view(topics_view), name="topics"),
    ]
