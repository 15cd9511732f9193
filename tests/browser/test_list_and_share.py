"""My list and sharing in a real browser: sort the list, complete an item in place (htmx), share a followed path,
open the link signed out, revoke it. Screenshots in var/screenshots/."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-Long-passphrase-42"


@pytest.fixture
def learner_site(site):
    """The live site (shipped catalog, demo learners, a trained model) and a learner who saved two resources and
    follows one path."""
    from learning.models import LearningPath, ProgressStatus, Resource
    from learning.services import path_follow, progress_record
    from tests.factories import LearnerProfileFactory, UserFactory

    user = LearnerProfileFactory(user=UserFactory(username="lister", password=PASSWORD)).user
    for slug in ("3b1b-essence-of-linear-algebra", "adam-paper"):
        progress_record(learner=user, resource=Resource.objects.get(slug=slug), status=ProgressStatus.SAVED)
    path = LearningPath.objects.published().order_by("title").first()
    path_follow(learner=user, path=path)
    return site, path


def _log_in(page, site: str) -> None:
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Username").fill("lister")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def test_my_list_sorts_and_completes_in_place_and_a_shared_link_works_until_revoked(browser, learner_site, screenshot):
    site, path = learner_site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _log_in(page, site)
    page.get_by_role("link", name="My list").click()
    page.wait_for_url(f"{site}/me/list/")
    titles = page.locator("#my-list .card-title").all_inner_texts()
    assert sorted(titles) == ["Adam: A Method for Stochastic Optimization", "Essence of Linear Algebra"]
    page.get_by_label("Sort by").select_option("title")
    page.get_by_role("button", name="Sort", exact=True).click()
    page.wait_for_url(f"{site}/me/list/?sort=title")
    assert page.locator("#my-list .card-title").all_inner_texts()[0].startswith("Adam")
    screenshot(page, "my-list-desktop")

    page.locator("#my-list .rec-card").first.get_by_role("button", name="Mark complete").click()
    page.locator("#my-list .rec-card.done").wait_for()
    assert page.url == f"{site}/me/list/?sort=title"  # swapped in place, no navigation
    screenshot(page, "my-list-after-complete")

    page.goto(f"{site}{path.get_absolute_url()}")
    page.get_by_label("Show my username on the shared page").check()
    page.get_by_role("button", name="Make a public link").click()
    link = page.locator("#share-link").get_attribute("href")
    assert link.startswith("/shared/")
    screenshot(page, "share-box")

    visitor = browser.new_context().new_page()
    visitor.goto(f"{site}{link}")
    assert path.title in visitor.locator("h1").inner_text()
    assert "Shared by lister" in visitor.content()
    screenshot(visitor, "shared-path-public")

    page.get_by_role("button", name="Stop sharing").click()
    page.wait_for_load_state()
    assert visitor.goto(f"{site}{link}").status == 404
