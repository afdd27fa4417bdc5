"""A person's information-sharing log and the form for a manual entry."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from safehub.access.navigation import nav_for
from safehub.access.policy import Action
from safehub.core.users import SignedInRequest
from safehub.sharing import forms, selectors, services
from safehub.sharing.fetchers import access_sharing_person
from safehub.ui.forms_util import add_service_errors


def log_view(request: SignedInRequest, person_id: int) -> HttpResponse:
    person = access_sharing_person(actor=request.user, person_id=person_id)
    return render(
        request,
        "sharing/log.html",
        {
            "person": person,
            "entries": selectors.sharing_log_for(person),
            "nav_items": nav_for(request),
            "notices": list(messages.get_messages(request)),
        },
    )


@require_http_methods(["GET", "POST"])
def record_view(request: SignedInRequest, person_id: int) -> HttpResponse:
    person = access_sharing_person(actor=request.user, person_id=person_id, action=Action.EDIT)
    posted = request.POST if request.method == "POST" else None
    form = forms.SharingForm(posted, agencies=selectors.partner_agencies())
    if posted is not None and form.is_valid():
        try:
            services.sharing_record_manual(
                actor=request.user, person=person, data=form.service_data()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The entry is in the information-sharing log.")
            return redirect("sharing:person-log", person_id=person.pk)
    return render(
        request,
        "sharing/record.html",
        {"person": person, "form": form, "nav_items": nav_for(request)},
        status=200,
    )
