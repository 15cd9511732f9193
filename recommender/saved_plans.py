"""Saving a plan as the learner's own followable path, and re-planning saved plans when what they know changes."""

from learning.exceptions import LearningError
from learning.models import LearnerProfile, LearningPath, Topic
from learning.services.paths import saved_plan_store
from recommender.plans import path_plan


def saved_plan_save(*, learner, goal_topic: Topic, thorough: bool = False) -> LearningPath:
    """Plan the route to `goal_topic` now and store it as the learner's own path, which they then follow (it shows
    on the dashboard with progress and a finish date). Raises LearningError when there is nothing to plan."""
    plan = path_plan(learner=learner, goal_topic=goal_topic, thorough=thorough)
    profile = LearnerProfile.objects.filter(user=learner).first()
    return saved_plan_store(
        learner=learner,
        goal=goal_topic,
        thorough=thorough,
        level=profile.level if profile else "beginner",
        resource_ids=[step.resource.pk for step in plan.steps if step.resource is not None],
    )


def saved_plans_replan(*, learner) -> int:
    """Re-plan every saved plan of the learner (after their known topics, level or frameworks changed); a plan whose
    goal is now fully covered keeps its steps. Returns how many were re-planned."""
    count = 0
    for path in LearningPath.objects.filter(owner=learner, planned_goal__isnull=False).select_related("planned_goal"):
        goal = path.planned_goal
        if goal is None:
            continue
        try:
            saved_plan_save(learner=learner, goal_topic=goal, thorough=path.planned_thorough)
        except LearningError:
            continue
        count += 1
    return count
