"""The path editor fits a 1280 px window: the steps inline needs no horizontal scrolling."""

import pytest

from tests.factories import LearningPathFactory, PathStepFactory, ResourceFactory, UserFactory

WIDTH = 1280
PASSWORD = "correct-horse-battery-staple"
# As long as the longest titles in the shipped catalog and then some: the resource picker sizes itself to its text.
LONG_TITLE = (
    "Dive into Deep Learning: Interactive Deep Learning Book with Code, Math, and Discussions (Chapter on Attention)"
)


@pytest.fixture
def path_with_steps(live_server, transactional_db):
    UserFactory(username="width-curator", is_staff=True, is_superuser=True)
    path = LearningPathFactory(title="Deep learning from scratch")
    for position in range(1, 4):
        resource = ResourceFactory(title=f"{LONG_TITLE} {position}")
        PathStepFactory(path=path, resource=resource, position=position, note="Watch lectures 1 to 3 first.")
    return f"{live_server.url}/admin/learning/learningpath/{path.pk}/change/"


def test_the_path_steps_inline_fits_1280_px(browser, path_with_steps, screenshot):
    page = browser.new_page(viewport={"width": WIDTH, "height": 900})
    page.goto(path_with_steps)  # redirects to the log-in form, then back here
    page.fill("#id_username", "width-curator")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#steps-group")
    inline_right = page.eval_on_selector("#steps-group table", "table => table.getBoundingClientRect().right")
    page_width = page.evaluate("document.documentElement.scrollWidth")
    screenshot(page, "admin-path-steps-1280")
    page.close()
    assert page_width <= WIDTH, f"the page is {page_width} px wide"
    assert inline_right <= WIDTH, f"the steps table ends at {inline_right} px"
