"""Every learner page, the account pages and the public pages have no axe-core violation, at 1280 px and 375 px, in
light and dark colour schemes. axe-core comes from the pinned axe-playwright-python package (its bundled
axe.min.js): nothing is fetched while the tests run. One test per width (so parallel workers share them), each page
loaded once per width and checked in both colour schemes.

A failure lists every violation as "mode url: rule (impact): the first offending elements", so it reads as a fix
list; a screenshot of each page with a violation is saved under var/screenshots/a11y/ (of every page with
DEEPPATH_A11Y_SCREENSHOTS=1: full-page screenshots cost more than the checks themselves).
"""

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client

from learning.models import LearningPath, Resource, Topic
from tests.browser.conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each width loads every page once: light runs every rule, then the same page is switched to the dark colour scheme
# (the stylesheet's prefers-color-scheme query applies live; no script reads the scheme) and the colour rules run
# again. Widths load afresh, since a script reads the width when a page loads.
WIDTHS = {
    "desktop": {"width": 1280, "height": 900},
    "mobile": {"width": 375, "height": 812},
}
PUBLIC = [
    "/",
    "/resources/",
    "/resources/{resource}/",
    "/paths/",
    "/paths/{path}/",
    "/topics/",
    "/topics/{topic}/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password_reset/",
    "/accounts/password_reset/done/",
    "/accounts/reset/MQ/not-a-token/",
    "/no-such-page/",
    "/reminders/unsubscribe/not-a-token/",
]
LEARNER = [
    "/dashboard/",
    "/me/list/",
    "/onboarding/",
    "/progress/",
    "/account/",
    "/account/delete/",
    "/accounts/password_change/",
    "/resources/?search=network&level=beginner",
    "/resources/{resource}/",
    "/paths/?goal={topic}",
    "/paths/{path}/",
    "/topics/",
    "/topics/{topic}/",
]


def _addresses() -> dict[str, str]:
    resource = Resource.objects.published().filter(topics__prerequisites__isnull=False).order_by("slug").first()
    path = LearningPath.objects.published().order_by("slug").first()
    topic = Topic.objects.filter(prerequisites__isnull=False).order_by("slug").first()
    assert resource is not None
    assert path is not None
    assert topic is not None
    return {"resource": resource.slug, "path": path.slug, "topic": topic.slug}


def _learner(path_slug: str):
    """A demo learner with progress and goals (seeded by the `site` fixture) who follows and shares a path."""
    from django.contrib.auth import get_user_model

    from learning.services import path_follow
    from learning.services.shares import path_share_create

    learner = get_user_model().objects.filter(progress__isnull=False, is_staff=False).order_by("pk").first()
    path = LearningPath.objects.get(slug=path_slug)
    path_follow(learner=learner, path=path)
    share = path_share_create(learner=learner, path=path, show_name=True)
    return learner, share.get_absolute_url()


def _learner_session(site_url: str, learner=None) -> dict:
    """A signed-in learner (by default the first demo learner with progress), as a cookie."""
    from django.contrib.auth import get_user_model

    if learner is None:
        learner = get_user_model().objects.filter(progress__isnull=False, is_staff=False).order_by("pk").first()
    client = Client()
    client.force_login(learner)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site_url}


# A dark mode differs from its light twin only in its colours: the same DOM, the same layout. There the rules that
# read colours run; the light modes run every rule.
COLOUR_RULES = {"runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]}}
# Only the violations come back (axe's full results, passes included, would be serialised for every run).
RUN_AXE = """options => axe.run(document, options).then(results => results.violations.map(violation => ({
    id: violation.id, impact: violation.impact, count: violation.nodes.length,
    targets: violation.nodes.slice(0, 3).map(node => node.target.join(" ")),
})))"""


def _violations(page, mode: str, url: str) -> list[str]:
    options: dict = {"resultTypes": ["violations"]}
    if mode.endswith("-dark"):
        options |= COLOUR_RULES
    return [
        f"{mode} {url}: {found['id']} ({found['impact']}, {found['count']}x): {'; '.join(found['targets'])}"
        for found in page.evaluate(RUN_AXE, options)
    ]


def _visit(context, width: str, site: str, urls: list[str], shots: Path) -> list[str]:
    page = context.new_page()
    found = []
    for url in urls:
        page.emulate_media(color_scheme="light")
        page.goto(f"{site}{url}")
        page.evaluate(Axe().axe_script)  # once per loaded page, for both colour schemes
        for scheme in ("light", "dark"):
            mode = f"{width}-{scheme}"
            page.emulate_media(color_scheme=scheme)
            assert page.evaluate(f"matchMedia('(prefers-color-scheme: {scheme})').matches")
            on_this_page = _violations(page, mode, url)
            if on_this_page or os.environ.get("DEEPPATH_A11Y_SCREENSHOTS") == "1":
                name = re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-") or "home"
                page.screenshot(path=str(shots / f"{mode}-{name}.png"), full_page=True)
            found += on_this_page
    page.close()
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_has_no_axe_violation_at_both_widths_in_light_and_dark(browser, site, width):
    names = _addresses()
    learner_user, shared = _learner(names["path"])
    public = [url.format(**names) for url in PUBLIC] + [shared]
    cookie = _learner_session(site, learner_user)
    learner = [url.format(**names) for url in LEARNER]
    shots = SCREENSHOTS / "a11y"
    shots.mkdir(parents=True, exist_ok=True)

    visitor = browser.new_context(locale="en-US", viewport=WIDTHS[width])
    found = _visit(visitor, width, site, public, shots)
    visitor.close()
    member = browser.new_context(locale="en-US", viewport=WIDTHS[width])
    member.add_cookies([cookie])
    found += _visit(member, width, site, learner, shots)
    member.close()

    assert found == [], "axe-core violations:\n" + "\n".join(found)


def test_the_language_switcher_works_by_keyboard_without_javascript(browser, live_server, compiled_translations):
    """Spanish chosen with the keyboard alone, JavaScript off: the form posts, the page comes back in Spanish."""
    site = live_server.url
    context = browser.new_context(locale="en-US", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/paths/")
    select = page.get_by_label("Language")
    select.focus()
    select.select_option("es")
    page.keyboard.press("Tab")
    assert page.locator(":focus").inner_text() == "Change language"
    # The form posts and comes back to the same URL, so waiting for that URL alone could read the old page.
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url(f"{site}/paths/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", level=1).inner_text() == "Itinerarios de aprendizaje"
    assert page.get_by_label("Idioma").input_value() == "es"
    page.screenshot(path=str(SCREENSHOTS / "language-switcher-es.png"), full_page=True)
    context.close()


def test_accept_language_gives_spanish_pages_in_the_browser(browser, live_server, compiled_translations):
    context = browser.new_context(locale="es-ES")
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("link", name="Recursos", exact=True).count() == 1
    context.close()
