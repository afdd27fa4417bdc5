"""Every form page, fuzzed: found from the URL conf and the running app (tests/fuzz/forms.py),
posted hypothesis-generated values as a user the access policy lets use it, and never a
server error. A small budget here; bench/fuzz.py runs the same fuzzer at scale.

A form route the crawl does not reach fails the coverage test unless it is listed in
NOT_REACHED with the reason, so a new form cannot slip past the fuzzer unnoticed.
"""

from typing import Any

import pytest

from tests.fuzz import records
from tests.fuzz.council import identities, load_council
from tests.fuzz.forms import crawl, form_routes, fuzz, rolled_back

pytestmark = pytest.mark.django_db

PERSONS = 400  # enough for every kind of casework the demo makes
EXAMPLES = 3  # per form route: about 480 submissions

# Form routes the crawl of the demo council, with the records tests/fuzz/records.py adds,
# does not reach, and why (route: reason). Every form route is reached: a new form no page
# shows must either be given its records in records.py or be listed here with the reason.
NOT_REACHED: dict[str, str] = {}


@pytest.fixture(scope="module")
def council(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """The demo council, crawled once as every identity; all rolled back at the end."""
    # Marked as a test case's transaction (rolled_back): a partner's events are received in
    # a durable block of their own, as outside any transaction in production.
    with django_db_blocker.unblock(), rolled_back():
        load_council(PERSONS)
        records.furnish()
        clients, starts = identities(roles=())
        yield clients, crawl(clients, starts, posts=records.POSTS)


def test_every_form_route_is_fuzzed_or_its_absence_explained(council: Any) -> None:
    _, found = council
    routes = form_routes()
    assert len(routes) > 100, "the URL conf walk found too few form routes to be right"
    missing = routes - set(found.targets) - set(NOT_REACHED)
    assert not missing, f"form routes neither reached by the crawl nor in NOT_REACHED: {missing}"
    stale = set(NOT_REACHED) & (set(found.targets) | (set(NOT_REACHED) - routes))
    assert not stale, f"NOT_REACHED lists routes now reached, or gone: {stale}"


def test_no_generated_submission_to_any_form_gets_a_server_error(
    council: Any, django_db_blocker: Any
) -> None:
    clients, found = council
    errors = []
    reached_past_the_form = 0
    with django_db_blocker.unblock():
        for route, targets in sorted(found.targets.items()):
            target = targets[0]
            outcome = fuzz(target, clients[target.username], EXAMPLES)
            assert outcome.inputs == EXAMPLES, route
            errors += outcome.errors
            reached_past_the_form += outcome.statuses[302]
    assert not errors, "\n\n".join(
        f"{e['route']} as {e['user']}: {e['data']!r}\n{e['traceback']}" for e in errors[:5]
    )
    # Mostly plausible submissions get through, so the fuzzer reaches the rules behind.
    assert reached_past_the_form > len(found.targets) // 4
