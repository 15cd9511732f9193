"""A signed-in learner's own pages: onboarding, the dashboard, progress charts and the account."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from learning import charts, selectors, services
from learning.exceptions import LearningError
from learning.forms import (
    AccountDeleteForm,
    DismissalForm,
    OnboardingForm,
    ProfileForm,
    RemindersForm,
    add_learning_error,
)
from learning.models import ProgressStatus, TopicState
from learning.models.choices import COVERED_TOPIC_STATES
from learning.services.web_onboarding import learner_onboard
from learning.views.common import saved_plans_follow

RECOMMENDATIONS = 7  # the next step and six more
IN_PROGRESS_SHOWN = 6


@login_required
def onboarding(request: HttpRequest) -> HttpResponse:
    profile = selectors.learner_profile_with_choices(user=request.user)
    if request.method == "POST" and "skip" in request.POST:
        services.profile_update(user=request.user, onboarded=True)
        messages.info(request, _("You can set up your profile any time from your account page."))
        return redirect("learning:dashboard")
    followed = selectors.learner_followed_path_ids(learner=request.user)
    form = OnboardingForm(
        request.POST if request.method == "POST" else None, initial=OnboardingForm.initial_for(profile, followed)
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            learner_onboard(
                user=request.user,
                level=data["level"],
                weekly_hours=data["weekly_hours"],
                goal_topic_ids=[t.pk for t in data["goal_topics"]],
                known_topic_ids=[t.pk for t in data["known_topics"]],
                framework_ids=[f.pk for f in data["frameworks"]],
                path_ids=[p.pk for p in data["goal_paths"]],
            )
        except LearningError as error:
            add_learning_error(form, error, {"paths": "goal_paths"})
        else:
            saved_plans_follow(request.user)
            messages.success(request, _("Your profile is saved. Here is where to go next."))
            return redirect("learning:dashboard")
    status = 400 if form.is_bound else 200
    return render(request, "learning/onboarding.html", {"form": form, "profile": profile}, status=status)


def _recommendations(learner) -> list:
    from recommender.selectors import recommendation_list  # learning never imports recommender at module level

    return recommendation_list(learner=learner, limit=RECOMMENDATIONS)


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    profile = selectors.learner_profile_get(user=request.user)
    recommendations = _recommendations(request.user)
    context = {
        "profile": profile,
        "next_step": recommendations[0] if recommendations else None,
        "recommendations": recommendations[1:],
        "in_progress": list(
            selectors.learner_progress(learner=request.user, status=ProgressStatus.IN_PROGRESS)[:IN_PROGRESS_SHOWN]
        ),
        "paths": selectors.followed_paths_progress(learner=request.user, weekly_hours=profile.weekly_hours),
        "dismissal_form": DismissalForm(),
        "social_proof": selectors.resource_social_proof(resource_ids=[item.resource.pk for item in recommendations]),
    }
    return render(request, "learning/dashboard.html", context)


@login_required
@require_GET
def progress(request: HttpRequest) -> HttpResponse:
    weeks = selectors.learner_weekly_activity(learner=request.user)
    graph = selectors.topic_map(learner=request.user)
    counts = graph.state_counts()
    covered = sum(counts[state] for state in COVERED_TOPIC_STATES)
    this_week = weeks[-1]
    context = {
        "streak": selectors.learner_streak(learner=request.user),
        "this_week": this_week,
        "completions_chart": charts.bar_chart(
            [_bar(week, week.completions, "completion") for week in weeks],
            title=_("Resources completed per week"),
            chart_id="completions-chart",
        ),
        "minutes_chart": charts.bar_chart(
            [_bar(week, week.minutes, "minute") for week in weeks],
            title=_("Estimated minutes of completed material per week"),
            chart_id="minutes-chart",
        ),
        "coverage_chart": charts.stacked_bar(
            [charts.Segment(state.label, counts[state], f"tm-{state}") for state in TopicState],
            title=_("Topic coverage: %(covered)d of %(total)d topics covered")
            % {"covered": covered, "total": len(graph.nodes)},
            chart_id="coverage-chart",
        ),
        "coverage": [(state, state.label, counts[state]) for state in TopicState],
        "covered": covered,
        "topic_total": len(graph.nodes),
        "goals": selectors.learner_goal_coverage(learner=request.user, topic_map=graph),
        "recent": list(selectors.learner_progress(learner=request.user)[:10]),
    }
    return render(request, "learning/progress.html", context)


WEEK_DESCRIPTIONS = {
    "completion": lambda n: ngettext(
        "Week of %(week)s: %(count)d completion", "Week of %(week)s: %(count)d completions", n
    ),
    "minute": lambda n: ngettext("Week of %(week)s: %(count)d minute", "Week of %(week)s: %(count)d minutes", n),
}


def _bar(week: selectors.WeekActivity, value: int, unit: str) -> charts.Bar:
    current = week.start == selectors.week_start(timezone.localdate())
    label = _("This week") if current else date_format(week.start, "j M")
    description = WEEK_DESCRIPTIONS[unit](value) % {"week": date_format(week.start, "j F"), "count": value}
    return charts.Bar(label=label, value=value, description=description)


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The learning profile and, as a second form on the page (its button named `reminders`), the weekly goal and
    digest reminder; each saves through `profile_update`."""
    profile = selectors.learner_profile_with_choices(user=request.user)
    posted = request.POST if request.method == "POST" else None
    reminders_posted = posted is not None and "reminders" in posted
    form = ProfileForm(None if reminders_posted else posted, initial=ProfileForm.initial_for(profile))
    reminders_form = RemindersForm(posted if reminders_posted else None, initial=RemindersForm.initial_for(profile))
    bound = reminders_form if reminders_posted else form
    if bound.is_valid():
        data = bound.cleaned_data
        if reminders_posted:
            changes = {name: data[name] for name in ("weekly_goal_minutes", "reminder_day", "reminder_channel")}
        else:
            changes = {
                "level": data["level"],
                "weekly_hours": data["weekly_hours"],
                "framework_ids": [f.pk for f in data["frameworks"]],
            }
        try:
            services.profile_update(user=request.user, **changes)
        except LearningError as error:
            add_learning_error(bound, error)
        else:
            saved_plans_follow(request.user)
            messages.success(
                request, _("Your reminders are saved.") if reminders_posted else _("Your profile is saved.")
            )
            return redirect("learning:account")
    status = 400 if bound.is_bound else 200
    context = {"form": form, "reminders_form": reminders_form, "profile": profile}
    return render(request, "learning/account.html", context, status=status)


@login_required
@require_GET
def account_export(request: HttpRequest) -> HttpResponse:
    data = selectors.learner_data_export(user=request.user)
    response = HttpResponse(json.dumps(data, indent=2), content_type="application/json")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="deeppath-{request.user.pk}-{stamp}.json"'
    return response


@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST if request.method == "POST" else None, user=request.user)
    if form.is_valid():
        user = request.user
        services.account_delete(user=user)
        logout(request)
        messages.success(request, _("Your account and all your data are deleted. Thank you for learning with us."))
        return redirect(reverse("learning:home"))
    status = 400 if form.is_bound else 200
    return render(request, "learning/account_delete.html", {"form": form}, status=status)
