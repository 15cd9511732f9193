import os
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"

if not Path(CHROMIUM).exists():
    pytest.skip(f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's async-safety check would then refuse the
    # ORM calls the fixtures make.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, transactional_db, built_once):
    """The live site with the shipped catalog, a few demo learners and a trained recommender: built for real by the
    first browser test in a process, bulk-restored (rows and model folder) for the others."""
    from learning.services import catalog_import_file
    from learning.services.demo import demo_learners_seed
    from recommender.services import recommender_train

    def build() -> None:
        catalog_import_file(path=settings.DEEPPATH_CATALOG_FILE)
        demo_learners_seed(learners=30, seed=11, anchor=timezone.now())
        assert recommender_train().run.status == "active"

    built_once("browser-site", build, model_dir=True)
    return live_server.url


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(page, name: str) -> None:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return save
