"""The next step's "Open it" goes to the resource itself; DeepPath's own page stays one link away."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_open_it_links_to_the_resource_and_details_to_deeppaths_page(learner_client, graph):
    response = learner_client.get("/dashboard/")
    resource = response.context["next_step"].resource
    page = response.content.decode()
    open_it = re.search(r'<a [^>]*id="next-step-open"[^>]*>', page).group(0)
    assert f'href="{resource.url}"' in open_it
    assert 'rel="noopener"' in open_it
    details = re.search(r'<a [^>]*id="next-step-details"[^>]*>', page).group(0)
    assert f'href="{resource.get_absolute_url()}"' in details
