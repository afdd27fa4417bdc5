"""The partner API over real HTTP requests (Django's test client through all middleware):
bearer tokens, the Problem error shape, optimistic locking and the audit trail."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from safehub.access.models import ApiToken, hash_token
from safehub.audit.models import AuditEvent
from safehub.chronology.models import ChronologyEntry
from safehub.core.identifiers import NHS_NUMBER_ERROR
from safehub.people import services
from safehub.people.models import Person, PersonName

pytestmark = pytest.mark.django_db

API = "/api/v1"


def make_token(user: Any, **fields: Any) -> str:
    secret = ApiToken.new_secret()
    ApiToken.objects.create(
        user=user, name="partner system", token_hash=hash_token(secret), **fields
    )
    return secret


class Api:
    """A partner system calling the API with one bearer token."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        send = getattr(self.client, method)
        if body is None:
            return send(API + path, headers=self.headers)
        return send(
            API + path, data=json.dumps(body), content_type="application/json", headers=self.headers
        )


@pytest.fixture
def mash_api(users) -> Api:
    return Api(make_token(users["mash_worker"]))


def person_body(person: Person, **changes: Any) -> dict[str, Any]:
    body = {f: getattr(person, f) for f in services.PERSON_FIELDS}
    for field in ("date_of_birth", "expected_date_of_birth", "date_of_death"):
        body[field] = body[field].isoformat() if body[field] else None
    return {**body, **changes}


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"message", "errors"}
    assert isinstance(body["message"], str)
    assert body["message"]
    assert all(
        isinstance(v, list) and all(isinstance(m, str) for m in v) for v in body["errors"].values()
    )
    return body


# --- Search and read ---------------------------------------------------------------------


def test_search_returns_each_match_with_the_reasons_it_matched(mash_api, people):
    response = mash_api.call("post", "/persons/search", {"name": "Hart"})
    assert response.status_code == 200
    results = response.json()
    assert {r["name"] for r in results} >= {"Amelia Hart", "Oliver Hart"}
    assert all(r["reasons"] for r in results)
    amelia = next(r for r in results if r["name"] == "Amelia Hart")
    assert "Last name Hart matches" in amelia["reasons"]
    assert amelia == {**amelia, "id": people["involved"].pk, "date_of_birth": "2015-04-03"}


def test_search_by_nhs_number_puts_the_exact_match_first_and_says_why(mash_api, people):
    response = mash_api.call("post", "/persons/search", {"nhs_number": "943-476-5919"})
    assert response.status_code == 200
    first = response.json()[0]
    assert first["id"] == people["involved"].pk
    assert "NHS number matches" in first["reasons"]


def test_search_never_shows_a_restricted_record_to_someone_not_on_its_list(mash_api, people):
    results = mash_api.call("post", "/persons/search", {"name": "Noah Quinn"}).json()
    assert people["restricted"].pk not in {r["id"] for r in results}


def test_search_with_a_bad_postcode_is_refused_with_the_problem_shape(mash_api, people):
    body = assert_problem(mash_api.call("post", "/persons/search", {"postcode": "Q1 1AA"}), 422)
    assert body["errors"] == {"postcode": ["Enter a full UK postcode, like SW1A 1AA"]}


def test_reading_a_person_returns_an_etag_equal_to_the_version(mash_api, users, people):
    person = people["unrelated"]
    services.person_update(
        actor=users["mash_worker"], person=person, expected_version=1, data={"given_name": "Isabel"}
    )
    response = mash_api.call("get", f"/persons/{person.pk}")
    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert response["ETag"] == '"2"'
    assert response.json()["given_name"] == "Isabel"


def test_reading_a_restricted_or_missing_person_gives_the_same_not_found(mash_api, people):
    restricted = assert_problem(mash_api.call("get", f"/persons/{people['restricted'].pk}"), 404)
    missing = assert_problem(mash_api.call("get", "/persons/987654321"), 404)
    assert restricted == missing


# --- Update and create -------------------------------------------------------------------


def test_an_update_with_a_stale_version_gets_409_and_changes_nothing(mash_api, users, people):
    person = people["unrelated"]
    services.person_update(
        actor=users["south_worker"],
        person=person,
        expected_version=1,
        data={"given_name": "Isabel"},
    )  # someone else (the child's own worker) saved first
    names_before = list(PersonName.objects.filter(person=person).values())
    audit_before, entries_before = AuditEvent.objects.count(), ChronologyEntry.objects.count()

    stale = person_body(Person.objects.get(pk=person.pk), family_name="Green", version=1)
    body = assert_problem(mash_api.call("put", f"/persons/{person.pk}", stale), 409)

    assert body["errors"] == {"version": ["The record is now at version 2"]}
    assert "Someone else changed this record" in body["message"]
    stored = Person.objects.get(pk=person.pk)
    assert (stored.family_name, stored.given_name, stored.version) == ("Brown", "Isabel", 2)
    assert list(PersonName.objects.filter(person=person).values()) == names_before
    assert AuditEvent.objects.count() == audit_before
    assert ChronologyEntry.objects.count() == entries_before


def test_an_update_with_the_current_version_saves_and_moves_the_version_on(mash_api, people):
    person = people["unrelated"]
    response = mash_api.call(
        "put", f"/persons/{person.pk}", person_body(person, family_name="Green", version=1)
    )
    assert response.status_code == 200
    assert (response.json()["family_name"], response.json()["version"]) == ("Green", 2)
    assert Person.objects.get(pk=person.pk).family_name == "Green"


def test_creating_a_person_with_a_bad_nhs_number_gets_422_and_saves_nothing(mash_api, people):
    counts = (
        Person.objects.count(),
        PersonName.objects.count(),
        AuditEvent.objects.count(),
        ChronologyEntry.objects.count(),
    )
    body = assert_problem(
        mash_api.call(
            "post",
            "/persons",
            {
                "kind": "child",
                "given_name": "Leo",
                "family_name": "Marsh",
                "date_of_birth": "2018-07-14",
                "nhs_number": "943 476 5918",
            },
        ),
        422,
    )
    assert body["errors"]["nhs_number"] == [NHS_NUMBER_ERROR]
    assert (
        Person.objects.count(),
        PersonName.objects.count(),
        AuditEvent.objects.count(),
        ChronologyEntry.objects.count(),
    ) == counts
    assert not Person.objects.filter(family_name="Marsh").exists()


WRONG_SHAPE = {
    "kind": "alien",
    "given_name": "",
    "family_name": "Marsh",
    "date_of_birth": "14/07/2018",
}


def test_a_body_of_the_wrong_shape_gets_422_naming_each_field(mash_api, people):
    before = Person.objects.count()
    body = assert_problem(mash_api.call("post", "/persons", WRONG_SHAPE), 422)
    named = {key.rsplit(".", 1)[-1] for key in body["errors"]}
    assert named == {"kind", "given_name", "date_of_birth"}
    assert Person.objects.count() == before


def test_a_body_of_the_wrong_shape_keys_errors_by_field_name_like_other_422s(mash_api, people):
    body = assert_problem(mash_api.call("post", "/persons", WRONG_SHAPE), 422)
    assert set(body["errors"]) == {"kind", "given_name", "date_of_birth"}


def test_creating_a_person_returns_201_and_the_saved_record(mash_api, users):
    response = mash_api.call(
        "post",
        "/persons",
        {
            "kind": "child",
            "given_name": "Leo",
            "family_name": "Marsh",
            "date_of_birth": "2018-07-14",
            "nhs_number": "943 476 5919",
        },
    )
    assert response.status_code == 201
    body = response.json()
    stored = Person.objects.get(pk=body["id"])
    assert (stored.nhs_number, stored.created_by_id, body["nhs_number"], body["version"]) == (
        "9434765919",
        users["mash_worker"].pk,
        "9434765919",
        1,
    )


ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (
            "/persons",
            {
                "kind": "adult",
                "given_name": "Jo",
                "family_name": "Marsh",
                "first_language": "Eng\x00lish",
            },
        ),
        ("/persons/search", {"name": "Ha\x00rt"}),
    ],
)
def test_text_with_a_nul_character_never_gets_a_server_error(mash_api, people, path, body):
    mash_api.client.raise_request_exception = False
    response = mash_api.call("post", path, body)
    assert response.status_code < 500


# --- Tokens ------------------------------------------------------------------------------


@pytest.mark.parametrize("token_state", ["revoked", "expired", "unknown", "inactive user"])
def test_a_token_that_is_no_longer_good_gets_401_and_no_data(users, people, token_state):
    user = users["mash_worker"]
    if token_state == "revoked":
        token = make_token(user, revoked_at=timezone.now() - timedelta(minutes=1))
    elif token_state == "expired":
        token = make_token(user, expires_at=timezone.now() - timedelta(seconds=1))
    elif token_state == "unknown":
        make_token(user)
        token = ApiToken.new_secret()
    else:
        token = make_token(user)
        user.is_active = False
        user.save()
    api = Api(token)
    audit_before = AuditEvent.objects.count()
    read = api.call("get", f"/persons/{people['involved'].pk}")
    search = api.call("post", "/persons/search", {"name": "Hart"})
    assert (read.status_code, search.status_code) == (401, 401)
    assert b"Amelia" not in read.content + search.content
    assert AuditEvent.objects.count() == audit_before


def test_a_token_that_has_not_yet_expired_still_works(users, people):
    api = Api(make_token(users["mash_worker"], expires_at=timezone.now() + timedelta(hours=1)))
    assert api.call("get", f"/persons/{people['involved'].pk}").status_code == 200


def test_a_request_with_no_token_gets_401(people):
    response = Api(None).call("get", f"/persons/{people['involved'].pk}")
    assert response.status_code == 401
    assert b"Amelia" not in response.content


@pytest.mark.parametrize("case", ["no token", "not json"])
def test_every_error_the_api_gives_has_the_problem_shape(mash_api, people, case):
    if case == "no token":
        response = Api(None).call("get", f"/persons/{people['involved'].pk}")
    else:
        response = mash_api.client.post(
            f"{API}/persons",
            data="{not json",
            content_type="application/json",
            headers=mash_api.headers,
        )
    assert response.status_code in (400, 401)
    assert set(response.json()) == {"message", "errors"}


def test_the_openapi_document_declares_the_statuses_every_operation_can_answer(client):
    document = client.get(f"{API}/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            declared = set(operation["responses"])
            assert "401" in declared, f"{method.upper()} {path} does not declare 401"
            assert "422" in declared, f"{method.upper()} {path} does not declare 422"
            if "requestBody" in operation:
                assert "400" in declared, f"{method.upper()} {path} does not declare 400"


def test_a_signed_in_browser_session_is_not_a_token(client_for, people):
    # Cookies from the web sign-in must not open the API: only a bearer token does.
    response = client_for("mash_worker").get(f"{API}/persons/{people['involved'].pk}")
    assert response.status_code == 401


# --- Audit -------------------------------------------------------------------------------


def _calls(people: dict[str, Person]) -> dict[str, tuple[str, str, Any, str]]:
    unrelated = people["unrelated"]
    return {
        "search": ("post", "/persons/search", {"name": "Hart"}, "search"),
        "read": ("get", f"/persons/{unrelated.pk}", None, "view"),
        "create": (
            "post",
            "/persons",
            {"kind": "adult", "given_name": "Jo", "family_name": "Marsh"},
            "create",
        ),
        "update": (
            "put",
            f"/persons/{unrelated.pk}",
            person_body(unrelated, family_name="Green", version=1),
            "change",
        ),
    }


@pytest.mark.parametrize("call", ["search", "read", "create", "update"])
def test_every_api_call_writes_exactly_one_audit_row_marked_api(mash_api, users, people, call):
    method, path, body, action = _calls(people)[call]
    before = AuditEvent.objects.count()
    response = mash_api.call(method, path, body)
    assert response.status_code in (200, 201)
    rows = list(AuditEvent.objects.order_by("pk")[before:])
    assert len(rows) == 1
    row = rows[0]
    assert (row.channel, row.action, row.actor_id, row.actor_username) == (
        "api",
        action,
        users["mash_worker"].pk,
        "mash",
    )
    assert row.ip_address == "127.0.0.1"
    assert row.request_id == response["X-Request-ID"]


def test_an_update_that_changes_nothing_is_still_audited_as_an_api_call(mash_api, people):
    person = people["unrelated"]
    before = AuditEvent.objects.count()
    response = mash_api.call("put", f"/persons/{person.pk}", person_body(person, version=1))
    assert response.status_code == 200
    assert response.json()["family_name"] == "Brown"
    assert list(AuditEvent.objects.order_by("pk")[before:].values_list("channel", flat=True)) == [
        "api"
    ]


def test_a_web_page_view_is_audited_as_web_not_api(mash_api, client_for, people):
    # The channel must come from the request, not linger from an earlier API call.
    mash_api.call("get", f"/persons/{people['unrelated'].pk}")
    before = AuditEvent.objects.count()
    response = client_for("mash_worker").get(f"/people/{people['unrelated'].pk}/")
    assert response.status_code == 200
    assert set(AuditEvent.objects.order_by("pk")[before:].values_list("channel", flat=True)) == {
        "web"
    }
