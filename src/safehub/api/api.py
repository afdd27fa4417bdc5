"""/api/v1/: one class of endpoint per operation, each calling one service or selector."""

import logging
from datetime import date
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from safehub.access.policy import Action, can_create_person, can_search_people
from safehub.api.auth import TokenAuth
from safehub.api.casework import router as casework_router
from safehub.api.common import Problem, Text, idempotency_key, responses
from safehub.api.concerns import router as concerns_router
from safehub.core.exceptions import (
    BreakGlassRequired,
    ConcurrentEditError,
    NotFound,
    PermissionDeniedError,
)
from safehub.core.identifiers import clean_nhs_number, clean_postcode, clean_upn
from safehub.core.users import SignedInRequest
from safehub.people import services
from safehub.people.fetchers import access_person
from safehub.people.forms import MAX_AGE
from safehub.people.selectors import SearchCriteria, person_search

api = NinjaAPI(
    title="SafeHub API",
    version="1",
    urls_namespace="api-v1",
    auth=TokenAuth(),
    docs_url=None,
    openapi_url="/openapi.json",
    description="Person search and records, referrals, and children's casework for partner "
    "systems. Every call is audited.",
)
api.add_router("", casework_router)
api.add_router("", concerns_router)


def _problem(
    request: HttpRequest, status: int, message: str, errors: dict[str, list[str]] | None = None
) -> HttpResponse:
    return api.create_response(request, {"message": message, "errors": errors or {}}, status=status)


@api.exception_handler(NotFound)
def _not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return _problem(request, 404, exc.message)


@api.exception_handler(BreakGlassRequired)
def _restricted(request: HttpRequest, exc: BreakGlassRequired) -> HttpResponse:
    # Break-glass needs a person and a reason at the screen; the API does not offer it.
    return _problem(request, 404, NotFound().message)


@api.exception_handler(PermissionDeniedError)
def _denied(request: HttpRequest, exc: PermissionDeniedError) -> HttpResponse:
    return _problem(request, 403, exc.message)


@api.exception_handler(ConcurrentEditError)
def _conflict(request: HttpRequest, exc: ConcurrentEditError) -> HttpResponse:
    return _problem(
        request,
        409,
        exc.message,
        {"version": [f"The record is now at version {exc.current.version}"]},
    )


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return _problem(request, 422, "Some of the information is not valid", errors)


@api.exception_handler(NinjaValidationError)
def _bad_shape(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """Malformed input, keyed by field name as the services' own errors are."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        parts = [str(p) for p in error.get("loc", [])[1:]]
        if parts and parts[0] == "payload":
            parts = parts[1:]
        field = ".".join(parts) or "__all__"
        errors.setdefault(field, []).append(error.get("msg", "Invalid value"))
    return _problem(request, 422, "Some of the information is not in the expected format", errors)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Ninja's own refusals (401 without a good token, 400 for a body that is not JSON) in
    the same shape as ours."""
    messages = {
        401: "Send a valid API token: Authorization: Bearer <token>",
        400: "The request body could not be read as JSON",
    }
    return _problem(request, exc.status_code, messages.get(exc.status_code, str(exc)))


@api.exception_handler(Http404)
def _no_route(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _problem(request, 404, NotFound().message)


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logging.getLogger("safehub.api").exception("API request failed")
    return _problem(request, 500, "Something went wrong. Nothing was saved; try again later.")


def Name() -> Any:  # noqa: N802 - reads as a type in the schemas below
    return Field(..., min_length=1, max_length=100)


class SearchIn(Schema):
    name: Text = Field("", max_length=200)
    date_of_birth: date | None = None
    age: int | None = Field(None, description="Approximate age in whole years (a year either side)")
    nhs_number: Text = Field("", max_length=20)
    upn: Text = Field("", max_length=20)
    postcode: Text = Field("", max_length=10)


class SearchResultOut(Schema):
    id: int
    name: str
    date_of_birth: date | None
    postcode: str | None
    score: float
    reasons: list[str]
    strong: bool = Field(
        description="Identifiers, or the whole name with date of birth or postcode"
    )


class PersonIn(Schema):
    kind: Literal["child", "unborn", "adult"]
    given_name: Text = Name()
    middle_names: Text = Field("", max_length=100)
    family_name: Text = Name()
    date_of_birth: date | None = None
    date_of_birth_estimated: bool = False
    expected_date_of_birth: date | None = None
    date_of_death: date | None = None
    sex: Literal["M", "F", "U"] = "U"
    gender_current: Literal["0", "1", "2", "9"] = "0"
    ethnicity: Text = Field("NOBT", max_length=4)
    first_language: Text = Field("", max_length=60)
    interpreter_needed: bool = False
    disabilities: list[Text] | None = Field(
        None, max_length=13, description="DfE codes, or ['NONE'] (left as is if absent)"
    )
    nhs_number: Text = Field("", max_length=20)
    upn: Text = Field("", max_length=20)
    upn_unknown: Text | None = Field(
        None, max_length=3, description="UN1-UN5: why a child has no UPN (left as is if absent)"
    )
    former_upn: Text | None = Field(None, max_length=20, description="Left as is if absent")
    school: Text = Field(
        "", max_length=120, description="A school or nursery not on SafeHub, as named"
    )
    school_urn: Text = Field(
        "",
        max_length=12,
        description="The URN of the child's school, if it uses SafeHub: Operation Encompass "
        "notices go to its safeguarding leads. The school is then named as SafeHub knows it",
    )

    def data(self) -> dict[str, Any]:
        """The fields sent; the census extras only where given, so an older client's full
        update does not blank them."""
        return {k: v for k, v in self.dict().items() if v is not None or k not in _KEEP_IF_ABSENT}


_KEEP_IF_ABSENT = ("disabilities", "upn_unknown", "former_upn")


class PersonUpdateIn(PersonIn):
    version: int = Field(..., ge=1, le=2**31)


class PersonOut(Schema):
    id: int
    version: int
    kind: str
    given_name: str
    family_name: str
    date_of_birth: date | None
    date_of_birth_estimated: bool
    expected_date_of_birth: date | None
    date_of_death: date | None
    sex: str
    gender_current: str
    ethnicity: str
    first_language: str
    interpreter_needed: bool
    disabilities: list[str]
    nhs_number: str
    upn: str
    upn_unknown: str
    former_upn: str
    school: str
    school_urn: str = Field(..., description="The school's URN if it uses SafeHub, else empty")


def _clean_search(payload: SearchIn) -> SearchCriteria:
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {"name": payload.name, "date_of_birth": payload.date_of_birth}
    if payload.age is not None and not 0 <= payload.age <= MAX_AGE:
        errors["age"] = [f"Approximate age must be between 0 and {MAX_AGE}"]
    values["age"] = payload.age
    for field, cleaner in (
        ("nhs_number", clean_nhs_number),
        ("upn", clean_upn),
        ("postcode", clean_postcode),
    ):
        raw = getattr(payload, field)
        try:
            values[field] = cleaner(raw) if raw else ""
        except ValidationError as error:
            errors[field] = error.messages
    if errors:
        raise ValidationError(errors)
    return SearchCriteria(**values)


@api.post(
    "/persons/search",
    response=responses(s200=list[SearchResultOut], s403=Problem),
    summary="Search for people",
)
def person_search_api(request: SignedInRequest, payload: SearchIn) -> Any:
    if not can_search_people(request.user):
        raise PermissionDeniedError()
    results = person_search(actor=request.user, criteria=_clean_search(payload))
    return [
        {
            "id": r.person.pk,
            "name": r.person.full_name,
            "date_of_birth": r.person.date_of_birth,
            "postcode": r.address.postcode if r.address else None,
            "score": r.score,
            "reasons": r.reasons,
            "strong": r.strong,
        }
        for r in results
    ]


@api.get(
    "/persons/{person_id}",
    response=responses(s200=PersonOut, s404=Problem),
    summary="Read a person",
)
def person_read_api(request: SignedInRequest, person_id: int, response: HttpResponse) -> Any:
    person = access_person(actor=request.user, person_id=person_id)
    response["ETag"] = f'"{person.version}"'
    return _out(person)


@api.post("/persons", response=responses(s201=PersonOut, s403=Problem), summary="Create a person")
def person_create_api(request: SignedInRequest, payload: PersonIn) -> Any:
    if not can_create_person(request.user):
        raise PermissionDeniedError()
    person = services.person_create(actor=request.user, data=payload.data())
    return Status(201, _out(person))


@api.put(
    "/persons/{person_id}",
    response=responses(s200=PersonOut, s404=Problem, s409=Problem),
    summary="Update a person (send the version you read; 409 if it has moved on)",
)
def person_update_api(request: SignedInRequest, person_id: int, payload: PersonUpdateIn) -> Any:
    # The change is audited by the service; the fetch alone shows the caller nothing.
    person = access_person(actor=request.user, person_id=person_id, action=Action.EDIT, shown=False)
    data = payload.data()
    version = data.pop("version")
    person, changed = services.person_update(
        actor=request.user, person=person, expected_version=version, data=data
    )
    if not changed:
        # Nothing to change, but the record goes back to the caller: that is a read.
        person = access_person(actor=request.user, person_id=person_id)
    return _out(person)


def _out(person: Any) -> dict[str, Any]:
    return {
        "id": person.pk,
        "version": person.version,
        **{f: getattr(person, f) for f in services.PERSON_FIELDS},
        "school_urn": person.school_agency.urn if person.school_agency_id else "",
    }


# --- Front door: referrals from partner systems --------------------------------------------


# How a person named relates to the first child named (frontdoor.codes.Described).
AdultDescribed = Literal[
    "",
    "mother",
    "father",
    "step_parent",
    "parents_partner",
    "grandparent",
    "carer",
    "sibling",
    "half_sibling",
    "step_sibling",
    "other_relative",
    "household_member",
]
ChildDescribed = Literal[
    "", "sibling", "half_sibling", "step_sibling", "other_relative", "household_member"
]


class ChildIn(Schema):
    given_name: Text = Field("", max_length=100)
    family_name: Text = Field("", max_length=100)
    date_of_birth: date | None = None
    expected_date_of_birth: date | None = Field(
        None,
        description="A pre-birth referral: the date the baby is due, instead of a date of "
        "birth (within the next 40 weeks). Name the mother among the adults.",
    )
    age_description: Text = Field("", max_length=60)
    address_line_1: Text = Field("", max_length=120)
    town: Text = Field("", max_length=80)
    postcode: Text = Field("", max_length=10)
    school: Text = Field("", max_length=120)
    nhs_number: Text = Field("", max_length=20)
    upn: Text = Field("", max_length=20)
    relationship_to_child: ChildDescribed = Field(
        "", description="How this child is related to the first child (not for the first)"
    )


class AdultIn(Schema):
    given_name: Text = Field("", max_length=100)
    family_name: Text = Field("", max_length=100)
    relationship: Text = Field("", max_length=80, description="In the referrer's words")
    relationship_to_child: AdultDescribed = Field(
        "", description="How this adult is related to the first child"
    )


class ContactIn(Schema):
    children: list[ChildIn] = Field(..., min_length=1, max_length=6)
    adults: list[AdultIn] = Field([], max_length=6)
    concern_summary: Text = Field(..., max_length=5000)
    concern_factors: list[Text] = Field(..., min_length=1, max_length=45)
    what_tried: Text = Field("", max_length=5000)
    in_danger_now: bool = False
    family_aware: Literal["yes", "no", "not_sure"]
    consent: Literal["given", "refused", "not_sought"]
    consent_not_sought_reason: Text = Field("", max_length=2000)
    urgency: Literal["immediate", "urgent", "routine"]
    referral_source: Text = Field(..., max_length=2)


class ContactOut(Schema):
    reference: str
    status: str
    received_at: Any
    decision_due_at: Any = Field(
        ...,
        description="When the MASH will have decided, set by urgency: immediate within the "
        "council's hours of receipt, urgent by the end of that day, otherwise by the end of "
        "the next working day",
    )
    outcome: str | None = Field(None, description="The decision, once final")
    decided_at: Any = None


def _contact_out(contact: Any) -> dict[str, Any]:
    final = contact.status == "decided"
    return {
        "reference": contact.reference,
        "status": contact.status,
        "received_at": contact.received_at,
        "decision_due_at": contact.decision_due_at,
        "outcome": contact.decision if final else None,
        "decided_at": contact.closed_at if final else None,
    }


@api.post(
    "/contacts",
    response=responses(s200=ContactOut, s201=ContactOut, s403=Problem),
    summary="Refer a child to the MASH",
    description="Send an Idempotency-Key header (up to 60 characters) so a retry "
    "returns the first referral (200) instead of making another; the same "
    "key with different content is refused (422).",
)
def contact_submit_api(request: SignedInRequest, payload: ContactIn) -> Any:
    from safehub.access.policy import can_refer
    from safehub.frontdoor.services import IdempotencyConflict, contact_submit

    if not can_refer(request.user):
        raise PermissionDeniedError()
    key = idempotency_key(request)
    data = payload.dict()
    data["referrer"] = {}
    try:
        contact, created = contact_submit(
            actor=request.user,
            channel="api",
            data=data,
            idempotency_key=f"api:{request.user.pk}:{key}" if key else None,
        )
    except IdempotencyConflict as conflict:
        raise ValidationError({"Idempotency-Key": [conflict.message]}) from None
    return Status(201 if created else 200, _contact_out(contact))


@api.get(
    "/contacts/{reference}",
    response=responses(s200=ContactOut, s404=Problem),
    summary="Status and outcome of a referral",
)
def contact_read_api(request: SignedInRequest, reference: str) -> Any:
    from safehub.frontdoor.fetchers import access_contact

    return _contact_out(access_contact(actor=request.user, reference=reference))


# Partner events live in their own module, registered on this API when it loads.
from safehub.api import partner_events  # noqa: E402, F401
