"""Curation writes on resources."""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from learning.audit import acting
from learning.exceptions import LearningError
from learning.models import PublicationStatus, Resource


@transaction.atomic
def resources_set_status(
    *, resource_ids: Iterable[int], status: str, user: AbstractBaseUser | AnonymousUser | None
) -> int:
    """Publish, archive or return resources to draft in bulk, recorded in each one's history as `user`'s bulk
    action; returns how many changed."""
    if status not in PublicationStatus.values:
        raise LearningError(f"Unknown status {status!r}.", code="invalid_status")
    changing = Resource.objects.select_related(None).filter(pk__in=list(resource_ids)).exclude(status=status)
    changed = 0
    with acting(user=user, source=f"bulk action: {status}"):
        for resource in changing.order_by("pk"):
            resource.status = status
            resource.save(update_fields=["status", "updated_at"])
            changed += 1
    return changed
