"""The public "report a worry about a child" form: no account, one question a page, the
answers kept in this browser's (anonymous) session until the person sends them.

Every view here is public (`login_not_required`) and limited per address: all posts count
towards PUBLIC_REPORT_PAGE_RATE, and each report sent towards PUBLIC_REPORT_RATE. No page
says anything about any report except the one this session sent.
"""

import logging
import secrets
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited

from safehub.core.client_ip import client_ip
from safehub.frontdoor import forms_public, services
from safehub.frontdoor.codes import Channel, Urgency
from safehub.frontdoor.forms_public import TRAP_FIELD

logger = logging.getLogger(__name__)

SESSION_KEY = "public_report"
# The question pages, in order: URL name -> form.
PAGES: dict[str, type[forms_public.ReportPage]] = {
    "child": forms_public.ChildForm,
    "mother": forms_public.MotherForm,
    "address": forms_public.AddressForm,
    "what-happened": forms_public.WhatHappenedForm,
    "danger": forms_public.DangerForm,
    "about-you": forms_public.AboutYouForm,
    "your-name": forms_public.YourNameForm,
    "contact": forms_public.ContactForm,
    "contact-details": forms_public.ContactDetailsForm,
}
# The MASH's numbers, with non-breaking spaces so that each stays on one line.
MASH_PHONE = "01632\u00a0960\u00a0000"
OUT_OF_HOURS_PHONE = "01632\u00a0960\u00a0999"
CONFLICT = (
    "Your report reached us before, but something went wrong as we showed you its "
    "reference number, and your answers have changed since. Check them and send the "
    "report again so that we have your changes"
)


# --- Public, rate-limited views ----------------------------------------------------------


def _page_rate(group: str, request: HttpRequest) -> str:
    return settings.PUBLIC_REPORT_PAGE_RATE


def _submission_rate(group: str, request: HttpRequest) -> str:
    return settings.PUBLIC_REPORT_RATE


def _public(*methods: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """No sign-in; only these methods; never kept in a cache (the answers are about a child,
    and the computer may be shared); every POST counted against the page rate for the
    sender's address, and past it the plain-English "too many attempts" page (429)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        limited = ratelimit(
            group="public-report-pages", key="ip", rate=_page_rate, method="POST", block=True
        )(view)

        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return limited(request, *args, **kwargs)
            except Ratelimited as refusal:
                return import_string(settings.RATELIMIT_VIEW)(request, refusal)

        return login_not_required(never_cache(require_http_methods(list(methods))(wrapper)))

    return decorator


def _count_submission(request: HttpRequest) -> None:
    """A report about to be sent counts against the address's submission rate; a retry of
    one already sent is answered from the session and does not."""
    if is_ratelimited(
        request, group="public-report-submit", key="ip", rate=_submission_rate, increment=True
    ):
        raise Ratelimited()


# --- The answers in the session ----------------------------------------------------------


def _state(request: HttpRequest) -> dict[str, Any]:
    """The answers so far. Answers left for longer than SESSION_IDLE_SECONDS are deleted
    (the start page promises it: the computer may be shared), and the next page says so."""
    state = dict(request.session.get(SESSION_KEY) or {})
    if state.get("answered") and time.time() - state.get("saved_at", 0) > (
        settings.SESSION_IDLE_SECONDS
    ):
        state = {"timed_out": True}
        _save(request, state)
    state.setdefault("answers", forms_public.empty_answers())
    state.setdefault("answered", [])
    return state


def _save(request: HttpRequest, state: dict[str, Any]) -> None:
    """Keep the answers, timed from now."""
    request.session[SESSION_KEY] = {**state, "saved_at": time.time()}


def _keep_only_sent(request: HttpRequest, sent: dict[str, Any]) -> None:
    """After sending: no answers, only what the confirmation page needs."""
    request.session[SESSION_KEY] = {"sent": sent}


def _timed_out_notice(request: HttpRequest, state: dict[str, Any]) -> bool:
    """Whether this page must say the earlier answers were deleted (said once)."""
    if not state.pop("timed_out", False):
        return False
    _save(request, state)
    return True


def _keep_after_timeout(
    request: HttpRequest,
    state: dict[str, Any],
    page: str,
    form_class: type[forms_public.ReportPage],
) -> HttpResponse:
    """A page sent after the earlier answers were deleted: keep what it says, as typed,
    for when the person reaches that page again, and start them at the first question."""
    names = set(form_class.base_fields)
    kept = {k: v for k, v in request.POST.items() if k.split("-")[0] in names}
    state["kept"] = {**state.get("kept", {}), page: kept}
    _save(request, state)
    return redirect(_url(_first_to_answer(state) or "check"))


def _anonymous(state: dict[str, Any]) -> bool:
    return bool(state["answers"].get("referrer", {}).get("anonymous"))


def _pages_for(state: dict[str, Any]) -> list[str]:
    """The pages this person is asked: someone anonymous is not asked their name or how to
    reach them, and someone who does not want to be contacted is not asked how."""
    referrer = state["answers"].get("referrer", {})
    skipped = set()
    if not forms_public.is_unborn(state["answers"]):
        skipped.add("mother")
    if referrer.get("anonymous"):
        skipped |= {"your-name", "contact", "contact-details"}
    if not referrer.get("wants_contact"):
        skipped.add("contact-details")
    return [page for page in PAGES if page not in skipped]


def _first_to_answer(state: dict[str, Any]) -> str | None:
    """The first page not answered yet, or whose answers no longer pass (a child's birthday
    may make them 18 between pages); None when the report is ready to check."""
    errors = forms_public.submission_errors(state["answers"])
    for page in _pages_for(state):
        if page not in state["answered"] or any(
            key in errors for key in PAGES[page].errors_to_fields
        ):
            return page
    return "child" if errors else None


def _url(name: str, returning: bool = False) -> str:
    return reverse(f"report:{name}") + ("?return=check" if returning else "")


def _next_url(page: str, state: dict[str, Any], returning: bool) -> str:
    if page == "danger" and state["answers"]["in_danger_now"]:
        return _url("call-999", returning)
    if returning:
        return _url("check")
    pages = _pages_for(state)
    following = pages[pages.index(page) + 1 :] if page in pages else []
    return _url(following[0]) if following else _url("check")


def _back_url(page: str, state: dict[str, Any], returning: bool) -> str:
    if returning:
        return _url("check")
    pages = _pages_for(state)
    earlier = pages[: pages.index(page)] if page in pages else []
    return _url(earlier[-1]) if earlier else _url("start")


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    context.setdefault("mash_phone", MASH_PHONE)
    context.setdefault("out_of_hours_phone", OUT_OF_HOURS_PHONE)
    context.setdefault("idle_minutes", settings.SESSION_IDLE_SECONDS // 60)
    return render(request, f"frontdoor/report/{template}", context)


# --- Pages -------------------------------------------------------------------------------


@_public("GET")
def start_view(request: HttpRequest) -> HttpResponse:
    return _render(request, "start.html", {})


@_public("GET", "POST")
def question_view(request: HttpRequest, page: str) -> HttpResponse:
    """Any question page: show it (with the answers given so far), or check the answers
    against the validation rules, keep them and go on."""
    form_class = PAGES[page]
    state = _state(request)
    returning = request.GET.get("return") == "check"
    if request.method == "POST" and state.get("timed_out"):
        return _keep_after_timeout(request, state, page, form_class)
    kept = state.get("kept", {}).get(page)
    if request.method == "POST":
        if request.POST.get(TRAP_FIELD):
            state["trapped"] = True
            _save(request, state)
        form = form_class(request.POST, answers=state["answers"])
        if form.is_valid():
            state["answers"] = form.updated
            asked = _pages_for(state)
            state["answered"] = [p for p in asked if p in state["answered"] or p == page]
            state.get("kept", {}).pop(page, None)
            _save(request, state)
            return redirect(_next_url(page, state, returning))
    elif kept:
        form = form_class(kept, answers=state["answers"])  # typed before the answers went
    elif page in state["answered"]:
        form = form_class(form_class.data_from(state["answers"]), answers=state["answers"])
        form.is_valid()  # shows any problem the final check would find
    else:
        form = form_class(answers=state["answers"])
    return _render(
        request,
        f"{page}.html",
        {
            "form": form,
            "back": _back_url(page, state, returning),
            "action": _url(page, returning),
            "trap_field": TRAP_FIELD,
            "timed_out": _timed_out_notice(request, state),
            "answers_kept": bool(state.get("kept")),
        },
    )


@_public("GET")
def emergency_view(request: HttpRequest) -> HttpResponse:
    returning = request.GET.get("return") == "check"
    return _render(
        request,
        "call_999.html",
        {
            "back": _url("danger", returning),
            "continue_url": _url("check") if returning else _url("about-you"),
        },
    )


@_public("GET")
def check_view(request: HttpRequest) -> HttpResponse:
    state = _state(request)
    if not state["answered"]:
        return redirect(_url("child") if state.get("timed_out") else "report:start")
    page = _first_to_answer(state)
    if page is not None:
        return redirect(_url(page))
    state.setdefault("token", secrets.token_urlsafe(32))
    conflict = state.pop("conflict", False)
    _save(request, state)
    return _render(
        request,
        "check.html",
        {
            "answers": forms_public.cleaned_answers(state["answers"]),
            "anonymous": _anonymous(state),
            "token": state["token"],
            "trap_field": TRAP_FIELD,
            "conflict": CONFLICT if conflict else "",
            "has_errors": conflict,
        },
    )


@_public("GET", "POST")
@transaction.non_atomic_requests
def submit_view(request: HttpRequest) -> HttpResponse:
    """Send the report. Not one request-wide transaction: the service commits the contact
    durably first, so nothing after it (remembering the reference, the next page) can lose
    it. The idempotency key is the one-time token this session was given with the check
    answers page, so a double click or a browser retry sends one report, not two."""
    if request.method != "POST":
        return redirect("report:check")
    state = _state(request)
    token = request.POST.get("token", "")
    sent = state.get("sent") or {}
    if sent.get("token") and constant_time_compare(token, sent["token"]):
        return redirect("report:sent")  # this report again: show the same confirmation
    if state.get("timed_out"):
        return redirect(_url("child"))  # the answers were deleted: the first page says so
    if not state.get("token") or not constant_time_compare(token, state["token"]):
        return redirect("report:check")  # an old page: check the answers as they are now
    _count_submission(request)
    if state.get("trapped") or request.POST.get(TRAP_FIELD):
        return _discard(request, state)
    try:
        contact, _created = services.contact_submit(
            actor=None,
            channel=Channel.PUBLIC,
            data=state["answers"],
            idempotency_key=f"public:{state['token']}",
        )
    except services.IdempotencyConflict:
        state.update(token=secrets.token_urlsafe(32), conflict=True)
        _save(request, state)
        return redirect("report:check")
    except ValidationError:
        return redirect("report:check")  # it sends them to the page to put right
    _remember_submission(request, contact)
    return redirect("report:sent")


def _remember_submission(request: HttpRequest, contact: Any) -> None:
    """Forget the answers; keep only what the confirmation page shows (the reference) and
    the token, so a retry of this same report lands on the same confirmation."""
    state = _state(request)
    promise = services.decision_promise(contact.urgency, contact.decision_due_at)
    _keep_only_sent(
        request,
        {"token": state.get("token"), "reference": contact.reference, "promise": promise},
    )


def _discard(request: HttpRequest, state: dict[str, Any]) -> HttpResponse:
    """The hidden trap field was filled in: software, not a person. Answer as if the report
    was accepted, keep nothing."""
    logger.warning(
        "Public report discarded: the hidden trap field was filled in (address %s)",
        client_ip(request),
    )
    urgency = (
        Urgency.IMMEDIATE if state.get("answers", {}).get("in_danger_now") else Urgency.ROUTINE
    )
    promise = services.decision_promise(urgency, services.decision_due(timezone.now(), urgency))
    _keep_only_sent(request, {"token": state.get("token"), "reference": None, "promise": promise})
    return redirect("report:sent")


@_public("GET")
def sent_view(request: HttpRequest) -> HttpResponse:
    sent = (request.session.get(SESSION_KEY) or {}).get("sent")
    if not sent:
        return redirect("report:start")
    return _render(
        request, "sent.html", {"reference": sent.get("reference"), "promise": sent.get("promise")}
    )
