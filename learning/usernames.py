"""What a username may be, one rule for sign-up (web and API), log-in and the lockout count.

A username is NFKC-normalised (fullwidth "Ａlice" becomes "Alice") and must then be 1-150 ASCII letters, digits and
@ . + - _ characters. ASCII only, so no name can imitate another with look-alike letters from another script
(Cyrillic "а" in "аlice"); and names are unique whatever their case ("Alice" and "alice" are one account), by a
unique index on lower(username) (migration learning 0006) as well as by the check at sign-up.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_noop

MAX_LENGTH = 150
RULE = gettext_noop("Use 1 to 150 English letters, digits and @ . + - _ characters.")
_ALLOWED = re.compile(r"[A-Za-z0-9@.+_-]{1,150}")


def username_normalise(raw: str) -> str:
    """The username as stored: NFKC form without surrounding spaces."""
    return unicodedata.normalize("NFKC", raw or "").strip()


def username_problem(username: str) -> str | None:
    """Why a (normalised) username is refused, or None."""
    if not _ALLOWED.fullmatch(username):
        return gettext(RULE)
    return None


def validate_username(raw: str) -> None:
    """A Django/DRF field validator for the rule above (the value is normalised first)."""
    problem = username_problem(username_normalise(raw))
    if problem:
        raise ValidationError(problem, code="invalid")


def lockout_username(request, credentials) -> str | None:
    """The name django-axes counts failed log-ins under (AXES_USERNAME_CALLABLE): normalised and lower-cased, so
    "ALICE" and "ａlice" count against the same account as "alice"."""
    raw = (credentials or {}).get("username")
    if raw is None:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        raw = data.get("username") if hasattr(data, "get") else None
    if raw is None:
        return None
    return username_normalise(str(raw)).lower()
