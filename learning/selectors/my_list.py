"""A learner's list: what they saved for later and what they are working through, in the order they choose."""

from django.contrib.auth.models import User
from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _

from learning.models import Progress, ProgressStatus, PublicationStatus

# Each sort a learner can choose: its label and the order it puts the rows in (a unique last key keeps it stable).
LIST_SORTS = {
    "saved": (_("Date saved, newest first"), (F("created_at").desc(), F("id").desc())),
    "title": (_("Title A–Z"), (F("resource__title").asc(), F("id").asc())),
    "minutes": (
        _("Shortest first"),
        (F("resource__estimated_minutes").asc(), F("resource__title").asc(), F("id").asc()),
    ),
}
DEFAULT_LIST_SORT = "saved"
LIST_STATUSES = (ProgressStatus.SAVED, ProgressStatus.IN_PROGRESS)


def learner_list(*, learner: User, sort: str = DEFAULT_LIST_SORT) -> QuerySet[Progress]:
    """The learner's saved and in-progress rows with their resources (2 queries: rows, then topics); an unknown
    `sort` falls back to the newest saved first."""
    _label, order = LIST_SORTS.get(sort, LIST_SORTS[DEFAULT_LIST_SORT])
    return (
        Progress.objects.filter(learner=learner, status__in=LIST_STATUSES, resource__status=PublicationStatus.PUBLISHED)
        .select_related("resource__provider")
        .prefetch_related("resource__topics")
        .order_by(*order)
    )
