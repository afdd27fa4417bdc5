"""Every form page, fuzzed: found from the URL conf and the running app (tests/fuzz/forms.py),
posted hypothesis-generated values as a user the access policy lets use it, and never a
server error. A small budget here; bench/fuzz.py runs the same fuzzer at scale.

A form route the crawl does not reach fails the coverage test unless it is listed in
NOT_REACHED with the reason, so a new form cannot slip past the fuzzer unnoticed.
"""

from typing import Any

import pytest
from django.db import transaction

from tests.fuzz.council import identities, load_council
from tests.fuzz.forms import crawl, form_routes, fuzz

pytestmark = pytest.mark.django_db

PERSONS = 400  # enough for every kind of casework the demo makes
EXAMPLES = 3  # per form: about 350 submissions, under a minute on two cores

_NO_DEMO = "the demo council has none for a demo sign-in to be shown"
_NOT_MET = (
    "no case in this state is among those the crawl opens as the demo sign-ins (it stops "
    "following a route once its pages show no new form); tested in tests/access_matrix"
)
# Form routes the crawl of the demo council does not reach, and why. Each one's view is
# tested with its own data where named.
NOT_REACHED = {
    "casework:draft-save": "posted by the page's script as the worker types, not by a form",
    "report:mother": "asked only about an unborn child, which the walked report is not",
    "people:person-break-glass": "the demo sign-ins are on the allow-lists of the restricted "
    "records they meet; tested in access/tests/test_break_glass.py",
    "audit:break-glass-review": f"break-glass grants to review: {_NO_DEMO}",
    "organisations:access-grant-decide": f"access grants waiting: {_NO_DEMO}",
    "api-tokens:token-revoke": f"API tokens: {_NO_DEMO}",
    **dict.fromkeys(
        ["concerns:alert-acknowledge", "concerns:alert-act", "concerns:alert-dismiss"],
        f"concern alerts: {_NO_DEMO}; tested in tests/access_matrix/test_concern_matrix.py",
    ),
    **dict.fromkeys(
        [
            "subjectaccess:compile",
            "subjectaccess:decide",
            "subjectaccess:extend",
            "subjectaccess:redaction-add",
            "subjectaccess:sent",
        ],
        f"subject access requests: {_NO_DEMO}; tests/access_matrix/test_records_matrix.py",
    ),
    **dict.fromkeys(
        ["retention:decide", "retention:lift"],
        f"retention reviews and holds: {_NO_DEMO}; tests/access_matrix/test_records_matrix.py",
    ),
    **dict.fromkeys(
        ["partners:notice-acknowledge", "partners:notice-send"],
        f"Operation Encompass notices: {_NO_DEMO}; test_encompass_matrix.py",
    ),
    "partners:confirm": f"a partner upload waiting to be confirmed: {_NO_DEMO}",
    "neglect:training-confirm": "shown only after a training import is previewed",
    **dict.fromkeys(
        [
            "casework:assessment-authorise",
            "casework:assessment-complete",
            "casework:assessment-seen",
            "casework:care-plan",
            "casework:conference-initial",
            "casework:recommendation-done",
            "casework:section47-conclude",
            "frontdoor:contact-carry-over",
            "frontdoor:contact-sign-off",
            "leaving_care:adviser",
            "leaving_care:birthday",
            "leaving_care:pathway-plan",
            "leaving_care:staying-put-end",
            "leaving_care:staying-put-start",
            "neglect:profile-area",
            "neglect:profile-complete",
            "neglect:profile-draft",
            "neglect:profile-plan",
            "neglect:profile-sign-off",
            "permanence:adoption-match",
            "permanence:adoption-reverse",
            "permanence:pre-proceedings-end",
            "permanence:pre-proceedings-letter",
            "careplanning:iro-contact",
            "permanence:liberty-end",
            "permanence:liberty-review",
        ],
        _NOT_MET,
    ),
}


@pytest.fixture(scope="module")
def council(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """The demo council, crawled once as every identity; all rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_council(PERSONS)
        clients, starts = identities(roles=())
        yield clients, crawl(clients, starts)
        transaction.set_rollback(True)


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
