"""Checks one row of a catalog file at a time and turns it into a typed row, collecting every problem."""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from learning.exceptions import add_problem
from learning.models import LearningPath, PathStep, PublicationStatus, Resource, Topic

PROVIDER_MAX_LENGTH = 100
TOPIC_FIELDS = {"slug": str, "name": str, "summary": str, "prerequisites": list}
TOPIC_REQUIRED = {"slug", "name"}

RESOURCE_SCALARS = ("slug", "title", "kind", "url", "provider", "summary", "level", "estimated_minutes", "cost")
RESOURCE_FIELDS = {
    **dict.fromkeys(RESOURCE_SCALARS, str),
    "estimated_minutes": int,
    "status": str,
    "frameworks": list,
    "topics": list,
    "touches": list,
    "prerequisites": list,
}
RESOURCE_REQUIRED = {*RESOURCE_SCALARS, "frameworks", "topics"}

PATH_SCALARS = ("slug", "title", "summary", "level")
PATH_FIELDS = {**dict.fromkeys(PATH_SCALARS, str), "status": str, "goal_topics": list, "steps": list}
PATH_REQUIRED = {*PATH_SCALARS, "steps"}
STEP_FIELDS = {"resource": str, "required": bool, "note": str}


@dataclass
class TopicRow:
    label: str
    slug: str
    name: str
    summary: str
    prerequisites: list[str]


@dataclass
class ResourceRow:
    label: str
    fields: dict[str, Any]
    frameworks: list[str]
    topics: list[str]
    prerequisites: list[str]
    touches: list[str] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.fields["slug"]


@dataclass
class StepRow:
    resource: str
    required: bool
    note: str


@dataclass
class PathRow:
    label: str
    fields: dict[str, Any]
    goal_topics: list[str]
    steps: list[StepRow] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.fields["slug"]


class RowProblems:
    """Collects problems for one row, under the row's label."""

    def __init__(self, label: str, sink: dict[str, list[str]]) -> None:
        self.label = label
        self.sink = sink
        self.count = 0

    def add(self, message: str) -> None:
        self.count += 1
        add_problem(self.sink, self.label, message)


def check_shape(raw: Any, spec: dict[str, type], required: set[str], problems: RowProblems) -> bool:
    """Keys present and of the right JSON type; False when the row is too broken to look at further."""
    if not isinstance(raw, dict):
        problems.add(f"expected an object, got {type(raw).__name__}")
        return False
    for key in sorted(required - raw.keys()):
        problems.add(f"missing field '{key}'")
    for key in sorted(raw.keys() - spec.keys()):
        problems.add(f"unknown field '{key}'")
    for key, expected in spec.items():
        value = raw.get(key)
        if value is None:
            if key in raw:
                problems.add(f"'{key}' must be {_type_name(expected)}, got null (leave it out to use the default)")
            continue
        # bool is an int in Python; a minutes value of `true` is still a mistake.
        wrong_bool = expected is int and isinstance(value, bool)
        if expected is int and (wrong_bool or not isinstance(value, int)):
            problems.add(f"{key}: {field_noun(key)} must be a whole number, got {value!r}")
        elif wrong_bool or not isinstance(value, expected):
            problems.add(f"'{key}' must be {_type_name(expected)}, got {type(value).__name__}")
        elif expected is list and not all(isinstance(item, str) for item in value) and key != "steps":
            problems.add(f"'{key}' must be a list of slugs (strings)")
    return problems.count == 0


def _type_name(expected: type) -> str:
    return {str: "a string", int: "an integer", list: "a list", bool: "true or false"}[expected]


# What a curator calls a field in a message about its value ("minutes must be at least 1").
FIELD_NOUNS = {"estimated_minutes": "minutes", "position": "position"}
# Bounds in the curator's terms; Django's own wording ("Ensure this value is greater than or equal to 1.") names
# no field, which reads badly in a list of problems from a file.
BOUND_MESSAGES = {
    "min_value": "{noun} must be at least {limit_value}",
    "max_value": "{noun} must be at most {limit_value}",
}


def field_noun(name: str) -> str:
    return FIELD_NOUNS.get(name, name.replace("_", " "))


def check_model_fields(instance, exclude: list[str], problems: RowProblems) -> None:
    """Reuse the model's own field validation (choices, lengths, URL and slug syntax)."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for name, errors in sorted(error.error_dict.items()):
            for field_error in errors:
                problems.add(f"{name}: {_curator_message(name, field_error)}")


def _curator_message(name: str, error: ValidationError) -> str:
    template = BOUND_MESSAGES.get(error.code or "")
    if template and error.params and "limit_value" in error.params:
        return template.format(noun=field_noun(name), limit_value=error.params["limit_value"])
    return error.messages[0]


def topic_row(raw: Any, label: str, sink: dict[str, list[str]]) -> TopicRow | None:
    """None only when the row's shape is too broken to check it against other rows."""
    problems = RowProblems(label, sink)
    if not check_shape(raw, TOPIC_FIELDS, TOPIC_REQUIRED, problems):
        return None
    row = TopicRow(
        label=label,
        slug=raw["slug"],
        name=raw["name"],
        summary=raw.get("summary") or "",
        prerequisites=list(raw.get("prerequisites") or []),
    )
    check_model_fields(Topic(slug=row.slug, name=row.name, summary=row.summary), ["prerequisites"], problems)
    if row.slug in row.prerequisites:
        problems.add("a topic cannot be its own prerequisite")
    return row


def resource_row(raw: Any, label: str, sink: dict[str, list[str]]) -> ResourceRow | None:
    problems = RowProblems(label, sink)
    if not check_shape(raw, RESOURCE_FIELDS, RESOURCE_REQUIRED, problems):
        return None
    fields = {name: raw[name] for name in RESOURCE_SCALARS}
    fields["status"] = raw.get("status") or PublicationStatus.DRAFT
    row = ResourceRow(
        label=label,
        fields=fields,
        frameworks=list(raw["frameworks"]),
        topics=list(raw["topics"]),
        prerequisites=list(raw.get("prerequisites") or []),
        touches=list(raw.get("touches") or []),
    )
    # The provider is matched by name or alias later (learning.services.catalog.providers), not a row field here.
    model_fields = {name: value for name, value in fields.items() if name != "provider"}
    check_model_fields(
        Resource(**model_fields), ["provider", "frameworks", "topics", "touches", "prerequisites"], problems
    )
    if not fields["provider"].strip() or len(fields["provider"]) > PROVIDER_MAX_LENGTH:
        problems.add(f"provider: give the provider's name or alias (1 to {PROVIDER_MAX_LENGTH} characters)")
    if not row.frameworks:
        problems.add("frameworks: list at least one framework (use 'none' for framework-free material)")
    if not row.topics:
        problems.add("topics: list at least one topic the resource teaches")
    for slug in sorted(set(row.topics) & set(row.touches)):
        problems.add(f"touches: '{slug}' is already listed in topics (a resource teaches a topic or only touches it)")
    return row


def path_row(raw: Any, label: str, sink: dict[str, list[str]]) -> PathRow | None:
    problems = RowProblems(label, sink)
    if not check_shape(raw, PATH_FIELDS, PATH_REQUIRED, problems):
        return None
    fields = {name: raw[name] for name in PATH_SCALARS}
    fields["status"] = raw.get("status") or PublicationStatus.DRAFT
    row = PathRow(label=label, fields=fields, goal_topics=list(raw.get("goal_topics") or []))
    check_model_fields(LearningPath(**fields), ["goal_topics", "resources"], problems)
    if not raw["steps"]:
        problems.add("steps: a path needs at least one step")
    for position, raw_step in enumerate(raw["steps"], start=1):
        step_problems = RowProblems(f"{label} step {position}", sink)
        if check_shape(raw_step, STEP_FIELDS, {"resource"}, step_problems):
            step = StepRow(
                resource=raw_step["resource"],
                required=raw_step.get("required", True),
                note=raw_step.get("note") or "",
            )
            check_model_fields(PathStep(position=position, note=step.note), ["path", "resource"], step_problems)
            row.steps.append(step)
        problems.count += step_problems.count
    return row
