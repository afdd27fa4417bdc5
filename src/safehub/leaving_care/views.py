"""The care leaver pages: the section on the young person's casework page, the personal
adviser's part of "my work", and the forms that record a personal adviser, a pathway plan,
staying put and a birthday record. Thin: the casework fetcher decides who may record, the
services decide what is valid, the casework form page shows it."""

from datetime import date
from typing import Any

from django.http import HttpResponse
from django.views.decorators.http import require_http_methods

from safehub.access.policy import can_edit_viewable_person, can_manage_cases
from safehub.casework.sections import ChildRead, MyWorkRead, Section
from safehub.casework.selectors import team_workers
from safehub.casework.views import _child, _data, _form, _must_manage, _when
from safehub.core.users import SignedInRequest
from safehub.leaving_care import forms, selectors, services
from safehub.organisations.models import User
from safehub.people.models import Person


def child_section(actor: User, child: Person, today: date, read: ChildRead) -> Section | None:
    """The leaving-care section of the casework page, for young people who have a
    category or a record."""
    section = selectors.care_leaver_section(child=child, today=today, read=read)
    if not section.shown:
        return None
    can_record = can_edit_viewable_person(actor)
    return Section(
        template="leaving_care/_section.html",
        context={
            "lc": section,
            "can_record": can_record,
            "can_manage": can_record and can_manage_cases(actor),
        },
        title="Leaving care",
        anchor="leaving-care",
    )


def my_work_section(actor: User, today: date, read: MyWorkRead) -> Section | None:
    """The care leavers `actor` advises, in "my work"; those named are in its audit row."""
    rows = selectors.adviser_work(actor=actor, today=today, read=read)
    if not rows:
        return None
    return Section(
        template="leaving_care/_my_work.html",
        context={"rows": rows},
        listed="leaving_care.adviser_work",
        shown=tuple(r.child.pk for r in rows if r.visible),
    )


@require_http_methods(["GET", "POST"])
def adviser_view(request: SignedInRequest, person_id: int) -> HttpResponse:
    _must_manage(request)
    child = _child(request, person_id)
    leaver = selectors.care_leaver_for(child)
    advisers = team_workers(request.user)
    by_id = {a.pk: a for a in advisers}
    initial: dict[str, Any] = {"version": leaver.version} if leaver else {}
    if leaver:
        initial.update(adviser=leaver.personal_adviser_id, support_to_25=leaver.support_to_25)
    return _form(
        request,
        child,
        forms.AdviserForm(_data(request), advisers=advisers, initial=initial),
        lambda d: services.adviser_allocate(
            actor=request.user,
            child=child,
            adviser=by_id.get(d["adviser"]),
            support_to_25=d["support_to_25"],
            expected_version=d.get("version"),
        ),
        title="Personal adviser",
        button="Save",
        done="Personal adviser saved",
        facts=[
            (
                "Personal adviser",
                f"{leaver.personal_adviser} (since {_when(leaver.adviser_since)})",
            )
        ]
        if leaver and leaver.personal_adviser
        else [],
    )


@require_http_methods(["GET", "POST"])
def pathway_plan_view(request: SignedInRequest, person_id: int) -> HttpResponse:
    child = _child(request, person_id)
    return _form(
        request,
        child,
        forms.PathwayPlanForm(_data(request)),
        lambda d: services.pathway_plan_record(
            actor=request.user, child=child, plan_date=d["plan_date"], content=d["content"]
        ),
        title="Record a pathway plan or its review",
        button="Save the plan",
        done="Pathway plan recorded",
    )


@require_http_methods(["GET", "POST"])
def staying_put_start_view(request: SignedInRequest, person_id: int) -> HttpResponse:
    child = _child(request, person_id)
    return _form(
        request,
        child,
        forms.StayingPutStartForm(_data(request)),
        lambda d: services.staying_put_start(
            actor=request.user,
            child=child,
            carer_name=d["carer_name"],
            start_date=d["start_date"],
        ),
        title="Record staying put",
        button="Save",
        done="Staying put recorded",
    )


@require_http_methods(["GET", "POST"])
def staying_put_end_view(request: SignedInRequest, person_id: int) -> HttpResponse:
    child = _child(request, person_id)
    return _form(
        request,
        child,
        forms.StayingPutEndForm(_data(request)),
        lambda d: services.staying_put_end(actor=request.user, child=child, end_date=d["end_date"]),
        title="Record that staying put ended",
        button="Save",
        done="Staying put ended",
    )


@require_http_methods(["GET", "POST"])
def birthday_view(request: SignedInRequest, person_id: int) -> HttpResponse:
    child = _child(request, person_id)
    form = forms.BirthdayForm(_data(request))
    return _form(
        request,
        child,
        form,
        lambda d: services.birthday_record(
            actor=request.user,
            child=child,
            age=d["age"],
            contact_date=d["contact_date"],
            in_touch=d["in_touch"],
            accommodation=d["accommodation"],
            suitable=form.suitable_value(),
            activity=d["activity"],
        ),
        title="Record a birthday: in touch, accommodation and activity",
        button="Save the birthday record",
        done="Birthday record saved",
        facts=[("Born", _when(child.date_of_birth))],
    )
