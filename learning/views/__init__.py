"""The web interface: HTML pages and htmx partials, split by area. Views parse input with forms, call services and
selectors, and render; a LearningError becomes a form error or a message."""

from learning.views.accounts import LoginView, PasswordChangeView, PasswordResetConfirmView, lockout, signup
from learning.views.actions import (
    path_follow,
    path_unfollow,
    resource_dismiss,
    resource_forget,
    resource_progress,
    resource_undismiss,
    topic_mark,
)
from learning.views.learner import account, account_delete, account_export, dashboard, onboarding, progress
from learning.views.my_list import my_list
from learning.views.pages import (
    home,
    path_detail,
    path_list,
    plan_save,
    resource_detail,
    resource_list,
    topic_detail,
    topic_map,
)
from learning.views.password_reset import PasswordResetView
from learning.views.reminders import reminders_unsubscribe
from learning.views.shares import path_share, share_revoke, shared_path

__all__ = [
    "LoginView",
    "PasswordChangeView",
    "PasswordResetConfirmView",
    "PasswordResetView",
    "account",
    "account_delete",
    "account_export",
    "dashboard",
    "home",
    "my_list",
    "path_share",
    "share_revoke",
    "shared_path",
    "lockout",
    "onboarding",
    "path_detail",
    "path_follow",
    "path_list",
    "plan_save",
    "path_unfollow",
    "progress",
    "reminders_unsubscribe",
    "resource_detail",
    "resource_dismiss",
    "resource_forget",
    "resource_list",
    "resource_progress",
    "resource_undismiss",
    "signup",
    "topic_detail",
    "topic_map",
    "topic_mark",
]
