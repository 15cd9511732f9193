from django import forms

from learning.exceptions import NON_FIELD, LearningError
from learning.forms import add_learning_error


class _Form(forms.Form):
    level = forms.CharField(required=False)
    goal_paths = forms.CharField(required=False)


def test_each_field_message_lands_on_its_form_field_colons_and_all():
    form = _Form(data={})
    form.is_valid()
    error = LearningError(
        "Not saved.",
        {"level": ["Must be one of: a, b."], "paths": ["Unknown id(s) 7."], NON_FIELD: ["Try: later."], "x": ["?"]},
    )
    add_learning_error(form, error, {"paths": "goal_paths"})
    assert form.errors["level"] == ["Must be one of: a, b."]
    assert form.errors["goal_paths"] == ["Unknown id(s) 7."]
    assert form.non_field_errors() == ["Try: later.", "x: ?"]


def test_an_error_about_no_field_shows_its_message_above_the_form():
    form = _Form(data={})
    form.is_valid()
    add_learning_error(form, LearningError("This path is not available.", code="not_available"))
    assert form.non_field_errors() == ["This path is not available."]


def test_problems_are_one_line_each_for_command_line_and_admin_listings():
    error = LearningError("2 problems.", {"resources[0] 'a'": ["kind: bad"], NON_FIELD: ["general"]})
    assert error.problems == ["resources[0] 'a': kind: bad", "general"]
    assert str(error) == "2 problems.\n  - resources[0] 'a': kind: bad\n  - general"
    assert LearningError("Empty lists are dropped.", {"level": []}).fields == {}
