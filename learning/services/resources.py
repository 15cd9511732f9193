"""Curation writes on resources."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from learning.exceptions import LearningError
from learning.models import PublicationStatus, Resource


@transaction.atomic
def resources_set_status(*, resource_ids: Iterable[int], status: str) -> int:
    """Publish, archive or return resources to draft in bulk; returns how many changed."""
    if status not in PublicationStatus.values:
        raise LearningError(f"Unknown status {status!r}.", code="invalid_status")
    return (
        Resource.objects.filter(pk__in=list(resource_ids))
        .exclude(status=status)
        .update(status=status, updated_at=timezone.now())
    )
