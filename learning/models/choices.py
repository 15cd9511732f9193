"""Vocabularies shared by the catalog, the learner side, imports and (later) the API."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    COURSE = "course", _("Course")
    PROJECT = "project", _("Project")
    ARTICLE = "article", _("Article")
    VIDEO = "video", _("Video")
    PAPER = "paper", _("Paper")
    BOOK = "book", _("Book")
    TUTORIAL = "tutorial", _("Tutorial")
    # Staying current: the estimated minutes of these two kinds are minutes per week, not a total.
    FEED = "feed", _("Feed or newsletter")
    COMMUNITY = "community", _("Community")


# Kinds that never end: a learner follows them week after week, so their minutes are a weekly budget.
ONGOING_KINDS = frozenset({Kind.FEED, Kind.COMMUNITY})


class Level(models.TextChoices):
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


LEVEL_RANK = {Level.BEGINNER: 0, Level.INTERMEDIATE: 1, Level.ADVANCED: 2}


class Cost(models.TextChoices):
    FREE = "free", _("Free")
    FREEMIUM = "freemium", _("Freemium")
    PAID = "paid", _("Paid")


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class ProgressStatus(models.TextChoices):
    SAVED = "saved", _("Saved")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    SKIPPED = "skipped", _("Skipped")


# A finished or skipped resource covers the topics it teaches: the one rule for "met" prerequisites, shared by the
# pages (topic map, resource prerequisites) and the recommender's gating.
COVERING_STATUSES = frozenset({ProgressStatus.COMPLETED, ProgressStatus.SKIPPED})


class TopicState(models.TextChoices):
    """A learner's state on a topic (the topic map and the progress page), from most to least advanced."""

    COMPLETED = "completed", _("Completed")
    KNOWN = "known", _("Known")
    IN_PROGRESS = "in_progress", _("In progress")
    READY = "ready", _("Ready to start")
    LOCKED = "locked", _("Locked")


# A topic in one of these states counts as covered (goal coverage, the progress page's "covered" figure).
COVERED_TOPIC_STATES = frozenset({TopicState.COMPLETED, TopicState.KNOWN})


class DismissalReason(models.TextChoices):
    TOO_EASY = "too_easy", _("Too easy")
    TOO_HARD = "too_hard", _("Too hard")
    NOT_RELEVANT = "not_relevant", _("Not relevant to me")
    WRONG_FRAMEWORK = "wrong_framework", _("Wrong framework")
    PAYWALLED = "paywalled", _("Paywalled")
    BROKEN_LINK = "broken_link", _("Broken link")
    OTHER = "other", _("Other")


class TopicMark(models.TextChoices):
    """What a learner says about a topic on the map: known topics count as covered (the recommender's known-topics
    rule), learning ones join their goals, and "not yet" is neither."""

    KNOWN = "known", _("Known")
    LEARNING = "learning", _("Learning")
    NOT_YET = "not_yet", _("Not yet")


class InteractionKind(models.TextChoices):
    VIEWED = "viewed", _("Viewed")
    SAVED = "saved", _("Saved")
    STARTED = "started", _("Started")
    PROGRESSED = "progressed", _("Progressed")
    COMPLETED = "completed", _("Completed")
    SKIPPED = "skipped", _("Skipped")
    RATED = "rated", _("Rated")
    DISMISSED = "dismissed", _("Dismissed")


# The one status-to-event mapping: the event a change to each status logs (`progress_change`), read backwards by
# the offline sync (an event of that kind sets that status) and forwards by serving (a Progress row weighs as the
# event that made it, so current state weighs exactly as training weighs the log).
STATUS_EVENT: dict[str, InteractionKind] = {
    ProgressStatus.SAVED: InteractionKind.SAVED,
    ProgressStatus.IN_PROGRESS: InteractionKind.STARTED,
    ProgressStatus.COMPLETED: InteractionKind.COMPLETED,
    ProgressStatus.SKIPPED: InteractionKind.SKIPPED,
}
EVENT_STATUS: dict[str, ProgressStatus] = {kind: ProgressStatus(status) for status, kind in STATUS_EVENT.items()}


def choices_check(field: str, choices: type[models.TextChoices]) -> models.Q:
    """A database CHECK condition keeping `field` inside the given choices."""
    return models.Q(**{f"{field}__in": choices.values})


class ReminderChannel(models.TextChoices):
    """How a learner wants their weekly digest; none until they choose one."""

    NONE = "none", _("No reminders")
    EMAIL = "email", _("Email")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")
