"""Partner information pages: the MASH's queue and its actions, and a partner agency's CSV
upload. Each view fetches through its fetcher, binds a form, calls one service, and
redirects or re-renders with the GOV.UK error summary."""

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
    Decision,
    can_list_encompass_notices,
    can_match_partner_events,
    can_send_partner_events,
    can_watch_partner_feeds,
    decide_encompass_notice,
    encompass_police_detail_shown,
    may_resolve_encompass_notice,
)
from safehub.core.exceptions import ConcurrentEditError
from safehub.core.users import SignedInRequest
from safehub.partners import encompass, feeds, forms, selectors, services
from safehub.partners.codes import BY_CODE, MatchState, types_for_kind
from safehub.partners.fetchers import (
    access_encompass_notice,
    access_partner_event,
    access_partner_upload,
)
from safehub.partners.uploads import template_csv
from safehub.people.fetchers import access_person
from safehub.people.forms import AddressForm, PersonForm
from safehub.people.matching import Described
from safehub.ui.forms_util import add_service_errors
from safehub.ui.pagination import pagination


def _render(
    request: SignedInRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    forms_in = [v for v in context.values() if hasattr(v, "errors") and hasattr(v, "fields")]
    context.setdefault("has_errors", any(f.errors for f in forms_in))
    context.setdefault("nav_items", nav_for(request))
    context.setdefault("now", timezone.now())
    context.setdefault("types", BY_CODE)
    context.setdefault("notices", list(messages.get_messages(request)))
    return render(request, template, context, status=status)


# --- The MASH ----------------------------------------------------------------------------


def queue_view(request: SignedInRequest) -> HttpResponse:
    if not can_match_partner_events(request.user):
        raise Http404
    page, rows = selectors.partner_queue(actor=request.user, page=request.GET.get("page"))
    links = pagination(
        reverse("partners:queue"),
        {},
        page=page.number,
        pages=page.paginator.num_pages,
        label="Pages of partner information",
    )
    return _render(
        request, "partners/queue.html", {"page": page, "rows": rows, "pagination": links}
    )


def _event_page(request: SignedInRequest, event: Any, **bound: Any) -> HttpResponse:
    actor = request.user
    find = bound.get("find") or forms.FindRecordForm()
    waiting = event.state == MatchState.AWAITING
    looking_for = bound.get("looking_for")
    candidates = (
        selectors.partner_event_candidates(actor=actor, event=event, looking_for=looking_for)
        if waiting
        else []
    )
    return _render(
        request,
        "partners/event.html",
        {
            "event": event,
            "event_type": BY_CODE[event.type],
            "waiting": waiting,
            "candidates": candidates,
            "searched": looking_for is not None,
            "find": find,
            "send_back": bound.get("send_back") or forms.SendBackForm(),
            "waited": selectors.waited_for(event.received_at, timezone.now())[0],
            "attach_error": bound.get("attach_error"),
        },
    )


@require_http_methods(["GET", "POST"])
def event_detail_view(request: SignedInRequest, event_id: int) -> HttpResponse:
    """The event, its suggested records, and (POST) a search for another record."""
    event = access_partner_event(actor=request.user, event_id=event_id)
    if request.method != "POST":
        return _event_page(request, event)
    find = forms.FindRecordForm(request.POST)
    if not find.is_valid():
        return _event_page(request, event, find=find)
    d = find.cleaned_data
    looking_for = Described(
        given_name=d["given_name"],
        family_name=d["family_name"],
        date_of_birth=d["date_of_birth"],
        postcode=d["postcode"],
    )
    return _event_page(request, event, find=find, looking_for=looking_for)


@require_POST
def event_attach_view(request: SignedInRequest, event_id: int) -> HttpResponse:
    event = access_partner_event(actor=request.user, event_id=event_id, action=Action.EDIT)
    # Filing it changes the person's record; the service audits that, not the fetch.
    person = access_person(
        actor=request.user, person_id=request.POST.get("person"), action=Action.EDIT, shown=False
    )
    try:
        services.partner_event_attach(actor=request.user, event=event, person=person)
    except ValidationError as error:
        return _event_page(request, event, attach_error=error.messages[0])
    messages.success(
        request,
        f"The {BY_CODE[event.type].label.lower()} from {event.agency.name} is now on "
        f"{person.full_name}’s chronology.",
    )
    return redirect("partners:queue")


def _prefill(event: Any) -> tuple[dict[str, Any], dict[str, str]]:
    adult = BY_CODE[event.type].sector == "adult_services"
    data = {
        "kind": "adult" if adult else "child",
        "given_name": event.given_name,
        "family_name": event.family_name,
        "date_of_birth": event.date_of_birth,
        "nhs_number": event.nhs_number,
        "upn": event.upn,
    }
    return data, {"postcode": event.postcode}


@require_http_methods(["GET", "POST"])
def event_new_person_view(request: SignedInRequest, event_id: int) -> HttpResponse:
    """A new record from what the partner sent, for the worker to check before saving."""
    event = access_partner_event(actor=request.user, event_id=event_id, action=Action.EDIT)
    back = reverse("partners:event-detail", args=[event.pk])
    if event.state != MatchState.AWAITING:
        return redirect(back)
    data, address = _prefill(event)
    posted = request.POST if request.method == "POST" else None
    form = PersonForm(posted, initial=data)
    address_form = AddressForm(posted, initial=address)
    if posted is not None and form.is_valid() and address_form.is_valid():
        try:
            person = services.partner_event_new_person(
                actor=request.user,
                event=event,
                data=form.cleaned_data,
                address=address_form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"A new record was made for {person.full_name} and the information is on "
                "their chronology.",
            )
            return redirect("partners:queue")
    return _render(
        request,
        "partners/new_person.html",
        {"form": form, "address": address_form, "event": event, "back": back},
    )


@require_POST
def event_send_back_view(request: SignedInRequest, event_id: int) -> HttpResponse:
    event = access_partner_event(actor=request.user, event_id=event_id, action=Action.EDIT)
    form = forms.SendBackForm(request.POST)
    if form.is_valid():
        try:
            services.partner_event_send_back(
                actor=request.user, event=event, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Sent back to {event.agency.name} with your reason.")
            return redirect("partners:queue")
    return _event_page(request, event, send_back=form)


# --- Partner agencies: CSV upload ---------------------------------------------------------


def _require_sender(request: SignedInRequest) -> None:
    if not can_send_partner_events(request.user):
        raise Http404


@require_http_methods(["GET", "POST"])
def upload_view(request: SignedInRequest) -> HttpResponse:
    _require_sender(request)
    posted = request.method == "POST"
    form = forms.UploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        file = form.cleaned_data["file"]
        upload = services.partner_upload_create(
            actor=request.user, filename=file.name, content=file.read()
        )
        return redirect("partners:preview", upload_id=upload.pk)
    return _render(
        request,
        "partners/upload.html",
        {
            "form": form,
            "sendable": types_for_kind(request.user.agency.kind),
            "sent_back": selectors.sent_back_for(actor=request.user),
        },
    )


def template_view(request: SignedInRequest) -> HttpResponse:
    _require_sender(request)
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="partner-events-template.csv"'
    return response


def preview_view(request: SignedInRequest, upload_id: int) -> HttpResponse:
    upload = access_partner_upload(actor=request.user, upload_id=upload_id)
    preview = services.partner_upload_preview(actor=request.user, upload=upload)
    return _render(request, "partners/preview.html", {"upload": upload, "preview": preview})


@require_POST
@transaction.non_atomic_requests
def confirm_view(request: SignedInRequest, upload_id: int) -> HttpResponse:
    """Each event commits on its own, as through the API: the request is not one
    transaction."""
    upload = access_partner_upload(actor=request.user, upload_id=upload_id)
    if upload.confirmed_at is None:
        try:
            services.partner_upload_confirm(actor=request.user, upload=upload)
        except ValidationError:
            return redirect("partners:preview", upload_id=upload.pk)
    return redirect(reverse("partners:preview", args=[upload.pk]) + "#sent")


# --- Watching the feeds ------------------------------------------------------------------


def feeds_view(request: SignedInRequest) -> HttpResponse:
    if not can_watch_partner_feeds(request.user):
        raise Http404
    now = timezone.now()
    rows = feeds.feeds_for_page(actor=request.user, as_of=now)
    return _render(request, "partners/feeds.html", {"feeds": rows, "as_of": now})


@require_http_methods(["GET", "POST"])
def feed_threshold_view(request: SignedInRequest, agency_id: int, type: str) -> HttpResponse:
    if not can_watch_partner_feeds(request.user):
        raise Http404
    feed = next(
        (
            f
            for f in feeds.feeds(as_of=timezone.now())
            if (f.agency_id, f.type) == (agency_id, type)
        ),
        None,
    )
    if feed is None:
        raise Http404
    posted = request.POST if request.method == "POST" else None
    if posted is not None and "usual" in posted:
        feeds.feed_threshold_clear(actor=request.user, agency_id=agency_id, type=type)
        messages.success(
            request,
            f"{feed.label} from {feed.agency_name}: the quiet limit now follows its usual rate.",
        )
        return redirect("partners:feeds")
    form = forms.QuietAfterForm(posted, initial={"quiet_after": feed.quiet_after})
    if posted is not None and form.is_valid():
        try:
            feeds.feed_threshold_set(
                actor=request.user,
                agency_id=agency_id,
                type=type,
                quiet_after=form.cleaned_data["quiet_after"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"{feed.label} from {feed.agency_name}: the quiet limit is saved."
            )
            return redirect("partners:feeds")
    return _render(request, "partners/feed_threshold.html", {"feed": feed, "form": form})


# --- Operation Encompass -----------------------------------------------------------------


def notices_view(request: SignedInRequest) -> HttpResponse:
    user = request.user
    if not can_list_encompass_notices(user):
        raise Http404
    rows = selectors.encompass_notices_for(actor=user)
    return _render(
        request,
        "partners/notices.html",
        {"rows": rows, "mash": may_resolve_encompass_notice(user)},
    )


def _notice_page(
    request: SignedInRequest, notice: Any, form: Any = None, status: int = 200
) -> HttpResponse:
    user = request.user
    return _render(
        request,
        "partners/notice.html",
        {
            "notice": notice,
            "form": form or forms.NoticeActionForm(initial={"version": notice.version}),
            "may_acknowledge": decide_encompass_notice(user, notice, Action.EDIT) is Decision.ALLOW,
            "may_send": may_resolve_encompass_notice(user),
            "police_detail": encompass_police_detail_shown(user, notice),
            "overdue": notice.due_at is not None and notice.due_at < timezone.now(),
        },
        status=status,
    )


def notice_detail_view(request: SignedInRequest, notice_id: int) -> HttpResponse:
    notice = access_encompass_notice(actor=request.user, notice_id=notice_id)
    return _notice_page(request, notice)


def _notice_action(
    request: SignedInRequest, notice_id: int, act: Any, done: str, action: Action
) -> HttpResponse:
    notice = access_encompass_notice(actor=request.user, notice_id=notice_id, action=action)
    form = forms.NoticeActionForm(request.POST)
    if form.is_valid():
        try:
            act(actor=request.user, notice=notice, expected_version=form.cleaned_data["version"])
        except ConcurrentEditError:
            notice = access_encompass_notice(actor=request.user, notice_id=notice_id)
            form = forms.NoticeActionForm(initial={"version": notice.version})
            form.add_error(None, "Someone else changed this notice while you were reading it")
            return _notice_page(request, notice, form, status=409)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("partners:notice-detail", notice_id=notice.pk)
    return _notice_page(request, notice, form)


@require_POST
def notice_acknowledge_view(request: SignedInRequest, notice_id: int) -> HttpResponse:
    return _notice_action(
        request,
        notice_id,
        encompass.encompass_notice_acknowledge,
        "Notice acknowledged. Support the child today as your school's procedure says.",
        Action.EDIT,
    )


@require_POST
def notice_send_view(request: SignedInRequest, notice_id: int) -> HttpResponse:
    if not may_resolve_encompass_notice(request.user):
        raise Http404
    return _notice_action(
        request,
        notice_id,
        encompass.encompass_notice_send,
        "The notice has gone to the school's safeguarding lead.",
        Action.VIEW,  # the MASH sends what it may read; the service checks it may resolve
    )
