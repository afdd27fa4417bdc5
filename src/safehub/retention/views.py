"""The retention review page: records due (dispose or hold, with a reason), holds in place
(lift, with a reason) and recent decisions. For the data protection officer."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safehub.access.navigation import nav_for
from safehub.access.policy import can_review_retention
from safehub.core.exceptions import NotFound
from safehub.core.users import SignedInRequest
from safehub.retention import forms, selectors, services
from safehub.retention.fetchers import access_hold, access_review
from safehub.retention.schedule import current_schedule
from safehub.ui.forms_util import add_service_errors


def review_view(request: SignedInRequest) -> HttpResponse:
    if not can_review_retention(request.user):
        raise NotFound()
    return render(
        request,
        "retention/review.html",
        {
            "due": selectors.reviews_page(actor=request.user),
            "holds": selectors.holds_in_place(),
            "decided": selectors.reviews_decided(),
            "schedule": current_schedule(),
            "nav_items": nav_for(request),
            "notices": list(messages.get_messages(request)),
        },
    )


@require_http_methods(["GET", "POST"])
def decide_view(request: SignedInRequest, review_id: int) -> HttpResponse:
    review = access_review(actor=request.user, review_id=review_id)
    posted = request.POST if request.method == "POST" else None
    form = forms.DecisionForm(posted, initial={"version": review.version})
    if posted is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "dispose":
                services.record_dispose(
                    actor=request.user,
                    review=review,
                    expected_version=data["version"],
                    reason=data["reason"],
                    today=timezone.localdate(),
                )
                done = f"SafeHub ID {review.person_id} is disposed of."
            else:
                services.record_hold(
                    actor=request.user,
                    review=review,
                    expected_version=data["version"],
                    reason=data["reason"],
                )
                done = f"SafeHub ID {review.person_id} is kept under a legal hold."
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("retention:review")
    rule = current_schedule().by_code(review.record_class)
    return render(
        request,
        "retention/decide.html",
        {"review": review, "rule": rule, "form": form, "nav_items": nav_for(request)},
    )


@require_http_methods(["GET", "POST"])
def lift_view(request: SignedInRequest, hold_id: int) -> HttpResponse:
    hold = access_hold(actor=request.user, hold_id=hold_id)
    posted = request.POST if request.method == "POST" else None
    form = forms.LiftForm(posted)
    if posted is not None and form.is_valid():
        try:
            services.hold_lift(actor=request.user, hold=hold, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The hold on SafeHub ID {hold.person_id} is lifted.")
            return redirect("retention:review")
    return render(
        request, "retention/lift.html", {"hold": hold, "form": form, "nav_items": nav_for(request)}
    )
