from learning.models.catalog import (
    Framework,
    ImportedRow,
    LearningPath,
    PathStep,
    Provider,
    Resource,
    Topic,
    TopicPrerequisite,
)
from learning.models.choices import (
    ONGOING_KINDS,
    Cost,
    DismissalReason,
    InteractionKind,
    Kind,
    Level,
    ProgressStatus,
    PublicationStatus,
    ReminderChannel,
    TopicMark,
    TopicState,
    Weekday,
)
from learning.models.learners import DigestSend, Dismissal, Interaction, LearnerProfile, PathEnrollment, Progress
from learning.models.links import LinkCheck, LinkHealth
from learning.models.rate_limits import RateWindow
from learning.models.sessions import LearnerSession
from learning.models.shares import PathShare

__all__ = [
    "Cost",
    "DigestSend",
    "Dismissal",
    "DismissalReason",
    "Framework",
    "ImportedRow",
    "Interaction",
    "InteractionKind",
    "Kind",
    "LearnerProfile",
    "LearnerSession",
    "LearningPath",
    "LinkCheck",
    "LinkHealth",
    "PathShare",
    "Level",
    "ONGOING_KINDS",
    "PathEnrollment",
    "PathStep",
    "Progress",
    "ProgressStatus",
    "Provider",
    "PublicationStatus",
    "RateWindow",
    "ReminderChannel",
    "Resource",
    "Topic",
    "TopicMark",
    "TopicPrerequisite",
    "TopicState",
    "Weekday",
]
