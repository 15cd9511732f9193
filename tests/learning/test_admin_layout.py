"""The steps inline's note box is sized to fit 1280 px (the browser test measures it; this runs without Chromium)."""

import pytest
from django.urls import reverse

from tests.factories import PathStepFactory


@pytest.mark.django_db
def test_the_step_note_is_a_small_box_not_the_admin_default_wide_one(client, staff_user):
    step = PathStepFactory()
    client.force_login(staff_user)
    page = client.get(reverse("admin:learning_learningpath_change", args=[step.path.pk])).content.decode()
    assert 'name="steps-0-note" cols="40" rows="2"' in page
    assert 'class="vLargeTextField" name="steps-0-note"' not in page
