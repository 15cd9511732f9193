"""Web forms: they parse and check input shape; the rules live in the services, whose LearningError fields are
shown back on the matching form fields by `add_learning_error`."""

from django import forms
from django.contrib.auth import password_validation
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from learning.exceptions import NON_FIELD, LearningError
from learning.models import (
    DismissalReason,
    Framework,
    LearningPath,
    Level,
    ProgressStatus,
    ReminderChannel,
    Topic,
    TopicMark,
    Weekday,
)
from learning.models.learners import MAX_RATING, MAX_WEEKLY_GOAL_MINUTES, MAX_WEEKLY_HOURS, MIN_RATING
from learning.selectors.catalog import level_rank, topic_groups
from learning.usernames import validate_username

RATINGS = [
    (n, format_lazy(_("{rating} out of {maximum}"), rating=n, maximum=MAX_RATING))
    for n in range(MIN_RATING, MAX_RATING + 1)
]


def add_learning_error(form: forms.Form, error: LearningError, fields: dict[str, str] | None = None) -> None:
    """Show a LearningError on the form: each field's messages on that field (renamed through `fields`), the
    message itself and problems about no field of this form above the form."""
    fields = fields or {}
    if not error.fields:
        form.add_error(None, error.message)
    for name, messages in error.fields.items():
        target = fields.get(name, name)
        for message in messages:
            if target in form.fields:
                form.add_error(target, message)
            else:
                form.add_error(None, message if name == NON_FIELD else f"{name}: {message}")


class Form(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # labels read "Password", not "Password:"
        super().__init__(*args, **kwargs)


class SignupForm(Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[validate_username],
        help_text=_("Up to 150 English letters, digits and @ . + - _ characters; case does not matter."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none", "autofocus": True}),
    )
    email = forms.EmailField(label=_("Email"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("The same password, to catch typing mistakes."),
    )

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


class ProfileForm(Form):
    """The learning preferences shown on the account page."""

    level = forms.ChoiceField(label=_("Your level"), choices=Level.choices, widget=forms.RadioSelect)
    weekly_hours = forms.IntegerField(
        label=_("Hours a week you can study"),
        min_value=1,
        max_value=MAX_WEEKLY_HOURS,
        help_text=_("Used to estimate when you will finish a path."),
    )
    frameworks = forms.ModelMultipleChoiceField(
        label=_("Preferred frameworks"),
        queryset=Framework.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave empty if you have no preference."),
    )

    @classmethod
    def initial_for(cls, profile) -> dict:
        if profile.pk is None:
            return {"level": profile.level, "weekly_hours": profile.weekly_hours}
        return {
            "level": profile.level,
            "weekly_hours": profile.weekly_hours,
            "frameworks": [f.pk for f in profile.preferred_frameworks.all()],
        }


class GroupedCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes in collapsible groups, one <details> a group, open when it holds a ticked box: a list of 40 topics
    stays a few lines long on a phone. Set `choices` to `[(group name, [(value, label), ...]), ...]`."""

    template_name = "learning/widgets/grouped_checkboxes.html"

    def get_context(self, name, value, attrs) -> dict:
        context = super().get_context(name, value, attrs)
        context["widget"]["groups"] = [
            {"name": group, "options": options, "chosen": sum(1 for option in options if option["selected"])}
            for group, options, _ in context["widget"]["optgroups"]
        ]
        return context

    def _render(self, template_name, context, renderer=None):
        # The site's template engine, not the form renderer's (which only sees Django's own widget templates).
        return mark_safe(render_to_string(template_name, context))  # noqa: S308  the template escapes


class RemindersForm(Form):
    """The weekly goal and the digest reminder, on the account page."""

    weekly_goal_minutes = forms.IntegerField(
        label=_("Weekly goal in minutes"),
        min_value=0,
        max_value=MAX_WEEKLY_GOAL_MINUTES,
        help_text=_("Minutes of study you aim for each week; 0 for no goal."),
    )
    reminder_channel = forms.ChoiceField(label=_("Weekly digest"), choices=ReminderChannel.choices)
    reminder_day = forms.TypedChoiceField(label=_("Reminder day"), choices=Weekday.choices, coerce=int)

    @classmethod
    def initial_for(cls, profile) -> dict:
        return {
            "weekly_goal_minutes": profile.weekly_goal_minutes,
            "reminder_channel": profile.reminder_channel,
            "reminder_day": profile.reminder_day,
        }


class PathChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.title} ({obj.get_level_display().lower()})"


class OnboardingForm(ProfileForm):
    """Everything the recommender uses to start: level, goals, frameworks, time and what the learner knows."""

    goal_paths = PathChoiceField(
        label=_("Paths to follow"),
        queryset=LearningPath.objects.published().annotate(level_rank=level_rank()).order_by("level_rank", "title"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Your next steps will follow these paths in order."),
    )
    goal_topics = forms.ModelMultipleChoiceField(
        label=_("Topics you want to reach"),
        queryset=Topic.objects.all(),
        widget=GroupedCheckboxes,
        required=False,
    )
    known_topics = forms.ModelMultipleChoiceField(
        label=_("Topics you already know"),
        queryset=Topic.objects.all(),
        widget=GroupedCheckboxes,
        required=False,
        help_text=_("We will not suggest material for these, and they unlock what builds on them."),
    )

    field_order = ["level", "goal_paths", "goal_topics", "frameworks", "weekly_hours", "known_topics"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        groups = topic_groups()
        for name in ("goal_topics", "known_topics"):
            self.fields[name].widget.choices = groups  # validation still goes through the field's queryset

    @classmethod
    def initial_for(cls, profile, followed_path_ids=()) -> dict:
        initial = super().initial_for(profile)
        initial["goal_paths"] = list(followed_path_ids)
        if profile.pk is not None:
            initial["goal_topics"] = [t.pk for t in profile.goal_topics.all()]
            initial["known_topics"] = [t.pk for t in profile.known_topics.all()]
        return initial


class ProgressForm(Form):
    """One progress action: a new status, or a rating, or both."""

    status = forms.ChoiceField(label=_("Status"), choices=ProgressStatus.choices, required=False)
    rating = forms.TypedChoiceField(label=_("Rating"), choices=RATINGS, coerce=int, required=False, empty_value=None)

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("status") and cleaned.get("rating") is None:
            raise forms.ValidationError(_("Choose a status or a rating."), code="empty")
        return cleaned


class TopicMarkForm(Form):
    """What the learner knows of one topic, from the buttons on the topic map."""

    mark = forms.ChoiceField(choices=TopicMark.choices)


class DismissalForm(Form):
    reason = forms.ChoiceField(label=_("Why is it not for you?"), choices=DismissalReason.choices)
    comment = forms.CharField(label=_("Anything to add? (optional)"), max_length=300, required=False)


class PlanForm(Form):
    """A goal topic to plan a personal path to; choices are given by the view from the topics it already read."""

    goal = forms.ChoiceField(label=_("Goal topic"))
    thorough = forms.BooleanField(
        label=_("Thorough route"), required=False, help_text=_("Courses and books over short videos and articles.")
    )

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.topics = {topic.slug: topic for topic in topics}
        self.fields["goal"].choices = [("", _("Choose a topic…"))] + [(t.slug, t.name) for t in topics]

    def goal_topic(self) -> Topic:
        return self.topics[self.cleaned_data["goal"]]


class AccountDeleteForm(Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To make sure it is you. This cannot be undone."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."), code="wrong_password")
        return password
