"""Pages and Swagger UI work under the Content-Security-Policy: no script is blocked, htmx loads, the docs render."""

import pytest

pytestmark = pytest.mark.browser


def _csp_violations(page) -> list[str]:
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    return messages


def test_swagger_ui_renders_every_operation_under_the_policy(browser, live_server, transactional_db):
    page = browser.new_page()
    console = _csp_violations(page)

    response = page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".opblock", timeout=15_000)

    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert page.locator(".opblock").count() > 10
    assert not [text for text in console if "Content Security Policy" in text]
    page.close()


def test_htmx_loads_on_the_home_page_under_the_policy(browser, live_server, transactional_db):
    page = browser.new_page()
    console = _csp_violations(page)

    page.goto(f"{live_server.url}/")

    assert page.evaluate("typeof window.htmx") == "object"
    assert not [text for text in console if "Content Security Policy" in text]
    page.close()
