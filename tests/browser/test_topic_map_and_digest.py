"""In Chromium: marking a topic on the map by keyboard, focus after "Don't suggest it again", the catalog and nav on a
375 px phone, and the digest email. Saves screenshots to var/screenshots/; with DEEPPATH_UPDATE_DOC_SCREENSHOTS=1 to
docs/screenshots/, the ones the README links (so an ordinary run leaves the committed pictures alone)."""

import os
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import LearnerProfileFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DOCS = Path(settings.BASE_DIR) / (
    "docs/screenshots" if os.environ.get("DEEPPATH_UPDATE_DOC_SCREENSHOTS") == "1" else "var/screenshots"
)
PASSWORD = "correct-horse-battery-staple"


def _log_in(browser, site, *, width: int, username: str):
    LearnerProfileFactory(user=UserFactory(username=username), onboarded=True)
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{site}/dashboard/")
    return page, errors


def _save(page, name: str) -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / f"{name}.png"), full_page=False)


def test_a_learner_marks_a_topic_known_on_the_map_by_keyboard(browser, site):
    page, errors = _log_in(browser, site, width=1280, username="map-keyboard")
    page.goto(f"{site}/topics/")
    page.evaluate("window.notReloaded = true")
    node = page.locator('a.tm-node[href="/topics/python/"]')
    assert node.get_attribute("aria-label") == "Python: ready to start"
    # Tab from the map's list heading to the first marking button, then move to "Known" and press it.
    page.locator("#mark-linear-algebra-known").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "mark-linear-algebra-known"
    page.keyboard.press("Enter")
    page.locator('#mark-linear-algebra-known[aria-pressed="true"]').wait_for()
    assert page.evaluate("window.notReloaded === true"), "htmx swapped the map in place"
    assert page.evaluate("document.activeElement.id") == "mark-linear-algebra-known", "focus stays on the button"
    assert page.locator("#announce").text_content() == "Linear algebra: Known."
    assert "tm-known" in page.locator('a.tm-node[href="/topics/linear-algebra/"]').get_attribute("class")
    page.keyboard.press("Space")  # pressing it again changes nothing
    page.reload()
    assert page.locator("#mark-linear-algebra-known").get_attribute("aria-pressed") == "true"
    # Labels readable at 1280 px: the drawn text is at least 13 px high on screen.
    label_height = page.evaluate(
        "Math.min(...[...document.querySelectorAll('.tm-node text')].map(t => t.getBoundingClientRect().height))"
    )
    assert label_height >= 13, f"map labels are {label_height:.1f} px high"
    page.locator("h1").scroll_into_view_if_needed()
    _save(page, "topic-map-1280")
    assert errors == []
    page.close()


def test_the_map_on_a_phone_has_a_swipe_hint_and_the_list_view(browser, site):
    page, errors = _log_in(browser, site, width=375, username="map-phone")
    page.goto(f"{site}/topics/")
    assert page.locator("#map-hint").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "only the map scrolls sideways"
    label_height = page.evaluate(
        "Math.min(...[...document.querySelectorAll('.tm-node text')].map(t => t.getBoundingClientRect().height))"
    )
    assert label_height >= 11, f"map labels are {label_height:.1f} px high on a phone"
    assert page.locator("#topic-python").is_visible() or page.locator("#topic-python").count() == 1
    page.locator("#map-hint").scroll_into_view_if_needed()
    _save(page, "topic-map-375")
    assert errors == []
    page.close()


def test_focus_stays_on_the_replaced_card_after_dont_suggest_it_again(browser, site):
    page, errors = _log_in(browser, site, width=1280, username="focus-keeper")
    card = page.locator("section[aria-labelledby=more-title] .rec-card").first
    card_id = card.get_attribute("id")
    card.locator("summary").focus()
    page.keyboard.press("Enter")  # opens "Not for me"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # the reason select, then the button
    assert page.evaluate("document.activeElement.textContent") == "Don't suggest it again"
    page.keyboard.press("Enter")
    page.locator(f"#{card_id}.done").wait_for()
    assert page.evaluate("document.activeElement.id") == card_id, "focus is on the replaced card"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") in {page.locator(f"#{card_id} a").inner_text()}
    assert errors == []
    page.close()


def test_the_catalog_on_a_phone_folds_its_filters_and_the_nav_takes_two_rows(browser, site):
    page, errors = _log_in(browser, site, width=375, username="phone-catalog")
    page.goto(f"{site}/resources/")
    assert page.locator("details.filter-panel").get_attribute("open") is None
    first_card = page.locator(".resource-card").first.bounding_box()
    assert first_card["y"] < 900, "the first resource shows on the first screen"
    links = page.locator(".nav-links").bounding_box()
    brand = page.locator(".brand").bounding_box()
    assert links["height"] < 2 * brand["height"], "the links keep to one row"
    assert page.locator(".site-header").bounding_box()["height"] < 120
    page.locator("details.filter-panel summary").click()
    fits = page.evaluate(
        """() => {
          const select = document.querySelector('#f-framework');
          const style = getComputedStyle(select);
          const context = document.createElement('canvas').getContext('2d');
          context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
          const text = context.measureText(select.options[select.selectedIndex].text).width;
          const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20;
          return [text, room];
        }"""
    )
    assert fits[0] <= fits[1], f"'Any framework' needs {fits[0]:.0f} px, the select gives it {fits[1]:.0f}"
    wide = browser.new_page(viewport={"width": 1280, "height": 900})
    wide.goto(f"{site}/resources/")
    assert wide.locator("details.filter-panel").get_attribute("open") == "", "open on a wide screen"
    wide.close()
    assert errors == []
    page.close()


def test_a_digest_email_renders_in_chromium(browser, site, settings):
    from django.core import mail

    from learning.models import Resource
    from learning.services import profile_update, progress_record
    from recommender.digests import digests_send

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEEPPATH_SITE_URL = site
    user = UserFactory(username="digest-reader")
    LearnerProfileFactory(user=user, onboarded=True)
    profile_update(user=user, weekly_goal_minutes=180, reminder_channel="email", reminder_day=0)
    first = Resource.objects.published().filter(level="beginner", estimated_minutes__lte=120).order_by("slug").first()
    progress_record(learner=user, resource=first, status="completed")  # some of this week's goal done
    assert digests_send().sent == 1
    html = next(body for body, kind in mail.outbox[-1].alternatives if kind == "text/html")
    page = browser.new_page(viewport={"width": 640, "height": 900})
    page.set_content(html)
    assert "Your next step" in page.locator("h1").inner_text()
    page.screenshot(path=str(DOCS / "digest-email.png"), full_page=True)
    page.goto(page.locator("a", has_text="Unsubscribe with one click").get_attribute("href"))
    assert "You will get no more reminders" in page.locator("h1").inner_text()
    page.close()
