"""MASH and partner pages. Each view: fetch through access/, bind a form, call one service,
redirect or re-render with the GOV.UK error summary."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from safehub.access.navigation import nav_for
from safehub.access.policy import (
    Action,
    SignOff,
    can_refer,
    can_see_front_door_figures,
    can_sign_off,
    can_triage,
    can_work_mash_queue,
    may_sign_off,
)
from safehub.chronology.selectors import chronology_page_for_person
from safehub.core.exceptions import ConcurrentEditError
from safehub.core.once import new_token, token_key
from safehub.core.users import SignedInRequest
from safehub.frontdoor import carry_over, forms, selectors, services
from safehub.frontdoor.codes import ASSESSMENT_FACTORS, Status, SubjectRole
from safehub.frontdoor.fetchers import access_contact, access_information_request
from safehub.people.fetchers import access_person
from safehub.people.forms import AddressForm, PersonForm
from safehub.people.presenters import timeline_items
from safehub.ui.forms_util import add_service_errors
from safehub.ui.pagination import pagination

CONFLICT = (
    "Someone else changed this contact after you opened it, so your change was not "
    "saved. The page now shows the contact as it is; make your change again if it "
    "is still needed."
)


def _render(
    request: SignedInRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    forms_in = [v for v in context.values() if hasattr(v, "errors") and hasattr(v, "fields")]
    context.setdefault("has_errors", any(f.errors for f in forms_in))
    context.setdefault("nav_items", nav_for(request))
    context.setdefault("now", timezone.now())
    return render(request, template, context, status=status)


def _contact(request: SignedInRequest, reference: str, action: Action = Action.VIEW) -> Any:
    return access_contact(actor=request.user, reference=reference, action=action)


# --- The MASH queue and queue health -----------------------------------------------------


def queue_view(request: SignedInRequest) -> HttpResponse:
    if not can_work_mash_queue(request.user):
        raise Http404
    form = forms.QueueFilterForm(request.GET or None)
    filters = selectors.QueueFilters(**(form.cleaned_data if form.is_valid() else {}))
    page = selectors.mash_queue(actor=request.user, filters=filters, page=request.GET.get("page"))
    now = timezone.now()
    rows = [
        {"contact": c, "time_left": selectors.time_left(c.decision_due_at, now)}
        for c in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return _render(
        request,
        "frontdoor/queue.html",
        {
            "form": form,
            "page": page,
            "pagination": pagination(
                reverse("frontdoor:contact-queue"),
                dict(query.lists()),
                page=page.number,
                pages=page.paginator.num_pages,
                label="Pages of contacts",
            ),
            "rows": rows,
            "query": query.urlencode(),
            "filtered": any(form.cleaned_data.values()) if form.is_valid() else False,
            "timescales": services.decision_timescales(),
        },
    )


def queue_health_view(request: SignedInRequest) -> HttpResponse:
    if not can_see_front_door_figures(request.user):
        raise Http404
    return _render(request, "frontdoor/health.html", {"health": selectors.queue_health()})


# --- One contact -------------------------------------------------------------------------


def contact_detail_view(request: SignedInRequest, reference: str) -> HttpResponse:
    contact = _contact(request, reference)
    if can_refer(request.user):
        # A referrer sees their own referral, not the MASH's working page.
        return redirect("frontdoor:referral-detail", reference=contact.reference)
    return _contact_page(request, contact)


def _contact_page(
    request: SignedInRequest, contact: Any, status: int = 200, **bound: Any
) -> HttpResponse:
    """The contact with every action form; `bound` replaces a form that failed."""
    actor = request.user
    editable = contact.status in (Status.NEW, Status.IN_TRIAGE) and can_triage(actor)
    shown = selectors.linked_disclosures(actor=actor, contact=contact)
    histories = selectors.contact_history(actor=actor, contact=contact, shown=shown)
    chronology = None
    first_visible = next((h.person for h in histories if h.person), None)
    if first_visible is not None:
        chronology = chronology_page_for_person(actor=actor, person=first_visible, page=1)
    version = {"version": contact.version}
    context = {
        "contact": contact,
        "children": [s for s in contact.subjects.all() if s.role == SubjectRole.CHILD],
        "adults": [s for s in contact.subjects.all() if s.role == SubjectRole.ADULT],
        "factor_labels": [
            f"{ASSESSMENT_FACTORS.get(code, code)} ({code})" for code in contact.concern_factors
        ],
        "candidates": (
            selectors.contact_candidates(actor=actor, contact=contact) if editable else {}
        ),
        "suggestions": (
            carry_over.contact_suggestions(actor=actor, contact=contact) if editable else []
        ),
        "carry_over_errors": bound.get("carry_over_errors", []),
        "histories": histories,
        "shown": {pk: d.value for pk, d in shown.items()},
        "chronology": chronology,
        "chronology_person": first_visible,
        "timeline_items": timeline_items(chronology) if chronology else [],
        "requests": selectors.contact_requests(contact=contact),
        "consents": list(contact.consents.select_related("recorded_by").order_by("-created_at")),
        "time_left": selectors.time_left(contact.decision_due_at),
        "editable": editable,
        "can_sign_off": (
            contact.status == Status.AWAITING_SIGN_OFF
            and may_sign_off(actor, SignOff.MASH_DECISION, done_by_id=contact.decided_by_id)
        ),
        "rate_form": bound.get("rate_form")
        or forms.RateForm(
            initial={**version, "rag": contact.rag, "level_of_need": contact.level_of_need}
        ),
        "request_form": bound.get("request_form")
        or forms.InformationRequestForm(
            agencies=selectors.request_agencies(contact=contact), initial={"due": "next"}
        ),
        "consent_form": bound.get("consent_form") or forms.ConsentForm(),
        "decide_form": bound.get("decide_form") or forms.DecideForm(initial=version),
        "sign_off_form": bound.get("sign_off_form") or forms.SignOffForm(initial=version),
        "conflict": bound.get("conflict", False),
    }
    context["has_errors"] = bool(context["carry_over_errors"]) or any(
        f.errors for k, f in bound.items() if k.endswith("_form")
    )
    context["notices"] = list(messages.get_messages(request))
    return _render(request, "frontdoor/contact.html", context, status=status)


def _back_to_contact(
    request: SignedInRequest, contact: Any, anchor: str, done: str
) -> HttpResponse:
    """After an action: the success banner says what was saved, as casework's pages do, on
    the contact page opened at the section the action belongs to."""
    messages.success(request, done)
    return redirect(reverse("frontdoor:contact-detail", args=[contact.reference]) + anchor)


def _contact_action(
    request: SignedInRequest,
    reference: str,
    form_name: str,
    form: Any,
    save: Callable[[Any, dict[str, Any]], Any],
    anchor: str,
    done: Callable[[Any], str],
) -> HttpResponse:
    """Every action on a contact has the same shape: fetch for EDIT, validate, call the
    service, go back to the contact with a success banner (`done` words it from what the
    service returned), or show the errors on it."""
    contact = _contact(request, reference, Action.EDIT)
    if form.is_valid():
        try:
            saved = save(contact, form.cleaned_data)
        except ConcurrentEditError:
            contact = _contact(request, reference)
            return _contact_page(request, contact, status=409, conflict=True)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _back_to_contact(request, contact, anchor, done(saved))
    # A failed form shows the contact again, so it is a view too.
    contact = _contact(request, reference)
    return _contact_page(request, contact, status=200, **{form_name: form})


@require_POST
def contact_take_view(request: SignedInRequest, reference: str) -> HttpResponse:
    form = forms.VersionedForm(request.POST)
    return _contact_action(
        request,
        reference,
        "take_form",
        form,
        lambda c, d: (
            services.contact_take(actor=request.user, contact=c, expected_version=d["version"])
        ),
        "#triage",
        lambda _: "This contact is assigned to you.",
    )


@require_POST
def contact_rate_view(request: SignedInRequest, reference: str) -> HttpResponse:
    return _contact_action(
        request,
        reference,
        "rate_form",
        forms.RateForm(request.POST),
        lambda c, d: services.contact_rate(
            actor=request.user,
            contact=c,
            expected_version=d["version"],
            rag=d["rag"],
            level_of_need=d["level_of_need"],
        ),
        "#triage",
        lambda c: f"Rating saved: {c.get_rag_display()}, {c.get_level_of_need_display()}.",
    )


def _subject(contact: Any, subject_id: int) -> Any:
    subject = next((s for s in contact.subjects.all() if s.pk == subject_id), None)
    if subject is None:
        raise Http404
    return subject


@require_POST
def contact_link_view(request: SignedInRequest, reference: str, subject_id: int) -> HttpResponse:
    contact = _contact(request, reference, Action.EDIT)
    subject = _subject(contact, subject_id)
    # Linking changes the person's record (the contact joins their chronology); the
    # service audits it, so the fetch does not count as viewing them.
    person = access_person(
        actor=request.user, person_id=request.POST.get("person"), action=Action.EDIT, shown=False
    )
    try:
        services.contact_link_subject(
            actor=request.user, contact=contact, subject=subject, person=person
        )
    except ValidationError:
        # Decided meanwhile: no banner; the page shows the decision, so why nothing changed.
        return redirect(reverse("frontdoor:contact-detail", args=[reference]) + "#people")
    return _back_to_contact(
        request, contact, "#people", f"{_named(subject)} is linked to their record."
    )


@require_POST
def contact_unlink_view(request: SignedInRequest, reference: str, subject_id: int) -> HttpResponse:
    contact = _contact(request, reference, Action.EDIT)
    subject = _subject(contact, subject_id)
    try:
        services.contact_unlink_subject(actor=request.user, contact=contact, subject=subject)
    except ValidationError:
        return redirect(reverse("frontdoor:contact-detail", args=[reference]) + "#people")
    return _back_to_contact(
        request, contact, "#people", f"{_named(subject)} is no longer linked to a record."
    )


def _named(subject: Any) -> str:
    """The person as the referrer named them (the contact's own words, which the page
    already shows), for a banner about linking them."""
    name = f"{subject.given_name} {subject.family_name}".strip()
    return name or f"The {subject.get_role_display().lower()}"


@require_http_methods(["GET", "POST"])
def contact_new_person_view(
    request: SignedInRequest, reference: str, subject_id: int
) -> HttpResponse:
    """A new record for someone named in the contact, its form filled in from what the
    referrer told us; nothing is saved until the worker checks it and saves."""
    contact = _contact(request, reference, Action.EDIT)
    subject = _subject(contact, subject_id)
    back = reverse("frontdoor:contact-detail", args=[reference]) + "#people"
    if subject.person_id or contact.status not in (Status.NEW, Status.IN_TRIAGE):
        return redirect(back)
    data, address = carry_over.person_prefill(contact=contact, subject=subject)
    posted = request.POST if request.method == "POST" else None
    form = PersonForm(posted, initial=data)
    address_form = AddressForm(posted, initial=address)
    if posted is not None and form.is_valid() and address_form.is_valid():
        try:
            services.contact_subject_new_person(
                actor=request.user,
                contact=contact,
                subject=subject,
                data=form.cleaned_data,
                address=address_form.cleaned_data,
            )
        except ValidationError as error:
            _person_errors(error, form, address_form)
        else:
            done = f"A new record was made for {_named(subject)} and linked."
            return _back_to_contact(request, contact, "#people", done)
    _contact(request, reference)  # the form shows what the referrer said: a view, audited
    return _render(
        request,
        "people/person_form.html",
        {
            "form": form,
            "address": address_form,
            "creating": True,
            "contact": contact,
            "subject": subject,
            "back": back,
            "has_errors": bool(form.errors or address_form.errors),
        },
    )


def _person_errors(error: ValidationError, form: Any, address: Any) -> None:
    """The service's refusal on the form it belongs to: address problems beside the
    address, the rest beside the person's details."""
    if not hasattr(error, "error_dict"):
        add_service_errors(form, error)
        return
    messages = error.message_dict
    in_address = {k: v for k, v in messages.items() if k in address.fields}
    rest = {k: v for k, v in messages.items() if k not in address.fields}
    if rest:
        add_service_errors(form, ValidationError(rest))
    if in_address:
        add_service_errors(address, ValidationError(in_address))


@require_POST
def contact_carry_over_view(request: SignedInRequest, reference: str) -> HttpResponse:
    """Confirm one thing the referrer told us (`suggestion`), or all of them (`all`)."""
    contact = _contact(request, reference, Action.EDIT)
    keys = None if request.POST.get("all") else request.POST.getlist("suggestion")
    try:
        result = services.contact_carry_over(actor=request.user, contact=contact, keys=keys)
    except ValidationError as error:
        contact = _contact(request, reference)
        return _contact_page(request, contact, carry_over_errors=error.messages)
    if result.refused:
        contact = _contact(request, reference)
        return _contact_page(request, contact, carry_over_errors=list(result.refused.values()))
    done = "What the referrer told us was added to the records."
    return _back_to_contact(request, contact, "#people", done)


@require_POST
def contact_request_view(request: SignedInRequest, reference: str) -> HttpResponse:
    contact = _contact(request, reference, Action.EDIT)
    form = forms.InformationRequestForm(
        request.POST, agencies=selectors.request_agencies(contact=contact)
    )
    return _contact_action(
        request,
        reference,
        "request_form",
        form,
        lambda c, d: (
            services.information_request_send(
                actor=request.user,
                contact=c,
                agency=d["agency"],
                question=d["question"],
                due=d["due"],
            )
        ),
        "#requests",
        lambda r: f"Your request was sent to {r.agency.name}.",
    )


@require_POST
def contact_consent_view(request: SignedInRequest, reference: str) -> HttpResponse:
    return _contact_action(
        request,
        reference,
        "consent_form",
        forms.ConsentForm(request.POST),
        lambda c, d: services.consent_record(
            actor=request.user, contact=c, decision=d["decision"], reason=d["reason"]
        ),
        "#consent",
        lambda r: f"Consent decision recorded: {r.get_decision_display()}.",
    )


@require_POST
def contact_decide_view(request: SignedInRequest, reference: str) -> HttpResponse:
    return _contact_action(
        request,
        reference,
        "decide_form",
        forms.DecideForm(request.POST),
        lambda c, d: services.contact_decide(
            actor=request.user,
            contact=c,
            expected_version=d["version"],
            decision=d["decision"],
            reasons=d["reasons"],
            feedback=d["feedback"],
            primary_need=d["primary_need"],
        ),
        "#decision",
        _decided,
    )


@require_POST
def contact_sign_off_view(request: SignedInRequest, reference: str) -> HttpResponse:
    if not can_sign_off(request.user):
        raise Http404
    return _contact_action(
        request,
        reference,
        "sign_off_form",
        forms.SignOffForm(request.POST),
        lambda c, d: (
            services.contact_sign_off(
                actor=request.user,
                contact=c,
                expected_version=d["version"],
                approve=d["approve"] == "yes",
                note=d["note"],
            )
        ),
        "#decision",
        _signed_off,
    )


def _decided(contact: Any) -> str:
    if contact.status == Status.AWAITING_SIGN_OFF:
        return "Decision recorded. It now waits for a manager to sign it off."
    return "Decision recorded. The referrer has been told the outcome."


def _signed_off(contact: Any) -> str:
    if contact.status == Status.DECIDED:
        return "Decision signed off. The referrer has been told the outcome."
    return "Decision returned to the MASH to change."


# The service names the caller as the referrer; the phone form calls them the caller.
_CALLER_FIELDS = {
    "referrer_name": "caller_name",
    "referrer_relationship": "caller_relationship",
    "referrer_email": "caller_email",
    "referrer_phone": "caller_phone",
    "received_at": "call_date",
}


@require_http_methods(["GET", "POST"])
@transaction.non_atomic_requests
def phone_contact_view(request: SignedInRequest) -> HttpResponse:
    """A MASH worker records a worry told by telephone. Like every contact, it commits
    durably before anything else happens (see referral_create_view)."""
    if not can_triage(request.user):
        raise Http404
    if request.method == "POST":
        form = forms.PhoneContactForm(request.POST)
        if form.is_valid():
            try:
                contact, _ = services.contact_submit(
                    actor=request.user,
                    channel="phone",
                    data=form.submission(),
                    received_at=form.received_at(),
                    idempotency_key=token_key(
                        "phone", request.user, form.cleaned_data["idempotency_key"]
                    ),
                )
            except services.IdempotencyConflict:
                form.add_error(
                    None,
                    "This form was already sent with different answers. "
                    "Check the queue before sending it again",
                )
            except ValidationError as error:
                add_service_errors(
                    form,
                    ValidationError(
                        {_CALLER_FIELDS.get(k, k): v for k, v in error.message_dict.items()}
                    )
                    if hasattr(error, "error_dict")
                    else error,
                )
            else:
                return redirect("frontdoor:contact-detail", reference=contact.reference)
    else:
        form = forms.PhoneContactForm(initial={"idempotency_key": new_token()})
    return _render(
        request,
        "frontdoor/phone_form.html",
        {
            "form": form,
            "child_slots": range(forms.CHILD_SLOTS),
            "adult_slots": range(forms.ADULT_SLOTS),
            "concerns_heading": "The concerns",
        },
    )


# --- Partner professionals ---------------------------------------------------------------


def referral_list_view(request: SignedInRequest) -> HttpResponse:
    if not can_refer(request.user):
        raise Http404
    return _render(
        request,
        "frontdoor/referral_list.html",
        {
            "referrals": selectors.referrals_made(actor=request.user),
            "open_requests": selectors.requests_for(actor=request.user, open_only=True),
        },
    )


@require_http_methods(["GET", "POST"])
@transaction.non_atomic_requests
def referral_create_view(request: SignedInRequest) -> HttpResponse:
    """Not one request-wide transaction: the service commits the referral durably first,
    so nothing that fails afterwards (the redirect, the page) can lose it."""
    if not can_refer(request.user):
        raise Http404
    if request.method == "POST":
        form = forms.ProfessionalReferralForm(request.POST)
        if form.is_valid():
            try:
                contact, _ = services.contact_submit(
                    actor=request.user,
                    channel="professional",
                    data=form.submission(),
                    idempotency_key=token_key(
                        "web", request.user, form.cleaned_data["idempotency_key"]
                    ),
                )
            except services.IdempotencyConflict:
                form.add_error(
                    None,
                    "This form was already sent with different answers. "
                    "Check your referrals list before sending it again",
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("frontdoor:referral-detail", reference=contact.reference)
    else:
        form = forms.ProfessionalReferralForm(
            initial={
                "idempotency_key": new_token(),
                "referral_source": _default_source(request.user),
            }
        )
    return _render(
        request,
        "frontdoor/referral_form.html",
        {
            "form": form,
            "child_slots": range(forms.CHILD_SLOTS),
            "adult_slots": range(forms.ADULT_SLOTS),
        },
    )


def _default_source(user: Any) -> str:
    kind = user.agency.kind
    return {
        "school": "2A",
        "gp_practice": "3A",
        "health_trust": "3F",
        "police": "6",
        "housing": "4",
        "voluntary": "8",
        "council": "5B",
    }.get(kind, "8")


def referral_detail_view(request: SignedInRequest, reference: str) -> HttpResponse:
    """What a referrer may know about their referral: what they sent, its status and the
    outcome; never the MASH's notes or what other agencies shared."""
    if not can_refer(request.user) or can_work_mash_queue(request.user):
        if can_work_mash_queue(request.user):
            return redirect("frontdoor:contact-detail", reference=reference)
        raise Http404
    contact = _contact(request, reference)
    return _render(
        request,
        "frontdoor/referral_detail.html",
        {
            "contact": contact,
            "children": [s for s in contact.subjects.all() if s.role == SubjectRole.CHILD],
            "factor_labels": [ASSESSMENT_FACTORS.get(c, c) for c in contact.concern_factors],
            "promise": services.decision_promise(contact.urgency, contact.decision_due_at),
        },
    )


def request_list_view(request: SignedInRequest) -> HttpResponse:
    if not can_refer(request.user) or can_work_mash_queue(request.user):
        raise Http404
    return _render(
        request,
        "frontdoor/request_list.html",
        {
            "requests": selectors.requests_for(actor=request.user),
            "notices": list(messages.get_messages(request)),
        },
    )


@require_http_methods(["GET", "POST"])
def request_answer_view(request: SignedInRequest, request_id: int) -> HttpResponse:
    info_request = access_information_request(actor=request.user, request_id=request_id)
    form = forms.AnswerForm(
        request.POST if request.method == "POST" else None,
        initial={"version": info_request.version},
    )
    can_answer = info_request.status == "open" and not can_work_mash_queue(request.user)
    if request.method == "POST" and can_answer and form.is_valid():
        try:
            services.information_request_answer(
                actor=request.user,
                request=info_request,
                expected_version=form.cleaned_data["version"],
                answer=form.cleaned_data["answer"],
            )
        except ConcurrentEditError:
            form.add_error(
                None,
                "Someone at your agency answered this request while you "
                "were writing. Your answer was not saved",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your answer was sent to the MASH. Thank you.")
            return redirect("frontdoor:request-list")
    return _render(
        request,
        "frontdoor/request_answer.html",
        {
            "info_request": info_request,
            "form": form,
            "can_answer": can_answer,
            "children": [
                s for s in info_request.contact.subjects.all() if s.role == SubjectRole.CHILD
            ],
        },
    )
