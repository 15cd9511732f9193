"""Signing a learner out everywhere: every API token and every web session, after a password change or reset and on
"log out everywhere"."""

from django.contrib.auth.models import User
from django.db import transaction
from knox.models import AuthToken

from learning.models.sessions import LearnerSession


@transaction.atomic
def credentials_revoke(*, user: User, keep_session_key: str | None = None) -> None:
    """Delete all of the learner's API tokens and web sessions, except the session `keep_session_key` (the browser
    that just changed the password stays signed in, as Django's `update_session_auth_hash` intends)."""
    AuthToken.objects.filter(user=user).delete()
    LearnerSession.objects.filter(user_id=user.pk).exclude(session_key=keep_session_key or "").delete()
