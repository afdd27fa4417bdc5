"""Fuzz the partner API from its own OpenAPI document, in-process against the WSGI app.

Schemathesis reads /api/v1/openapi.json from the running app, then generates requests for
every operation in it (valid ones, malformed ones, wrong methods, missing credentials) and
sends them with a MASH worker's (or, for referrals, a partner's) bearer token through the
whole Django stack. Whatever it
sends, the API must never answer with a server error, and what it documents it must return.

The WSGI app reads the database through its own request handling, so the data is committed
(transactional database access) rather than hidden in a test transaction.
"""

import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from conftest import TEST_TODAY
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from safehub.access.models import ApiToken, hash_token
from safehub.casework.models import Episode, Visit
from safehub.config.wsgi import application
from safehub.people.models import Person

# bench/fuzz.py runs this same test at scale: its budget per operation and where to write
# what was sent come from the environment; the suite's budget is 30.
EXAMPLES = int(os.environ.get("SAFEHUB_FUZZ_API_EXAMPLES", "30"))
REPORT = os.environ.get("SAFEHUB_FUZZ_API_REPORT", "")
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
SEARCH = "POST /api/v1/persons/search"
READ = "GET /api/v1/persons/{person_id}"
UPDATE = "PUT /api/v1/persons/{person_id}"
CREATE = "POST /api/v1/persons"
REFER = "POST /api/v1/contacts"
REFERRAL_STATUS = "GET /api/v1/contacts/{reference}"
CASEWORK_READS = {
    f"GET /api/v1/children/{{child_id}}/{what}"
    for what in (
        "episodes",
        "assessments",
        "strategy-discussions",
        "section-47-enquiries",
        "conferences",
        "cp-plans",
        "cin-plans",
        "care-periods",
        "allocations",
        "visits",
        "missing-episodes",
        # Children in care and care leavers (ADR 0028, 0030, 0035).
        "health-checks",
        "sdq-scores",
        "substance-misuse",
        "offences",
        "education-plans",
        "uasc-status",
        "care-reviews",
        "care-leaver",
        "care-plans",
        "reviewing-officers",
        "iro-contacts",
        "delegated-decisions",
    )
}
CHRONOLOGY = "GET /api/v1/persons/{person_id}/chronology"
RECORD_VISIT = "POST /api/v1/children/{child_id}/visits"
ADD_NOTE = "POST /api/v1/children/{child_id}/case-notes"
RECORD_MISSING = "POST /api/v1/children/{child_id}/missing-episodes"
PARTNER_EVENTS = "POST /api/v1/partner-events"
SENT_BACK = "GET /api/v1/partner-events/sent-back"
CONCERN_REPLAY = "GET /api/v1/concerns/replay"
CONCERN_ALERTS = {
    "GET /api/v1/concerns/alerts",
    "GET /api/v1/concerns/alerts/{alert_id}",
    "POST /api/v1/concerns/alerts/{alert_id}/acknowledge",
    "POST /api/v1/concerns/alerts/{alert_id}/act",
    "POST /api/v1/concerns/alerts/{alert_id}/dismiss",
}
# Referrals and partner events come from partner agencies, so those operations are fuzzed
# with a partner's token.
AS_PARTNER = {REFER, REFERRAL_STATUS, PARTNER_EVENTS, SENT_BACK}


@pytest.fixture
def api_schema(transactional_db: Any) -> Any:
    """The API's own document, fetched from the running app as a partner would fetch it."""
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


schema = schemathesis.pytest.from_fixture("api_schema")


def _labels(loaded: Any) -> set[str]:
    return {result.ok().label for result in loaded.get_all_operations()}


@pytest.mark.django_db(transaction=True)
def test_the_openapi_document_lists_every_operation_the_partner_api_offers(api_schema):
    assert _labels(api_schema) == {
        SEARCH,
        READ,
        UPDATE,
        CREATE,
        REFER,
        REFERRAL_STATUS,
        PARTNER_EVENTS,
        SENT_BACK,
        *CASEWORK_READS,
        CHRONOLOGY,
        RECORD_VISIT,
        ADD_NOTE,
        RECORD_MISSING,
        CONCERN_REPLAY,
        *CONCERN_ALERTS,
    }


@pytest.fixture
def bearer(users: dict[str, Any], people: dict[str, Any]) -> dict[str, dict[str, str]]:
    """A bearer header for the MASH worker and one for a partner practitioner."""
    headers = {}
    for role in ("mash_worker", "partner_practitioner"):
        secret = ApiToken.new_secret()
        ApiToken.objects.create(user=users[role], name="fuzz", token_hash=hash_token(secret))
        headers[role] = {"Authorization": f"Bearer {secret}"}
    return headers


@pytest.fixture
def person_ids(people: dict[str, Any], users: dict[str, Any]) -> list[int]:
    """Every record in the council, restricted ones included; every child has an open
    episode of need with a visit, so visits and notes can be recorded and casework read."""
    for child in Person.objects.filter(kind="child"):
        episode = Episode.objects.create(
            child=child,
            kind="cin",
            referral_date=TEST_TODAY - timedelta(days=30),
            opened_by=users["mash_worker"],
        )
        Visit.objects.create(
            child=child,
            episode=episode,
            kind="cin",
            visited_on=TEST_TODAY - timedelta(days=3),
            child_seen=True,
            recorded_by=users["mash_worker"],
        )
    return sorted(Person.objects.values_list("pk", flat=True))


@pytest.fixture
def sent(api_schema: Any) -> Any:
    """The statuses the fuzzer got back, per operation. A fuzz run that sent nothing to an
    operation, or whose every request bounced off authentication, proved nothing: fail it."""
    statuses: dict[str, list[int]] = {label: [] for label in _labels(api_schema)}
    yield statuses
    if REPORT:
        _append_report(statuses)
    for label, got in statuses.items():
        assert len(got) >= 10, f"the fuzzer sent only {len(got)} requests to {label}"
        assert any(status != 401 for status in got), f"every request to {label} got 401"
    reached = (SEARCH, READ, CHRONOLOGY, RECORD_VISIT, ADD_NOTE, RECORD_MISSING, *CASEWORK_READS)
    for label in reached:
        assert any(200 <= status < 300 for status in statuses[label]), (
            f"no fuzzed request to {label} got past validation to real data"
        )


def _append_report(statuses: dict[str, list[int]]) -> None:
    """Add this example run's statuses (per operation) to the bench's report file."""
    path = Path(REPORT)
    report = json.loads(path.read_text()) if path.exists() else {"statuses": {}, "errors": []}
    for label, got in statuses.items():
        counts = report["statuses"].setdefault(label, {})
        for status in got:
            counts[str(status)] = counts.get(str(status), 0) + 1
    path.write_text(json.dumps(report))


def _record_server_error(case: Any, response: Any) -> None:
    """Keep a request the API answered with a server error, to reproduce it."""
    path = Path(REPORT)
    report = json.loads(path.read_text()) if path.exists() else {"statuses": {}, "errors": []}
    report["errors"].append(
        {
            "operation": case.operation.label,
            "status": response.status_code,
            "path_parameters": case.path_parameters,
            "query": case.query,
            "body": case.body
            if isinstance(case.body, dict | list | str | int | None)
            else repr(case.body),
            "response": response.text[:500],
        }
    )
    path.write_text(json.dumps(report, default=repr))


def _aim_at_real_records(case: Any, person_ids: list[int]) -> None:
    """Random ids almost never exist, so point every even one at a real record (restricted
    ones included); odd ones stay as generated, to exercise "not found"."""
    for name in ("person_id", "child_id"):
        person_id = (case.path_parameters or {}).get(name)
        if type(person_id) is int and person_id % 2 == 0:
            case.path_parameters[name] = person_ids[person_id // 2 % len(person_ids)]


@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@FUZZ
def test_no_generated_request_gets_a_server_error_or_an_undocumented_body(
    case, bearer, person_ids, sent
):
    _aim_at_real_records(case, person_ids)
    role = "partner_practitioner" if case.operation.label in AS_PARTNER else "mash_worker"
    response = case.call(headers=bearer[role])
    sent[case.operation.label].append(response.status_code)
    if REPORT and response.status_code >= 500:
        _record_server_error(case, response)
    case.validate_response(
        response,
        checks=[
            not_a_server_error,
            response_schema_conformance,
            content_type_conformance,
            status_code_conformance,
        ],
    )
