"""Suggested actions for curators, from a few simple rules over what learners did (learning/selectors/insights.py).

The rules, each only where enough learners stand behind it (MIN_LEARNERS):

1. Too hard for beginners: a beginner resource that at least TOO_HARD_SHARE (30%) of the beginners who dismissed it
   dismissed as "too hard" (and at least MIN_LEARNERS beginners dismissed it) -> consider making it intermediate.
2. Review: a resource at least MIN_LEARNERS learners started, with a completion rate under LOW_COMPLETION_RATE
   (30%), that at least MIN_LEARNERS learners rated, with a mean rating under LOW_MEAN_RATING (3 of 5).
3. Add resources: a topic that at least MIN_LEARNERS learners of one level have as a goal, with fewer than
   MIN_FITTING_RESOURCES (3) published resources teaching it at that level.
4. Fix the URL: a published resource whose last link check found it broken.

Each action names the row it is about, so the page can link to it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from learning.models import LinkCheck, LinkHealth, PublicationStatus, Resource
from learning.models.choices import Level
from learning.selectors.insights import MIN_LEARNERS, catalog_activity, topic_demand

TOO_HARD_SHARE = 0.30
LOW_COMPLETION_RATE = 0.30
LOW_MEAN_RATING = 3.0
MIN_FITTING_RESOURCES = 3


class ActionKind:
    CONSIDER_INTERMEDIATE = "consider_intermediate"
    REVIEW = "review"
    ADD_RESOURCES = "add_resources"
    FIX_URL = "fix_url"


@dataclass(frozen=True)
class SuggestedAction:
    kind: str  # an ActionKind value
    model: str  # "resource" or "topic": which admin row it links to
    object_id: int
    subject: str  # the resource's title or the topic's name
    advice: str
    evidence: str


def suggested_actions() -> list[SuggestedAction]:
    """Every action the rules suggest now, broken links first (they hurt every learner), then by subject."""
    resources = {
        row["pk"]: row
        for row in Resource.objects.published().select_related(None).order_by().values("pk", "title", "level")
    }
    actions = _broken_links()
    for resource_id, item in catalog_activity().by_resource.items():
        resource = resources.get(resource_id)
        if resource is None:
            continue
        if (
            resource["level"] == Level.BEGINNER
            and item.beginner_dismissals >= MIN_LEARNERS
            and item.beginner_too_hard / item.beginner_dismissals >= TOO_HARD_SHARE
        ):
            actions.append(
                SuggestedAction(
                    ActionKind.CONSIDER_INTERMEDIATE,
                    "resource",
                    resource_id,
                    resource["title"],
                    _("Consider marking it intermediate."),
                    _("%(share)d%% of the %(base)d beginners who dismissed it found it too hard.")
                    % {
                        "share": round(100 * item.beginner_too_hard / item.beginner_dismissals),
                        "base": item.beginner_dismissals,
                    },
                )
            )
        rate, mean = item.completion_rate, item.mean_rating
        if (
            item.starts >= MIN_LEARNERS
            and item.raters >= MIN_LEARNERS
            and rate is not None
            and mean is not None
            and rate < LOW_COMPLETION_RATE
            and mean < LOW_MEAN_RATING
        ):
            actions.append(
                SuggestedAction(
                    ActionKind.REVIEW,
                    "resource",
                    resource_id,
                    resource["title"],
                    _("Review it: few finish it and those who rate it rate it low."),
                    _(
                        "%(rate)d%% of %(starts)d learners who started it finished; mean rating %(mean).1f of 5 from "
                        "%(raters)d learners."
                    )
                    % {"rate": round(100 * rate), "starts": item.starts, "mean": mean, "raters": item.raters},
                )
            )
    actions.extend(_thin_goal_topics())
    order = {ActionKind.FIX_URL: 0, ActionKind.REVIEW: 1, ActionKind.CONSIDER_INTERMEDIATE: 2}
    return sorted(actions, key=lambda action: (order.get(action.kind, 3), action.subject))


def _broken_links() -> list[SuggestedAction]:
    checks = (
        LinkCheck.objects.filter(health=LinkHealth.BROKEN, resource__status=PublicationStatus.PUBLISHED)
        .select_related("resource")
        .only("resource__title", "resource_id", "status_code", "error", "consecutive_failures", "health")
    )
    return [
        SuggestedAction(
            ActionKind.FIX_URL,
            "resource",
            check.resource_id,
            check.resource.title,
            _("Fix the URL: the link is broken."),
            _("Last check: %(outcome)s, %(failures)d check(s) in a row.")
            % {"outcome": check.error or check.status_code, "failures": check.consecutive_failures},
        )
        for check in checks
    ]


def _thin_goal_topics() -> list[SuggestedAction]:
    demand = topic_demand()
    actions = []
    for (topic_id, level), learners in sorted(demand.goal_learners.items()):
        fitting = demand.resources.get((topic_id, level), 0)
        if learners < MIN_LEARNERS or fitting >= MIN_FITTING_RESOURCES or topic_id not in demand.names:
            continue
        level_label = Level(level).label.lower()
        actions.append(
            SuggestedAction(
                ActionKind.ADD_RESOURCES,
                "topic",
                topic_id,
                demand.names[topic_id],
                _("Add %(level)s resources teaching it.") % {"level": level_label},
                _(
                    "%(learners)d %(level)s learners have it as a goal; %(fitting)d published %(level)s resource(s) "
                    "teach it."
                )
                % {"learners": learners, "level": level_label, "fitting": fitting},
            )
        )
    return actions
