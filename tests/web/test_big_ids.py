"""Ids no database column can hold (2**63 and up, below -2**63) in web forms: a form error, never a 500."""

import pytest

from learning.models import Framework, LearnerProfile, Topic
from learning.services import profile_update

pytestmark = pytest.mark.django_db

HUGE_IDS = [str(2**63), str(2**64 + 1), str(-(2**63) - 1), "9" * 40]


@pytest.mark.parametrize("huge", HUGE_IDS)
def test_the_account_form_refuses_a_framework_id_too_big_for_the_database(learner_client, learner, huge):
    response = learner_client.post("/account/", {"level": "advanced", "weekly_hours": "10", "frameworks": [huge]})
    assert response.status_code == 400
    assert "frameworks" in response.context["form"].errors
    assert LearnerProfile.objects.get(user=learner).level == "beginner"


@pytest.mark.parametrize("field", ["goal_topics", "known_topics", "goal_paths"])
@pytest.mark.parametrize("huge", HUGE_IDS[:2])
def test_onboarding_refuses_ids_too_big_for_the_database(learner_client, learner, graph, field, huge):
    answers = {"level": "intermediate", "weekly_hours": "6", field: [huge]}
    response = learner_client.post("/onboarding/", answers)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not LearnerProfile.objects.get(user=learner).onboarded


def test_a_service_reports_an_id_too_big_for_the_database_as_unknown(learner):
    from learning.exceptions import LearningError

    with pytest.raises(LearningError) as raised:
        profile_update(user=learner, goal_topic_ids=[2**63], framework_ids=[2**70])
    assert set(raised.value.fields) == {"goal_topics", "frameworks"}


def test_in_lookups_on_integer_columns_treat_out_of_range_values_as_matching_nothing(db):
    assert list(Topic.objects.filter(pk__in=[2**63])) == []
    pytorch = Framework.objects.get(slug="pytorch")
    assert list(Framework.objects.filter(pk__in=[2**63, pytorch.pk, -(2**63) - 1])) == [pytorch]
    assert Framework.objects.exclude(pk__in=[2**63]).count() == Framework.objects.count()
