"""The signed one-click unsubscribe link of the weekly digest: it needs no login, so the signature is the proof."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core import signing
from django.urls import reverse

SALT = "deeppath.digest.unsubscribe"


def unsubscribe_path(user: User) -> str:
    """The site path that turns the learner's reminders off (signed with the secret key; no expiry, so an old
    email's link still works)."""
    return reverse("learning:reminders-unsubscribe", args=[signing.dumps(user.pk, salt=SALT)])


def unsubscribe_learner(token: str) -> User | None:
    """The learner a token was signed for, or None for a forged, damaged or stale (deleted account) token."""
    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return get_user_model().objects.filter(pk=pk, is_active=True).first()
