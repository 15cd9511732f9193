"""A new learner's first session in a real browser: sign up, onboard, follow the suggested next step, complete it
in place through htmx, and see the dashboard and the progress chart react. Desktop and a 375 px phone."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-Long-passphrase-42"


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"{page.url} is {width}px wide in a {viewport}px window"


@pytest.mark.parametrize(("width", "label"), [(1280, "desktop"), (375, "mobile")])
def test_sign_up_onboard_complete_the_next_step_and_see_progress(browser, site, screenshot, width, label):
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))

    page.goto(f"{site}/accounts/signup/")
    page.get_by_label("Username").fill(f"journey-{label}")
    page.get_by_label("Email").fill(f"journey-{label}@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(f"{site}/onboarding/")

    page.get_by_role("radio", name="Beginner").check()
    page.get_by_label("Deep learning foundations").check()
    page.get_by_role("group", name="Preferred frameworks").get_by_label("PyTorch").check()
    page.get_by_label("Hours a week you can study").fill("5")
    page.get_by_role("button", name="Save and see my next step").click()
    page.wait_for_url(f"{site}/dashboard/")

    next_step = page.locator("#next-step-link")
    first_title = next_step.inner_text()
    reasons = page.locator(".next-step .reasons li")
    assert reasons.count() >= 1
    assert reasons.first.inner_text().strip()
    _no_sideways_scroll(page)
    screenshot(page, f"dashboard-{label}")

    next_step.click()
    page.wait_for_url(re.compile(r".*/resources/[\w-]+/$"))
    assert page.locator("h1").inner_text() == first_title
    _no_sideways_scroll(page)
    page.evaluate("window.notReloaded = true")
    page.locator("#progress-controls").get_by_role("button", name="Mark complete").click()
    page.locator("#progress-controls .status-completed").wait_for()
    assert page.evaluate("window.notReloaded === true"), "htmx swapped the controls in place, no page load"
    assert page.evaluate("document.activeElement.id") == "status-completed", "focus stays on the pressed button"
    assert page.locator("#announce").text_content() == f"Marked complete: {first_title}."
    assert (
        page.locator("#progress-controls").get_by_role("button", name="Mark complete").get_attribute("aria-pressed")
        == "true"
    )
    screenshot(page, f"resource-{label}")

    page.goto(f"{site}/dashboard/")
    assert page.locator("#next-step-link").inner_text() != first_title

    page.goto(f"{site}/progress/")
    assert page.locator("#week-completions").inner_text() == "1"
    assert page.locator("#completions-chart-desc").text_content().endswith(": 1 completion")
    _no_sideways_scroll(page)
    screenshot(page, f"progress-{label}")

    page.goto(f"{site}/topics/")
    assert page.locator(".tm-node").count() >= 30
    assert page.locator(".tm-node.tm-completed").count() >= 1
    _no_sideways_scroll(page)
    screenshot(page, f"topic-map-{label}")
    assert errors == []
    page.close()


def test_every_action_still_works_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    _sign_up(page, site, "no-js")
    page.get_by_role("button", name="Skip for now").click()
    page.wait_for_url(f"{site}/dashboard/")
    first_title = page.locator("#next-step-link").inner_text()
    page.locator("#next-step-link").click()
    page.locator("#progress-controls").get_by_role("button", name="Mark complete").click()
    page.locator(".messages").get_by_text("Marked complete").wait_for()
    assert page.locator("#progress-controls .status-completed").count() == 1
    page.goto(f"{site}/dashboard/")
    assert page.locator("#next-step-link").inner_text() != first_title
    context.close()


def _sign_up(page, site: str, username: str) -> None:
    page.goto(f"{site}/accounts/signup/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(f"{site}/onboarding/")


def test_every_page_fits_a_phone_in_dark_mode(browser, site, screenshot):
    context = browser.new_context(viewport={"width": 375, "height": 800}, color_scheme="dark")
    page = context.new_page()
    _sign_up(page, site, "night-owl")
    screenshot(page, "onboarding-dark-mobile")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(20, 22, 26)", "the dark palette applies"
    for url, name in [
        ("/resources/?level=beginner", "catalog"),
        ("/paths/?goal=transformers", "paths"),
        ("/paths/deep-learning-foundations/", "path"),
        ("/account/", "account"),
        ("/dashboard/", "dashboard"),
        ("/topics/", "topic-map"),
        ("/progress/", "progress"),
    ]:
        page.goto(f"{site}{url}")
        _no_sideways_scroll(page)
        screenshot(page, f"{name}-dark-mobile")
    context.close()
