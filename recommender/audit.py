"""Learner personas and the properties every next step must have, checked against the catalog in the database.

Shared by `tests/recommender/test_next_steps.py` (on the shipped catalog) and `manage.py audit_next_steps` (on the
current database, for curators after a catalog edit). Each property is checked from the database's own rows,
independently of the recommender's arrays, so a bug in either shows.
"""

import random
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.test import APIClient

from learning.models import Framework, LearnerProfile, Resource, Topic, TopicPrerequisite
from learning.models.choices import COVERING_STATUSES, LEVEL_RANK, Level, ProgressStatus
from learning.selectors import learner_covered_topic_ids
from learning.services import progress_record
from learning.services.learners import profile_update
from recommender.plans import path_plan
from recommender.reasons import REASON_CODES
from recommender.selectors import recommendation_list

MATHS = ("linear-algebra", "calculus", "probability-statistics")
FOUNDATIONS = (
    *MATHS,
    "python",
    "numpy",
    "machine-learning-basics",
    "neural-networks",
    "activation-functions",
    "loss-functions",
    "backpropagation",
    "optimizers",
    "regularization",
)
DEFAULT_PLAN_GOAL = "transformers"  # planned for personas without a goal of their own
TOP = 10
ROUTE_REASONS = {"next_in_path", "path_start", "unlocks", "goal_needs", "goal", "saved"}


@dataclass(frozen=True)
class Persona:
    name: str
    level: str = "beginner"
    frameworks: tuple[str, ...] = ()
    known: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    completions: int = 0  # finished by taking the next step this many times
    onboarded: bool = True


PERSONAS = [
    Persona("skipped-onboarding", onboarded=False),
    Persona("beginner-nothing-known"),
    Persona("beginner-pytorch", frameworks=("pytorch",)),
    Persona("beginner-keras-known-maths", frameworks=("tensorflow",), known=(*MATHS, "python", "numpy")),
    Persona("intermediate-jax", level="intermediate", frameworks=("jax",), known=MATHS),
    Persona("advanced-foundations-pytorch", level="advanced", frameworks=("pytorch",), known=(*FOUNDATIONS, "pytorch")),
    Persona("cv-goal", level="intermediate", frameworks=("pytorch",), known=FOUNDATIONS, goals=("computer-vision",)),
    Persona("nlp-goal-known-maths", known=(*MATHS, "python", "numpy"), goals=("nlp",)),
    Persona("generative-advanced", level="advanced", known=(*FOUNDATIONS, "cnns"), goals=("generative-models",)),
    Persona("rl-goal", level="intermediate", known=FOUNDATIONS, goals=("reinforcement-learning",)),
    Persona("llm-goal", level="intermediate", frameworks=("pytorch",), known=MATHS, goals=("large-language-models",)),
    Persona("five-completions", frameworks=("pytorch",), completions=5),
    Persona("twenty-completions", level="intermediate", completions=20, goals=("transformers",)),
    # Found by `audit_next_steps --random`: a stepping stone kept its locked item's rank in a framework the learner
    # did not choose; a goal whose every resource needs a topic off its route (speech needs transformers) got no step.
    Persona(
        "framework-free-only",
        level="intermediate",
        frameworks=("none",),
        known=("machine-learning-basics", "probability-statistics", "pytorch", "reinforcement-learning"),
        goals=("neural-networks", "activation-functions"),
    ),
    Persona(
        "speech-goal-framework-free",
        level="intermediate",
        frameworks=("none",),
        known=("linear-algebra",),
        goals=("speech-audio", "finance-applications"),
        completions=3,
    ),
]


def random_personas(count: int, seed: int) -> list[Persona]:
    """Personas drawn from the database's own topics and frameworks: other known topics, goals, levels and
    frameworks than the fixed list, so a rule that only holds for the listed personas shows. Same seed, same list."""
    rng = random.Random(seed)
    topics = sorted(Topic.objects.values_list("slug", flat=True))
    frameworks = sorted(Framework.objects.values_list("slug", flat=True))
    levels = [level.value for level in Level]
    personas = []
    for number in range(count):
        known = rng.sample(FOUNDATIONS, rng.randint(0, len(FOUNDATIONS))) + rng.sample(topics, rng.randint(0, 4))
        personas.append(
            Persona(
                f"random-{seed}-{number}",
                level=rng.choice(levels),
                frameworks=tuple(rng.sample(frameworks, rng.randint(0, min(2, len(frameworks))))),
                known=tuple(sorted(set(known))),
                goals=tuple(rng.sample(topics, rng.randint(0, min(2, len(topics))))),
                completions=rng.choice((0, 0, 1, 3, 8)),
                onboarded=rng.random() > 0.1,
            )
        )
    return personas


@dataclass
class Outcome:
    persona: str
    results: dict[str, str] = field(default_factory=dict)  # property -> "" when it holds, else what failed

    @property
    def ok(self) -> bool:
        return not any(self.results.values())


PROPERTIES = (
    "nothing_known",
    "first_ready",
    "level_fit",
    "framework_fit",
    "honest_reasons",
    "no_repeats",
    "plan_complete",
    "plan_bound",
    "web_api_same",
    "moves_on",
)


def make_learner(persona: Persona, username: str):
    user = get_user_model().objects.create_user(username=username, password=None)
    slugs = lambda model, values: list(model.objects.filter(slug__in=values).values_list("pk", flat=True))  # noqa: E731
    if persona.onboarded:
        profile_update(
            user=user,
            level=persona.level,
            goal_topic_ids=slugs(Topic, persona.goals),
            known_topic_ids=slugs(Topic, persona.known),
            framework_ids=slugs(Framework, persona.frameworks),
            onboarded=True,
        )
    for _ in range(persona.completions):
        items = recommendation_list(learner=user, limit=1)
        if not items:
            break
        progress_record(
            learner=user, resource=Resource.objects.get(pk=items[0].resource.id), status=ProgressStatus.COMPLETED
        )
    return user


def _requires() -> dict[int, set[int]]:
    requires: dict[int, set[int]] = {}
    for topic, prerequisite in TopicPrerequisite.objects.values_list("topic_id", "prerequisite_id"):
        requires.setdefault(topic, set()).add(prerequisite)
    return requires


def _below(topics, requires) -> set[int]:
    found, stack = set(), [p for t in topics for p in requires.get(t, ())]
    while stack:
        topic = stack.pop()
        if topic not in found:
            found.add(topic)
            stack.extend(requires.get(topic, ()))
    return found


class Audit:
    """Checks one persona's learner; every method returns "" when the property holds, else a short reason."""

    def __init__(self, persona: Persona, user) -> None:
        self.persona, self.user = persona, user
        self.profile = LearnerProfile.objects.filter(user=user).first()
        self.level = LEVEL_RANK[Level(self.profile.level)] if self.profile else 0
        self.requires = _requires()
        self.covered = learner_covered_topic_ids(learner=user)
        self.items = recommendation_list(learner=user, limit=TOP)
        ids = [item.resource.id for item in self.items]
        self.resources = Resource.objects.in_bulk(ids)
        self.taught = {pk: {t.pk for t in r.topics.all()} for pk, r in self.resources.items()}
        self.frameworks = {pk: {f.slug for f in r.frameworks.all()} for pk, r in self.resources.items()}
        self.chosen = set(persona.frameworks) if persona.onboarded else set()
        self._needs: dict[int, set[int]] = {}  # resource -> topics it needs beyond those it teaches

    def run(self) -> Outcome:
        outcome = Outcome(self.persona.name)
        for name in PROPERTIES:
            try:
                outcome.results[name] = getattr(self, name)()
            except Exception as error:  # noqa: BLE001 - a crash is reported as that property failing
                outcome.results[name] = f"error: {error!r}"
        return outcome

    def _titles(self, pks) -> str:
        return ", ".join(self.resources[pk].title for pk in pks)

    def nothing_known(self) -> str:
        statuses = dict(self.user.progress.values_list("resource_id", "status"))
        bad = [pk for pk in self.resources if self.taught[pk] <= self.covered or statuses.get(pk) in COVERING_STATUSES]
        return f"suggested although known or covered: {self._titles(bad)}" if bad else ""

    def _missing_before(self, pk: int, covered: set[int]) -> set[int]:
        if not self._needs:  # the checks ask about most of the catalog, many times: read it all once, in 3 queries
            for resource in Resource.objects.prefetch_related("topics", "prerequisites"):
                taught = {t.pk for t in resource.topics.all()}
                needed = {p for t in taught for p in self.requires.get(t, ())}
                self._needs[resource.pk] = (needed | {t.pk for t in resource.prerequisites.all()}) - taught
        return self._needs[pk] - covered

    def _open_resources(self) -> list[Resource]:
        """Published resources the learner could be offered: something new to them, not done or dismissed."""
        statuses = dict(self.user.progress.values_list("resource_id", "status"))
        dismissed = set(self.user.dismissals.values_list("resource_id", flat=True))
        return [
            r
            for r in Resource.objects.published().prefetch_related("topics", "prerequisites")
            if r.pk not in statuses and r.pk not in dismissed and not {t.pk for t in r.topics.all()} <= self.covered
        ]

    def first_ready(self) -> str:
        if not self.items:
            left = self._open_resources()
            return f"no next step although {len(left)} resources are new to the learner" if left else ""
        missing = self._missing_before(self.items[0].resource.id, self.covered)
        return f"first step needs {sorted(missing)} first" if missing else ""

    def level_fit(self) -> str:
        levels = [LEVEL_RANK[Level(item.resource.level)] for item in self.items[:5]]
        if self.level == 0 and not self.persona.known and levels.count(0) < 4:
            return f"beginner top 5 levels {levels}: fewer than 4 beginner"
        if self.level == 2 and set(FOUNDATIONS) <= set(self.persona.known) and levels.count(0) > 1:
            return f"advanced top 5 levels {levels}: more than 1 beginner"
        # A step of the learner's own route (their path, goal or what unlocks it) is at the route's level; a filler
        # (popular, similar learners, a new topic) has no such excuse and must fit the learner's level.
        far = [
            item.resource.title
            for item in self.items[:5]
            if abs(LEVEL_RANK[Level(item.resource.level)] - self.level) > 1
            and not {reason.code for reason in item.reasons} & ROUTE_REASONS
        ]
        return f"top 5 levels {levels}: fillers two levels away: {', '.join(far)}" if len(far) > 1 else ""

    def framework_fit(self) -> str:
        if not self.chosen:
            return ""
        bad = [
            i.resource.title for i in self.items[:5] if not self.frameworks[i.resource.id] & (self.chosen | {"none"})
        ]
        return f"top 5 outside the chosen frameworks: {', '.join(bad)}" if bad else ""

    def honest_reasons(self) -> str:
        problems = []
        goals = set(self.profile.goal_topics.values_list("pk", flat=True)) if self.profile else set()
        for item in self.items:
            pk = item.resource.id
            if not item.reasons:
                problems.append(f"{item.resource.title}: no reason")
            for reason in item.reasons:
                wrong = self._reason_problem(reason, pk, goals)
                if wrong:
                    problems.append(f"{item.resource.title}: {reason.text} ({wrong})")
        return "; ".join(problems)

    def _reason_problem(self, reason, pk: int, goals: set[int]) -> str:
        fits_level = abs(LEVEL_RANK[Level(self.resources[pk].level)] - self.level) <= 1
        fits_framework = not self.chosen or bool(self.frameworks[pk] & (self.chosen | {"none"}))
        if reason.code not in REASON_CODES:
            return "unknown code"
        if reason.code in {"goal", "goal_needs"} and not goals:
            return "the learner has no goals"
        if reason.code == "path_start" and "goal" in reason.text and not goals:
            return "the learner has no goals"
        if reason.code == "unlocks" and (reason.topic_id in self.taught[pk] or reason.topic_id in self.covered):
            return "it teaches that topic, or the learner has it"
        if reason.code == "goal" and reason.topic_id not in self.taught[pk] & goals:
            return "it does not teach that goal"
        if reason.code in {"popular", "fits_level"} and not (fits_level and fits_framework):
            return "it does not fit the learner's level and frameworks"
        return ""

    def no_repeats(self) -> str:
        """Two items teaching the same topics at the same level and kind, while a ready resource different from
        every listed one was left out."""
        keys = [(frozenset(self.taught[i.resource.id]), i.resource.level, i.resource.kind) for i in self.items]
        if len(keys) == len(set(keys)):
            return ""
        listed = {i.resource.id for i in self.items}
        for resource in self._open_resources():
            key = (frozenset(t.pk for t in resource.topics.all()), resource.level, resource.kind)
            if resource.pk not in listed and key not in keys and not self._missing_before(resource.pk, self.covered):
                return f"a repeat in the top {TOP} although {resource.title} was available"
        return ""

    def _plan(self):
        goal = self.persona.goals[0] if self.persona.goals else DEFAULT_PLAN_GOAL
        return path_plan(learner=self.user, goal_topic=Topic.objects.get(slug=goal))

    def _teachers_left(self, topic: int) -> list[Resource]:
        """Published resources teaching `topic` that the learner has not finished, skipped or dismissed."""
        statuses = dict(self.user.progress.values_list("resource_id", "status"))
        dismissed = set(self.user.dismissals.values_list("resource_id", flat=True))
        return [
            r
            for r in Resource.objects.published().filter(topics=topic).prefetch_related("frameworks")
            if statuses.get(r.pk) not in COVERING_STATUSES and r.pk not in dismissed
        ]

    def _cheapest(self, rows: list[Resource]) -> Resource | None:
        """The shortest fitting resource (level at most one above, a chosen framework), else the shortest."""
        fitting = [
            r
            for r in rows
            if LEVEL_RANK[Level(r.level)] <= self.level + 1
            and (not self.chosen or {f.slug for f in r.frameworks.all()} & (self.chosen | {"none"}))
        ]
        return min(fitting or rows, key=lambda r: (r.estimated_minutes, r.pk), default=None)

    def _route(self, goal: int) -> set[int]:
        """The topics a plan to `goal` must cover: the goal and what it needs, less what the learner has; plus, for
        a topic whose every resource needs a topic off that route, what its shortest resource needs."""
        needed = (_below({goal}, self.requires) | {goal}) - self.covered
        while True:
            extra: set[int] = set()
            for topic in needed:
                rows = self._teachers_left(topic)
                if not rows or any(not self._missing_before(r.pk, self.covered | needed) for r in rows):
                    continue
                shortest = self._cheapest(rows)
                assert shortest is not None
                more = self._missing_before(shortest.pk, self.covered | needed)
                extra |= (more | _below(more, self.requires)) - self.covered
            if not extra - needed:
                return needed
            needed |= extra

    def plan_complete(self) -> str:
        plan = self._plan()
        needed = self._route(plan.goal.pk)
        taught = set()
        for step in plan.steps:
            if step.resource is not None:
                taught |= {t.pk for t in step.resource.topics.all()}
            elif Resource.objects.published().filter(topics=step.topic).exists():
                return f"{step.topic.name} has no resource although one is published"
        unplanned = needed - taught - {s.topic.pk for s in plan.steps if s.resource is None}
        if unplanned:
            return f"missing topics not covered: {sorted(unplanned)}"
        if plan.steps and plan.steps[0].resource is not None:
            missing = self._missing_before(plan.steps[0].resource.pk, self.covered)
            if missing:
                return f"the plan's first step needs {sorted(missing)} first"
        return ""

    def plan_bound(self) -> str:
        plan = self._plan()
        needed = self._route(plan.goal.pk)
        bound = 0
        for topic in needed:
            rows = [r for r in self._teachers_left(topic) if not self._missing_before(r.pk, self.covered | needed)]
            cheapest = self._cheapest(rows)
            if cheapest is not None:
                bound += cheapest.estimated_minutes
        if plan.total_minutes > bound:
            return f"plan takes {plan.total_minutes} min, more than the bound {bound} min"
        return ""

    def web_api_same(self) -> str:
        if "testserver" not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        web = Client()
        web.force_login(self.user)
        page = web.get("/dashboard/").content.decode()
        web_ids = [int(pk) for pk in re.findall(r'id="rec-(\d+)"', page)]
        api = APIClient()
        api.force_authenticate(self.user)
        body = api.get("/api/v1/me/recommendations/", {"limit": len(web_ids) or 1}).json()
        api_ids = [item["resource"]["id"] for item in body] if web_ids else []
        if web_ids != api_ids:
            return f"dashboard {web_ids} but API {api_ids}"
        goal = self.persona.goals[0] if self.persona.goals else DEFAULT_PLAN_GOAL
        plan_page = web.get("/paths/", {"goal": goal}).content.decode()
        plan_list = plan_page.split('class="steps plan-steps"', 1)[-1].split("</ol>", 1)[0]
        web_steps = re.findall(r'href="/resources/([^/"]+)/"', plan_list)
        api_plan = api.get("/api/v1/me/plan/", {"goal": goal}).json()
        api_steps = [s["resource"]["slug"] for s in api_plan["steps"] if s["resource"]]
        return f"plan page {web_steps} but API {api_steps}" if web_steps != api_steps else ""

    def moves_on(self) -> str:
        if not self.items:
            return ""
        first = self.items[0].resource.id
        progress_record(learner=self.user, resource=Resource.objects.get(pk=first), status=ProgressStatus.COMPLETED)
        after = [item.resource.id for item in recommendation_list(learner=self.user, limit=TOP)]
        if first in after:
            return "the completed first step is still suggested"
        if after and after[0] == first:
            return "the first step did not move on"
        return ""


def audit_persona(persona: Persona, username: str) -> Outcome:
    return Audit(persona, make_learner(persona, username)).run()
