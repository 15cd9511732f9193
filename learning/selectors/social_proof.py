"""What other learners made of a resource (average rating, number of ratings, how many finished it), shown only
once enough learners contribute that no single learner's action can be read from it."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Q

from learning.models import Progress, ProgressStatus

# Fewer learners than this behind a figure and the figure is not shown: 4 ratings could be told apart by anyone
# who knows three of the learners; the same rule as the curators' insights ("too few to show").
SOCIAL_PROOF_MIN_LEARNERS = 5


@dataclass(frozen=True)
class SocialProof:
    """Each figure is None when fewer than SOCIAL_PROOF_MIN_LEARNERS learners are behind it."""

    rating_average: float | None = None
    rating_count: int | None = None
    finished_count: int | None = None

    def __bool__(self) -> bool:
        return self.rating_count is not None or self.finished_count is not None

    def as_dict(self) -> dict:
        return {
            "rating_average": self.rating_average,
            "rating_count": self.rating_count,
            "finished_count": self.finished_count,
        }


NO_PROOF = SocialProof()


def resource_social_proof(*, resource_ids: Iterable[int]) -> dict[int, SocialProof]:
    """The figures of each resource that has any to show, keyed by resource id (one query, whatever the number)."""
    ids = list(resource_ids)
    if not ids:
        return {}
    rows = (
        Progress.objects.filter(resource_id__in=ids)
        .values("resource_id")
        .annotate(
            ratings=Count("rating"),
            average=Avg("rating"),
            finished=Count("pk", filter=Q(status=ProgressStatus.COMPLETED)),
        )
        .filter(Q(ratings__gte=SOCIAL_PROOF_MIN_LEARNERS) | Q(finished__gte=SOCIAL_PROOF_MIN_LEARNERS))
        .order_by()
    )
    return {row["resource_id"]: _proof(row) for row in rows}


def _proof(row: Mapping[str, Any]) -> SocialProof:
    rated = row["ratings"] >= SOCIAL_PROOF_MIN_LEARNERS
    return SocialProof(
        rating_average=round(row["average"], 1) if rated else None,
        rating_count=row["ratings"] if rated else None,
        finished_count=row["finished"] if row["finished"] >= SOCIAL_PROOF_MIN_LEARNERS else None,
    )
