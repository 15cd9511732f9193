"""Writes of the learning domain. Keyword-only, transactional, and they raise LearningError."""

from learning.services.catalog import (
    catalog_export_json,
    catalog_import,
    catalog_import_file,
    catalog_import_text,
    catalog_upgrade,
    catalog_upgrade_file,
    resources_export_csv,
    resources_import_csv,
)
from learning.services.credentials import credentials_revoke
from learning.services.learners import (
    account_delete,
    device_token_issue,
    learner_profile_ensure,
    learner_register,
    path_follow,
    path_unfollow,
    profile_update,
    progress_delete,
    topic_mark,
)
from learning.services.paths import StepSpec, path_steps_replace
from learning.services.progress import dismissal_record, dismissal_undo, progress_record
from learning.services.reminders import digest_claim, digest_release, reminders_stop
from learning.services.resources import resources_set_status
from learning.services.topics import prerequisite_cycle_after, topic_prerequisite_add, topic_prerequisites_set
from learning.services.web_onboarding import learner_onboard

__all__ = [
    "account_delete",
    "credentials_revoke",
    "device_token_issue",
    "learner_onboard",
    "learner_profile_ensure",
    "learner_register",
    "path_follow",
    "path_unfollow",
    "profile_update",
    "progress_delete",
    "catalog_export_json",
    "catalog_import",
    "catalog_import_file",
    "catalog_upgrade",
    "catalog_upgrade_file",
    "catalog_import_text",
    "StepSpec",
    "path_steps_replace",
    "digest_claim",
    "digest_release",
    "dismissal_record",
    "dismissal_undo",
    "prerequisite_cycle_after",
    "progress_record",
    "reminders_stop",
    "resources_export_csv",
    "resources_import_csv",
    "resources_set_status",
    "topic_mark",
    "topic_prerequisite_add",
    "topic_prerequisites_set",
]
