"""Browser journeys in Debian's Chromium, driven by Playwright for Python. No browser is
ever downloaded; without /usr/bin/chromium these tests skip and `make test` says so."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Playwright's sync API keeps an event loop on this thread; the ORM calls the tests make
# between browser steps are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# An assertion on the page waits for what a person would wait for. Playwright's 5 s is short
# for a CI machine running the suite on two workers beside the live servers (a form's answer
# has taken longer there); a page that never shows it still fails, after 15 s.
EXPECT_TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-gpu",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    # bypass_csp lets the test inject axe-core; the app's own pages run no inline script.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page) -> list[dict]:
    """Serious and critical accessibility violations axe-core finds on the current page."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def screenshot(page, name: str, attempts: int = 3) -> Path:
    """Save a full-page picture for people to look at. Under a busy CI machine Chromium
    (without a GPU) sometimes has no frame ready and refuses with "Unable to capture
    screenshot"; that says nothing about the page, so wait for the next frame and try again."""
    from playwright.sync_api import Error as PlaywrightError

    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    for attempt in range(1, attempts + 1):
        try:
            page.screenshot(path=str(path), full_page=True)
            return path
        except PlaywrightError as error:
            if "Unable to capture screenshot" not in str(error) or attempt == attempts:
                raise
            page.wait_for_load_state()
            page.evaluate("() => new Promise(requestAnimationFrame)")
            page.wait_for_timeout(250 * attempt)
    return path


def new_page(browser):
    """Another browser context (another person at another desk) in the same test."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    return context.new_page()


def sign_in_as(page, base: str, user) -> None:
    """The real sign-in: password, then the current TOTP code."""
    from conftest import PASSWORD, current_code

    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/sign-in/code/")
    page.get_by_label("Security code").fill(current_code(user))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
