"""The end of a session in real Chromium (WCAG 2.2 success criterion 2.2.1).

- The warning: a modal dialog that takes focus and keeps it, is announced by its heading,
  works by keyboard, says how long is left, and gives more time with one action; or signs
  out. axe-core checks the page with it open.
- Nothing typed is lost: a case note saved after the session ended is kept; after signing
  in again with password and code the worker is back at the form with the note in it, and
  saves it.
"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from safehub.casework.models import CaseNote
from tests.journeys.conftest import axe_violations, screenshot, sign_in_as

pytestmark = pytest.mark.browser

NOTE = "Home visit: the boiler is still broken and the children are sleeping in coats."
FOCUS_IN_DIALOG = (
    "() => document.getElementById('session-timeout').contains(document.activeElement)"
)


def _accessible(page, name: str) -> None:
    screenshot(page, name)
    violations = axe_violations(page)
    assert not violations, (name, violations)


def test_the_warning_takes_focus_and_gives_more_time(
    transactional_db, live_server, page, users, settings
):
    # A short session, so the warning comes a few seconds after the page opens.
    settings.SESSION_IDLE_SECONDS = 120
    settings.SESSION_WARNING_SECONDS = 105
    base = live_server.url
    sign_in_as(page, base, users["mash_worker"])
    page.goto(f"{base}/people/")
    search = page.get_by_label("Name", exact=True)
    search.focus()

    dialog = page.get_by_role("dialog", name="You are about to be signed out")
    expect(dialog).to_be_visible(timeout=45_000)
    expect(dialog).to_contain_text("SafeHub will sign you out in")
    expect(dialog).to_contain_text("anything you have typed on this page is kept")
    assert page.evaluate(FOCUS_IN_DIALOG)
    _accessible(page, "session-01-warning")

    # Keyboard users stay inside the dialog: the page behind it is inert.
    for _ in range(6):
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUS_IN_DIALOG)

    # One action gives more time, and focus goes back where it was.
    dialog.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()
    expect(search).to_be_focused()
    left = page.evaluate(
        "async () => (await (await fetch('/session/', {headers: {Accept: 'application/json'}}))"
        ".json()).seconds_left"
    )
    assert left > 110

    # It comes back as the time runs down again (15 seconds after the extension, so wait
    # generously on a busy machine); Escape also asks for more time.
    expect(dialog).to_be_visible(timeout=45_000)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    # And "Sign out" signs out.
    expect(dialog).to_be_visible(timeout=45_000)
    dialog.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in/")


def test_a_note_saved_after_the_session_ended_comes_back_after_signing_in(
    transactional_db, live_server, page, users, people, settings
):
    base, child, worker = live_server.url, people["involved"], users["social_worker"]
    sign_in_as(page, base, worker)
    page.goto(f"{base}/children/{child.pk}/casework/notes/new/")
    box = page.get_by_label("Case note")
    box.fill(NOTE)
    page.get_by_label("Significant: add it to the child's chronology").check()

    # The worker is called away; the server's clock moves on past the idle limit.
    later = timezone.now() + timedelta(seconds=settings.SESSION_IDLE_SECONDS + 60)
    with time_machine.travel(later, tick=True):
        page.get_by_role("button", name="Save the note").click()
        page.wait_for_url("**/sign-in/")
        expect(page.get_by_text("You have been signed out")).to_be_visible()
        expect(page.get_by_text("What you had typed has been kept")).to_be_visible()
        _accessible(page, "session-02-signed-out-draft-kept")
        assert not CaseNote.objects.exists()

        sign_in_as(page, base, worker)
        page.wait_for_url(f"**/children/{child.pk}/casework/notes/new/")
        expect(page.get_by_text("What you typed has been put back")).to_be_visible()
        expect(box).to_have_value(NOTE)
        expect(page.get_by_label("Significant: add it to the child's chronology")).to_be_checked()
        _accessible(page, "session-03-draft-put-back")

        page.get_by_role("button", name="Save the note").click()
        expect(page.locator(".govuk-notification-banner__heading")).to_have_text("Case note saved")
    note = CaseNote.objects.get()
    assert note.text == NOTE
    assert note.significant
