"""A curator's walk through the admin at 1280 px: insights (suggested actions, a resource's charts, a path's
funnel), link health, a path edit and its history, and the model versions; nothing wider than the window, and the
changelists' tables never run under their filter panels. Screenshots land in var/screenshots/."""

import pytest
from django.utils import timezone

from learning.models import Dismissal, DismissalReason, LinkCheck, LinkHealth, ProgressStatus
from recommender.models import ModelVersion
from tests.factories import (
    LearnerProfileFactory,
    LearningPathFactory,
    PathStepFactory,
    ProgressFactory,
    ResourceFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser
WIDTH = 1280
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def curated(live_server, transactional_db):
    UserFactory(username="walk-curator", is_staff=True, is_superuser=True)
    path = LearningPathFactory(title="Deep learning from scratch")
    steps = [
        PathStepFactory(path=path, position=p, resource=ResourceFactory(title=f"Step {p}: {title}"))
        for p, title in enumerate(["Linear algebra refresher", "Backpropagation by hand", "Training loops"], 1)
    ]
    now = timezone.now()
    learners = [LearnerProfileFactory().user for _ in range(14)]
    for i, learner in enumerate(learners):
        reached = 1 if i < 8 else 3  # most stop after the first step
        for step in steps[:reached]:
            ProgressFactory(
                learner=learner,
                resource=step.resource,
                status=ProgressStatus.COMPLETED,
                completed_at=now,
                rating=2 + i % 4,
            )
    for learner in learners[:6]:
        Dismissal.objects.create(learner=learner, resource=steps[1].resource, reason=DismissalReason.TOO_HARD)
    broken = ResourceFactory(title="A page that moved away")
    LinkCheck.objects.create(
        resource=broken,
        checked_url=broken.url,
        health=LinkHealth.BROKEN,
        checked_at=now,
        status_code=404,
        consecutive_failures=3,
    )
    ModelVersion.objects.create(
        version="20261201-0000-hybrid",
        algorithm="hybrid",
        status=ModelVersion.Status.ACTIVE,
        metrics={"hybrid": {"hr": 0.52, "ndcg": 0.31}, "popularity": {"hr": 0.2, "ndcg": 0.11}},
        data_counts={"learners": 14, "interactions": 30},
        started_at=now,
        finished_at=now,
    )
    return live_server.url, path, steps


def fits(page, name: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{name}: the page is {width} px wide"


def clear_of_filters(page, name: str) -> None:
    """The results table ends before the filter panel starts: no column hides behind it."""
    table_right = page.eval_on_selector("#result_list", "t => t.getBoundingClientRect().right")
    filter_left = page.eval_on_selector("#changelist-filter", "f => f.getBoundingClientRect().left")
    assert table_right <= filter_left + 1, (
        f"{name}: the table ends at {table_right} px, the filters start at {filter_left}"
    )


def test_a_curator_walks_insights_link_health_and_a_path_edit_at_1280_px(browser, curated, screenshot):
    url, path, steps = curated
    page = browser.new_page(viewport={"width": WIDTH, "height": 900})
    page.goto(f"{url}/admin/")
    page.fill("#id_username", "walk-curator")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")

    page.click("#curator-tools >> text=Insights")
    page.wait_for_selector(".insights-actions")
    assert "Fix the URL" in page.inner_text(".insights-actions")
    assert "Consider marking it intermediate" in page.inner_text(".insights-actions")
    screenshot(page, "admin-insights-1280")
    fits(page, "insights")

    page.goto(f"{url}/admin/insights/resources/{steps[1].resource.pk}/")
    page.wait_for_selector("svg#dismissals")
    screenshot(page, "admin-insights-resource-1280")
    fits(page, "resource insights")

    page.goto(f"{url}/admin/insights/paths/{path.pk}/")
    page.wait_for_selector("svg#funnel .hbar.marked")
    assert "loses most learners" in page.inner_text(".marked-step")
    screenshot(page, "admin-insights-funnel-1280")
    fits(page, "path funnel")

    page.goto(f"{url}/admin/")
    page.click("#curator-tools >> text=Link health")
    page.wait_for_selector("#result_list")
    assert "A page that moved away" in page.inner_text("#result_list")
    assert "broken ×3" in page.inner_text("#result_list")
    screenshot(page, "admin-link-health-1280")
    fits(page, "link health")
    clear_of_filters(page, "link health")

    page.goto(f"{url}/admin/learning/learningpath/{path.pk}/change/")
    page.fill("#id_steps-0-note", "Skim it if you know matrices.")
    screenshot(page, "admin-path-edit-1280")
    fits(page, "path edit")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")
    page.goto(f"{url}/admin/learning/learningpath/{path.pk}/history/")
    history = page.inner_text("#change-history")
    assert "walk-curator" in history
    assert "Skim it if you know matrices." in history
    screenshot(page, "admin-path-history-1280")
    fits(page, "path history")

    page.goto(f"{url}/admin/recommender/modelversion/")
    page.wait_for_selector("#worker-status")
    assert "make worker" in page.inner_text("#worker-status")
    screenshot(page, "admin-model-versions-1280")
    fits(page, "model versions")
    clear_of_filters(page, "model versions")
    page.close()
