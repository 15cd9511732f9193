"""Public links to a learner's path progress or saved plan: made and revoked by the learner alone."""

import secrets

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from learning.exceptions import LearningError
from learning.models import LearningPath, PathEnrollment, PathShare

TOKEN_BYTES = 32  # 256 random bits: a link nobody can guess


@transaction.atomic
def path_share_create(*, learner: User, path: LearningPath, show_name: bool = False) -> PathShare:
    """A public link to `path` with the learner's progress on it: their own saved plan, or a path they follow.
    Sharing the same path again keeps its link and updates `show_name`."""
    own_plan = path.owner_id == learner.pk
    follows = PathEnrollment.objects.filter(learner=learner, path=path).exists()
    if not (own_plan or (follows and path.owner_id is None)):
        raise LearningError(
            _("Share a path you follow or a plan you saved."),
            fields={"path": [_("You neither follow this path nor saved this plan.")]},
            code="not_shareable",
        )
    share, created = PathShare.objects.get_or_create(
        learner=learner,
        path=path,
        defaults={"token": secrets.token_urlsafe(TOKEN_BYTES), "show_name": show_name},
    )
    if not created and share.show_name != show_name:
        share.show_name = show_name
        share.save(update_fields=["show_name"])
    return share


@transaction.atomic
def path_share_revoke(*, learner: User, token: str) -> None:
    """Revoke one of the learner's links: it answers 404 from now on. Another learner's token is not found."""
    deleted, _rows = PathShare.objects.filter(learner=learner, token=token).delete()
    if not deleted:
        raise LearningError(_("No such shared link."), code="not_found")
