"""One status-to-event table: what a status change logs, what an offline event sets, and how serving reads a
progress row all come from `learning.models.choices.STATUS_EVENT`."""

from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from learning.models import Interaction, Progress, ProgressStatus
from learning.models.choices import EVENT_STATUS, STATUS_EVENT
from learning.services import progress_record
from learning.services.sync import SyncEvent, events_sync
from recommender.core.weights import aggregate_weights
from recommender.data import learner_state
from recommender.scoring import _model_row
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db


class _Columns:
    """The part of a loaded model `_model_row` uses: resource ids as columns, in ascending order."""

    def __init__(self, resource_ids: list[int]) -> None:
        self.item_ids = np.asarray(sorted(resource_ids), dtype=np.int64)
        self.n_items = len(resource_ids)

    def columns_of(self, resource_ids: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.item_ids, resource_ids)


@pytest.mark.parametrize("status", ProgressStatus.values)
def test_a_status_change_logs_the_tables_event_and_the_event_sets_it_back(learner, status):
    resource = ResourceFactory()
    progress_record(learner=learner, resource=resource, status=status)
    assert Interaction.objects.filter(learner=learner).values_list("kind", flat=True).first() == STATUS_EVENT[status]
    other = ResourceFactory()
    events_sync(learner=learner, events=[SyncEvent("e1", other.pk, STATUS_EVENT[status], timezone.now())])
    assert Progress.objects.get(learner=learner, resource=other).status == EVENT_STATUS[STATUS_EVENT[status]]


def test_serving_weighs_a_learners_rows_exactly_as_training_weighs_their_log(learner):
    resources = [ResourceFactory() for _ in range(5)]
    start = timezone.now() - timedelta(hours=1)
    changes = [
        {"status": ProgressStatus.SAVED},
        {"status": ProgressStatus.IN_PROGRESS, "percent": 40, "rating": 4},
        {"status": ProgressStatus.COMPLETED, "rating": 2},
        {"status": ProgressStatus.SKIPPED},
        {"percent": 70},
    ]
    for minutes, (resource, change) in enumerate(zip(resources, changes, strict=True)):
        progress_record(learner=learner, resource=resource, occurred_at=start + timedelta(minutes=minutes), **change)
    model = _Columns([r.pk for r in resources])
    row, _ = _model_row(model, learner_state(learner))  # type: ignore[arg-type]
    log = list(Interaction.objects.filter(learner=learner).order_by("id").values_list("resource_id", "kind", "value"))
    columns = model.columns_of(np.asarray([pk for pk, _, _ in log]))
    values = [np.nan if value is None else value for _, _, value in log]
    _, items, weights = aggregate_weights(np.zeros(len(log), dtype=np.int64), columns, [k for _, k, _ in log], values)
    assert row is not None
    assert row.indices.tolist() == items.tolist()
    np.testing.assert_allclose(row.data, weights)
