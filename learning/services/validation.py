"""Input checked against the models' own field rules (choices, validators), so no service restates a range."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext

from learning.exceptions import LearningError


def field_problems(model: type[models.Model], values: Mapping[str, object]) -> dict[str, list[str]]:
    """What the model's fields would refuse among `values` (field name -> value; None means "not given").

    Each value goes through its field's `clean` (choices, validators, blank), as `full_clean` would, without the
    uniqueness and foreign-key queries a whole row's check costs. A whole-number field also refuses what is not an
    int (a bool, or 2.5 that `clean` would quietly read as 2).
    """
    problems: dict[str, list[str]] = {}
    for name, value in values.items():
        if value is None:
            continue
        field = model._meta.get_field(name)
        if isinstance(field, models.IntegerField) and (isinstance(value, bool) or not isinstance(value, int)):
            problems[name] = [gettext("Enter a whole number.")]
            continue
        try:
            field.clean(value, None)  # type: ignore[union-attr]  # a concrete field: get_field(name) of a column
        except ValidationError as error:
            problems[name] = list(error.messages)
    return problems


def fields_check(model: type[models.Model], message: str, values: Mapping[str, object]) -> None:
    """Raise `LearningError(message, problems)` when the model's fields refuse any of `values`."""
    if problems := field_problems(model, values):
        raise LearningError(message, problems)
