"""Subject access pages for the data protection officer: the list with days left, a new
request, a request's page (bundle, redactions), extending, compiling, deciding, exporting."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from safehub.access.navigation import nav_for
from safehub.access.policy import can_handle_subject_access
from safehub.core.exceptions import NotFound
from safehub.core.users import SignedInRequest
from safehub.subjectaccess import forms, selectors, services
from safehub.subjectaccess.fetchers import access_request, access_subject, person_for_new_request
from safehub.subjectaccess.models import RedactionState, SubjectAccessRequest
from safehub.ui.forms_util import add_service_errors


def _handler_only(request: SignedInRequest) -> None:
    if not can_handle_subject_access(request.user):
        raise NotFound()


def list_view(request: SignedInRequest) -> HttpResponse:
    _handler_only(request)
    rows = selectors.request_list(
        actor=request.user,
        today=timezone.localdate(),
        include_sent=request.GET.get("sent") == "1",
    )
    return render(
        request,
        "subjectaccess/list.html",
        {
            "rows": rows,
            "include_sent": request.GET.get("sent") == "1",
            "nav_items": nav_for(request),
            "notices": list(messages.get_messages(request)),
        },
    )


@require_http_methods(["GET", "POST"])
def create_view(request: SignedInRequest) -> HttpResponse:
    _handler_only(request)
    posted = request.POST if request.method == "POST" else None
    form = forms.RequestForm(posted)
    if posted is not None and form.is_valid():
        try:
            # A mistyped ID is a form error here, not the 404 page (the refusal is audited).
            person = person_for_new_request(
                actor=request.user, person_id=form.cleaned_data["person_id"]
            )
            sar = services.sar_record(
                actor=request.user,
                person=person,
                today=timezone.localdate(),
                **form.service_data(),
            )
        except NotFound:
            form.add_error("person_id", "There is no person with that SafeHub ID")
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The request is recorded. Its deadline is shown below.")
            return redirect("subjectaccess:detail", request_id=sar.pk)
    return render(
        request, "subjectaccess/create.html", {"form": form, "nav_items": nav_for(request)}
    )


def detail_view(request: SignedInRequest, request_id: int) -> HttpResponse:
    sar = access_request(actor=request.user, request_id=request_id)
    if sar.is_open:  # the bundle is the subject's record: read (and audited) while open
        access_subject(actor=request.user, sar=sar)
    return _detail(request, sar)


def _detail(
    request: SignedInRequest,
    sar: SubjectAccessRequest,
    redaction_form: forms.RedactionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    # Once sent, the page shows the request alone: the bundle is no longer read.
    items = selectors.bundle_items(sar) if sar.is_open else []
    redactions = selectors.redactions(sar)
    terms = [r.term for r in redactions if r.state == RedactionState.ACCEPTED]
    texts = [f"{i.heading}\n{i.text}" for i in items]
    return render(
        request,
        "subjectaccess/detail.html",
        {
            "sar": sar,
            "days_left": (sar.deadline - timezone.localdate()).days,
            "items": [
                (item, selectors.redact(item.heading, terms), selectors.redact(item.text, terms))
                for item in items
            ],
            "redactions": [(r, selectors.occurrences(r.term, texts)) for r in redactions],
            "undecided": sum(1 for r in redactions if r.state == RedactionState.SUGGESTED),
            "redaction_form": redaction_form or forms.RedactionForm(),
            "sent_form": forms.SentForm(initial={"version": sar.version}),
            "nav_items": nav_for(request),
            "notices": list(messages.get_messages(request)),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def extend_view(request: SignedInRequest, request_id: int) -> HttpResponse:
    sar = access_request(actor=request.user, request_id=request_id)
    posted = request.POST if request.method == "POST" else None
    form = forms.ExtendForm(posted, initial={"version": sar.version})
    if posted is not None and form.is_valid():
        try:
            services.sar_extend(
                actor=request.user,
                sar=sar,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
                today=timezone.localdate(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The deadline is extended by two months.")
            return redirect("subjectaccess:detail", request_id=sar.pk)
    return render(
        request,
        "subjectaccess/extend.html",
        {"sar": sar, "form": form, "nav_items": nav_for(request)},
    )


@require_POST
def compile_view(request: SignedInRequest, request_id: int) -> HttpResponse:
    sar = access_request(actor=request.user, request_id=request_id)
    try:
        count = services.sar_compile(actor=request.user, sar=sar)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The bundle is compiled: {count} items. Review the redactions.")
    return redirect("subjectaccess:detail", request_id=sar.pk)


@require_POST
def decide_view(request: SignedInRequest, request_id: int, redaction_id: int) -> HttpResponse:
    sar = access_request(actor=request.user, request_id=request_id)
    form = forms.DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.redaction_decide(
                actor=request.user,
                sar=sar,
                redaction_id=redaction_id,
                redact=form.cleaned_data["decision"] == "redact",
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect(f"{_detail_url(sar.pk)}#redactions")


@require_POST
def redaction_add_view(request: SignedInRequest, request_id: int) -> HttpResponse:
    sar = access_request(actor=request.user, request_id=request_id)
    form = forms.RedactionForm(request.POST)
    if form.is_valid():
        try:
            services.redaction_add(actor=request.user, sar=sar, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The words are added to the redactions.")
            return redirect(f"{_detail_url(sar.pk)}#redactions")
    return _detail(request, sar, redaction_form=form, status=400)


def export_view(request: SignedInRequest, request_id: int) -> HttpResponse:
    sar = access_request(actor=request.user, request_id=request_id)
    try:
        pdf = services.sar_export(actor=request.user, sar=sar)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("subjectaccess:detail", request_id=sar.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{sar.pk}.pdf"'
    return response


@require_POST
def sent_view(request: SignedInRequest, request_id: int) -> HttpResponse:
    sar = access_request(actor=request.user, request_id=request_id)
    form = forms.SentForm(request.POST)
    if form.is_valid():
        try:
            services.sar_mark_sent(
                actor=request.user, sar=sar, expected_version=form.cleaned_data["version"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "The request is marked as sent.")
    return redirect("subjectaccess:detail", request_id=sar.pk)


def _detail_url(pk: int) -> str:
    from django.urls import reverse

    return reverse("subjectaccess:detail", args=[pk])
