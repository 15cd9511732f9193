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
    TopicMark,
    TopicState,
)
from learning.models.learners import Dismissal, Interaction, LearnerProfile, PathEnrollment, Progress
from learning.models.links import LinkCheck, LinkHealth
from learning.models.sessions import LearnerSession

__all__ = [
    "Cost",
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
    "Level",
    "ONGOING_KINDS",
    "PathEnrollment",
    "PathStep",
    "Progress",
    "ProgressStatus",
    "Provider",
    "PublicationStatus",
    "Resource",
    "Topic",
    "TopicMark",
    "TopicPrerequisite",
    "TopicState",
]
