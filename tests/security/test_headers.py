"""A Content-Security-Policy without inline scripts on every HTML page, Swagger UI included, and no
`Cross-Origin-Opener-Policy: unsafe-none` on /api/docs/ (issue 12, finding 11)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

PAGES = ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password_reset/", "/resources/", "/api/docs/"]


def _script_src(response) -> str:
    policy = response["Content-Security-Policy"]
    return next(part.strip() for part in policy.split(";") if part.strip().startswith("script-src"))


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_every_page_sends_a_policy_that_refuses_inline_scripts(client, url):
    response = client.get(url)

    assert response.status_code == 200
    assert _script_src(response) == "script-src 'self'"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_api_docs_keep_the_site_wide_opener_policy_and_load_their_script_from_a_url(client):
    page = client.get("/api/docs/")
    script = client.get("/api/docs/?script=")

    assert page["Cross-Origin-Opener-Policy"] == "same-origin"
    html = page.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "no inline script"
    assert '<script src="/api/docs/?' in html
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_no_template_has_an_inline_script_or_event_handler():
    offenders = []
    for template in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+\s*=", text):
            offenders.append(str(template))

    assert offenders == []
