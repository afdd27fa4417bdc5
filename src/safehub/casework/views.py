"""Casework pages: the child's casework page, one form page per casework service, the
worker's "my work" and the manager's team page. Each form view: fetch the child through
access/, bind the form, call one service, and go back to the casework page (or show the
GOV.UK error summary)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from safehub.access.navigation import nav_for
from safehub.access.policy import (
    SignOff,
    can_edit_viewable_person,
    can_manage_cases,
    can_read_casework,
    holds_cases,
    may_sign_off,
    rules_for,
)
from safehub.casework import forms, selectors, services
from safehub.casework.codes import (
    ASSESSMENT_FACTORS,
    ClosureReason,
    EarlyHelpClosure,
    EpisodeKind,
    ReferralSource,
    VisitKind,
)
from safehub.casework.fetchers import access_child, access_child_to_allocate, read_child
from safehub.casework.sections import child_sections, team_sections
from safehub.chronology.selectors import chronology_page_for_person
from safehub.core.exceptions import ConcurrentEditError, NotFound
from safehub.core.once import submit_once
from safehub.core.users import SignedInRequest
from safehub.people.presenters import timeline_items
from safehub.ui.forms_util import add_service_errors
from safehub.ui.jinja2 import govuk_date

FORM_TEMPLATE = "casework/form.html"
LATEST_CHRONOLOGY = 10  # the rest is on the person page
# Codes stored without a choices list of their own, as the casework page names them.
LABELS = {
    "closure": {**dict(ClosureReason.choices), **dict(EarlyHelpClosure.choices)},
    "source": dict(ReferralSource.choices),
    "factor": {**ASSESSMENT_FACTORS, services.NO_FACTORS: "No factors identified"},
}


def _render(
    request: SignedInRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    forms_in = [v for v in context.values() if hasattr(v, "errors") and hasattr(v, "fields")]
    context.setdefault("has_errors", any(f.errors for f in forms_in))
    context.setdefault("nav_items", nav_for(request))
    return render(request, template, context, status=status)


def _data(request: SignedInRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _child(request: SignedInRequest, person_id: int, *, conference: bool = False) -> Any:
    """The child, if the user may record casework for them. Opening the form shows the
    child (the fetch audits that view); the post that saves is audited as the change."""
    return access_child(
        actor=request.user,
        person_id=person_id,
        conference=conference,
        shown=request.method == "GET",
    )


def _found(record: Any) -> Any:
    if record is None:
        raise Http404
    return record


def _must_manage(request: SignedInRequest) -> None:
    """Manager-only pages say so (403) before anything about the child is looked up."""
    if not can_manage_cases(request.user):
        raise PermissionDenied


def _casework_url(child: Any) -> str:
    return reverse("casework:child-casework", args=[child.pk])


def _form(
    request: SignedInRequest,
    child: Any,
    form: Any,
    save: Callable[[dict[str, Any]], Any],
    *,
    title: str,
    button: str,
    done: str,
    template: str = FORM_TEMPLATE,
    facts: list[tuple[str, str]] | None = None,
    **extra: Any,
) -> HttpResponse:
    """The shape of every casework form page: on a valid POST call the service and go back
    to the casework page; otherwise show the form, with the service's errors. The form's
    one-time token makes the service call once: the same form sent again records nothing
    new and goes back to the casework page, which shows what the first one saved."""
    if request.method == "POST" and form.is_valid():
        try:
            submit_once(
                key=form.once_key(request.user),
                answers=[request.path, form.answers()],
                record=lambda: save(form.cleaned_data),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done, extra_tags=extra.get("draft_kind", ""))
            # Back to the top of the casework page, where the success banner says what was
            # saved and the due list shows what changed.
            return redirect(_casework_url(child))
    return _render(
        request,
        template,
        {
            "child": child,
            "form": form,
            "title": title,
            "button": button,
            "facts": facts or [],
            **extra,
        },
    )


def _versioned(save: Callable[[dict[str, Any]], Any]) -> Callable[[dict[str, Any]], Any]:
    """A save that names the version its form was opened at: someone else's later save
    becomes the form's error, in plain words, and nothing is overwritten."""

    def run(data: dict[str, Any]) -> Any:
        try:
            return save(data)
        except ConcurrentEditError as error:
            raise ValidationError(f"{error} Go back to the casework page to see it.") from None

    return run


def _when(value: Any) -> str:
    return govuk_date(value) if value else "Not recorded"


# --- The child's casework page -----------------------------------------------------------


def child_casework_view(request: SignedInRequest, person_id: int) -> HttpResponse:
    actor = request.user
    if not can_read_casework(actor):
        raise Http404
    child = read_child(actor=actor, person_id=person_id)
    today = timezone.localdate()
    notices = list(messages.get_messages(request))
    can_record = can_edit_viewable_person(actor)
    work = selectors.child_casework(child=child, today=today)
    sections = child_sections(actor, child, today, selectors.child_read(work))
    chronology = chronology_page_for_person(actor=actor, person=child, size=LATEST_CHRONOLOGY)
    return _render(
        request,
        "casework/child.html",
        {
            "child": child,
            "work": work,
            "sections": sections,
            "sections_nav": [
                {"text": s.title, "href": f"#{s.anchor}"} for s in sections if s.anchor
            ],
            "chronology": chronology,
            "timeline_items": timeline_items(chronology),
            "today": today,
            "can_record": can_record,
            "can_chair": can_record or rules_for(actor).can_chair,
            "can_manage": can_record and can_manage_cases(actor),
            "can_authorise": bool(
                work.assessment
                and can_record
                and may_sign_off(
                    actor, SignOff.ASSESSMENT, done_by_id=work.assessment.completed_by_id
                )
            ),
            "notices": notices,
            "drafts_saved": [
                _draft_key(request, child, n.extra_tags)
                for n in notices
                if n.extra_tags in ("note", "visit")
            ],
            "visit_kind_label": VisitKind(work.visit_kind).label,
            "labels": LABELS,
        },
    )


# --- Episodes ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def episode_open_view(request: SignedInRequest, person_id: int) -> HttpResponse:
    child = _child(request, person_id)
    return _form(
        request,
        child,
        forms.EpisodeOpenForm(_data(request)),
        lambda d: services.episode_open(
            actor=request.user,
            child=child,
            kind=d["kind"],
            referral_date=d["referral_date"],
            referral_source=d["referral_source"],
            primary_need=d["primary_need"],
        ),
        title="Open an episode",
        button="Open the episode",
        done="Episode opened",
    )


@require_http_methods(["GET", "POST"])
def episode_close_view(request: SignedInRequest, person_id: int, episode_id: int) -> HttpResponse:
    child = _child(request, person_id)
    episode = _found(selectors.episode_for(child, episode_id))
    form = forms.EpisodeCloseForm(
        _data(request),
        kind=episode.kind,
        ask_referral_nfa=(
            episode.kind == EpisodeKind.CIN and not services.has_statutory_work(episode)
        ),
    )
    return _form(
        request,
        child,
        form,
        lambda d: services.episode_close(
            actor=request.user,
            episode=episode,
            closure_date=d["closure_date"],
            reason=d["reason"],
            referral_nfa=form.nfa_answer(),
        ),
        title=f"Close the {episode.get_kind_display().lower()} episode",
        button="Close the episode",
        done="Episode closed",
        facts=[("Referral date", _when(episode.referral_date))],
    )


@require_http_methods(["GET", "POST"])
def primary_need_view(request: SignedInRequest, person_id: int, episode_id: int) -> HttpResponse:
    child = _child(request, person_id)
    episode = _found(selectors.episode_for(child, episode_id))
    return _form(
        request,
        child,
        forms.PrimaryNeedForm(_data(request), initial={"primary_need": episode.primary_need}),
        lambda d: services.episode_primary_need_change(
            actor=request.user, episode=episode, primary_need=d["primary_need"]
        ),
        title="Change the primary need",
        button="Save the primary need",
        done="Primary need saved",
        facts=[
            ("Referral date", _when(episode.referral_date)),
            (
                "Primary need now",
                f"{episode.get_primary_need_display()} ({episode.primary_need})"
                if episode.primary_need
                else "Not recorded",
            ),
        ],
    )


# --- Assessment --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def assessment_start_view(
    request: SignedInRequest, person_id: int, episode_id: int
) -> HttpResponse:
    child = _child(request, person_id)
    episode = _found(selectors.episode_for(child, episode_id))
    return _form(
        request,
        child,
        forms.AssessmentStartForm(_data(request)),
        lambda d: services.assessment_start(
            actor=request.user, episode=episode, start_date=d["start_date"]
        ),
        title="Start the child and family assessment",
        button="Start the assessment",
        done="Assessment started",
        facts=[("Referral date", _when(episode.referral_date))],
    )


def _assessment_facts(assessment: Any) -> list[tuple[str, str]]:
    return [
        ("Started", _when(assessment.start_date)),
        ("Due", _when(assessment.due_date)),
        (
            "Child seen",
            _when(assessment.child_seen_date) + (" (alone)" if assessment.child_seen_alone else ""),
        ),
    ]


@require_http_methods(["GET", "POST"])
def assessment_seen_view(
    request: SignedInRequest, person_id: int, assessment_id: int
) -> HttpResponse:
    child = _child(request, person_id)
    assessment = _found(selectors.assessment_for(child, assessment_id))
    return _form(
        request,
        child,
        forms.AssessmentSeenForm(_data(request)),
        lambda d: services.assessment_record_seen(
            actor=request.user,
            assessment=assessment,
            seen_date=d["seen_date"],
            seen_alone=d["seen_alone"],
        ),
        title="Record when the child was seen",
        button="Save",
        done="Child seen recorded",
        facts=_assessment_facts(assessment),
    )


@require_http_methods(["GET", "POST"])
def assessment_complete_view(
    request: SignedInRequest, person_id: int, assessment_id: int
) -> HttpResponse:
    child = _child(request, person_id)
    assessment = _found(selectors.assessment_for(child, assessment_id))
    return _form(
        request,
        child,
        forms.AssessmentCompleteForm(_data(request)),
        lambda d: services.assessment_complete(
            actor=request.user,
            assessment=assessment,
            completed_date=d["completed_date"],
            factors=d["factors"],
            summary=d["summary"],
        ),
        title="Complete the assessment",
        button="Complete the assessment",
        done="Assessment completed: it now needs a manager to authorise it",
        template="casework/assessment_complete.html",
        no_factors=services.NO_FACTORS,
        facts=_assessment_facts(assessment),
    )


@require_http_methods(["GET", "POST"])
def assessment_authorise_view(
    request: SignedInRequest, person_id: int, assessment_id: int
) -> HttpResponse:
    _must_manage(request)
    child = _child(request, person_id)
    assessment = _found(selectors.assessment_for(child, assessment_id))
    return _form(
        request,
        child,
        forms.AssessmentAuthoriseForm(_data(request)),
        lambda d: services.assessment_authorise(
            actor=request.user, assessment=assessment, authorised_date=d["authorised_date"]
        ),
        title="Authorise the assessment",
        button="Authorise the assessment",
        done="Assessment authorised",
        facts=[
            *_assessment_facts(assessment),
            ("Completed", _when(assessment.completed_date)),
            ("Summary", assessment.summary or "None"),
        ],
    )


# --- Child protection --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def strategy_record_view(request: SignedInRequest, person_id: int, episode_id: int) -> HttpResponse:
    child = _child(request, person_id)
    episode = _found(selectors.episode_for(child, episode_id))
    return _form(
        request,
        child,
        forms.StrategyForm(_data(request)),
        lambda d: services.strategy_record(
            actor=request.user,
            episode=episode,
            held_on=d["held_on"],
            participants=d["participants"],
            outcome=d["outcome"],
            notes=d["notes"],
        ),
        title="Record a strategy discussion",
        button="Save the strategy discussion",
        done="Strategy discussion recorded",
    )


@require_http_methods(["GET", "POST"])
def section47_conclude_view(
    request: SignedInRequest, person_id: int, enquiry_id: int
) -> HttpResponse:
    child = _child(request, person_id)
    enquiry = _found(selectors.enquiry_for(child, enquiry_id))
    return _form(
        request,
        child,
        forms.Section47ConcludeForm(_data(request)),
        lambda d: services.section47_conclude(
            actor=request.user, enquiry=enquiry, end_date=d["end_date"], outcome=d["outcome"]
        ),
        title="Conclude the section 47 enquiry",
        button="Save the outcome",
        done="Section 47 enquiry concluded",
        facts=[
            ("Started", _when(enquiry.start_date)),
            ("Initial conference due by", _when(enquiry.icpc_target)),
        ],
    )


@require_http_methods(["GET", "POST"])
def conference_initial_view(
    request: SignedInRequest, person_id: int, enquiry_id: int
) -> HttpResponse:
    child = _child(request, person_id, conference=True)
    enquiry = _found(selectors.enquiry_for(child, enquiry_id))
    return _form(
        request,
        child,
        forms.ConferenceInitialForm(_data(request), **_chairs(request)),
        lambda d: services.conference_initial(
            actor=request.user,
            enquiry=enquiry,
            held_on=d["held_on"],
            outcome=d["outcome"],
            category=d["category"],
            chair_id=d["chair"],
        ),
        title="Record the initial child protection conference",
        button="Save the conference",
        done="Initial conference recorded",
        facts=[
            ("Section 47 enquiry started", _when(enquiry.start_date)),
            ("Conference due by", _when(enquiry.icpc_target)),
        ],
    )


def _chairs(request: SignedInRequest) -> dict[str, Any]:
    return {"chairs": selectors.conference_chairs(), "me": request.user.pk}


def _plan_facts(plan: Any) -> list[tuple[str, str]]:
    return [
        ("Plan started", _when(plan.start_date)),
        ("Category of abuse", plan.get_latest_category_display()),
    ]


@require_http_methods(["GET", "POST"])
def core_group_view(request: SignedInRequest, person_id: int, plan_id: int) -> HttpResponse:
    child = _child(request, person_id)
    plan = _found(selectors.cp_plan_for(child, plan_id))
    return _form(
        request,
        child,
        forms.CoreGroupForm(_data(request)),
        lambda d: services.core_group_record(
            actor=request.user, plan=plan, held_on=d["held_on"], notes=d["notes"]
        ),
        title="Record a core group meeting",
        button="Save the meeting",
        done="Core group meeting recorded",
        facts=_plan_facts(plan),
    )


@require_http_methods(["GET", "POST"])
def conference_review_view(request: SignedInRequest, person_id: int, plan_id: int) -> HttpResponse:
    child = _child(request, person_id, conference=True)
    plan = _found(selectors.cp_plan_for(child, plan_id))
    return _form(
        request,
        child,
        forms.ConferenceReviewForm(_data(request), **_chairs(request)),
        lambda d: services.conference_review(
            actor=request.user,
            plan=plan,
            held_on=d["held_on"],
            outcome=d["outcome"],
            latest_category=d["latest_category"],
            chair_id=d["chair"],
        ),
        title="Record a review child protection conference",
        button="Save the review",
        done="Review conference recorded",
        facts=_plan_facts(plan),
    )


# --- Child in need plans -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def cin_plan_start_view(request: SignedInRequest, person_id: int, episode_id: int) -> HttpResponse:
    child = _child(request, person_id)
    episode = _found(selectors.episode_for(child, episode_id))
    return _form(
        request,
        child,
        forms.CINPlanStartForm(_data(request)),
        lambda d: services.cin_plan_start(
            actor=request.user, episode=episode, start_date=d["start_date"]
        ),
        title="Start a child in need plan",
        button="Start the plan",
        done="Child in need plan started",
    )


@require_http_methods(["GET", "POST"])
def cin_plan_review_view(request: SignedInRequest, person_id: int, plan_id: int) -> HttpResponse:
    child = _child(request, person_id)
    plan = _found(selectors.cin_plan_for(child, plan_id))
    return _form(
        request,
        child,
        forms.CINPlanReviewForm(_data(request)),
        lambda d: services.cin_plan_review(actor=request.user, plan=plan, held_on=d["held_on"]),
        title="Review the child in need plan",
        button="Save the review",
        done="Child in need plan reviewed",
        facts=[("Plan started", _when(plan.start_date))],
    )


@require_http_methods(["GET", "POST"])
def cin_plan_end_view(request: SignedInRequest, person_id: int, plan_id: int) -> HttpResponse:
    child = _child(request, person_id)
    plan = _found(selectors.cin_plan_for(child, plan_id))
    return _form(
        request,
        child,
        forms.CINPlanEndForm(_data(request)),
        lambda d: services.cin_plan_end(actor=request.user, plan=plan, end_date=d["end_date"]),
        title="End the child in need plan",
        button="End the plan",
        done="Child in need plan ended",
        facts=[("Plan started", _when(plan.start_date))],
    )


# --- Children in care --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def care_start_view(request: SignedInRequest, person_id: int, episode_id: int) -> HttpResponse:
    child = _child(request, person_id)
    episode = _found(selectors.episode_for(child, episode_id))
    form = forms.CareStartForm(_data(request))
    return _form(
        request,
        child,
        form,
        lambda d: services.care_start(
            actor=request.user,
            episode=episode,
            start_date=d["start_date"],
            placement=form.placement(),
        ),
        title="The child becomes looked after",
        button="Save",
        done="Period of care started",
    )


@require_http_methods(["GET", "POST"])
def care_change_view(request: SignedInRequest, person_id: int, period_id: int) -> HttpResponse:
    child = _child(request, person_id)
    period = _found(selectors.care_period_for(child, period_id))
    current = selectors.current_placement(period)
    initial = {f: getattr(current, f) for f in forms.PlacementForm.PLACEMENT} if current else {}
    form = forms.CareChangeForm(_data(request), initial=initial)
    return _form(
        request,
        child,
        form,
        lambda d: services.care_change(
            actor=request.user,
            period=period,
            change_date=d["change_date"],
            placement=form.placement(),
            reason_place_change=d["reason_place_change"],
        ),
        title="Change the placement or legal status",
        button="Save the change",
        done="Placement or legal status changed",
        facts=[
            ("Looked after since", _when(period.start_date)),
            ("Current placement since", _when(current.start_date if current else None)),
        ],
    )


@require_http_methods(["GET", "POST"])
def care_plan_view(request: SignedInRequest, person_id: int, period_id: int) -> HttpResponse:
    child = _child(request, person_id)
    period = _found(selectors.care_period_for(child, period_id))
    return _form(
        request,
        child,
        forms.CarePlanForm(_data(request)),
        lambda d: services.care_plan_record(
            actor=request.user, period=period, plan_date=d["plan_date"]
        ),
        title="Record that the care plan is written",
        button="Save",
        done="Care plan recorded",
        facts=[("Looked after since", _when(period.start_date))],
    )


@require_http_methods(["GET", "POST"])
def care_review_view(request: SignedInRequest, person_id: int, period_id: int) -> HttpResponse:
    child = _child(request, person_id, conference=True)
    period = _found(selectors.care_period_for(child, period_id))
    return _form(
        request,
        child,
        forms.CareReviewForm(_data(request)),
        lambda d: services.care_review_record(
            actor=request.user,
            period=period,
            held_on=d["held_on"],
            participation=d["participation"],
            recommendations=d["recommendations"],
            complete_by=d["complete_by"],
        ),
        title="Record a looked-after review",
        button="Save the review",
        done="Looked-after review recorded",
        facts=[("Looked after since", _when(period.start_date))],
    )


@require_http_methods(["GET", "POST"])
def care_end_view(request: SignedInRequest, person_id: int, period_id: int) -> HttpResponse:
    child = _child(request, person_id)
    period = _found(selectors.care_period_for(child, period_id))
    return _form(
        request,
        child,
        forms.CareEndForm(_data(request)),
        lambda d: services.care_end(
            actor=request.user, period=period, end_date=d["end_date"], reason=d["reason"]
        ),
        title="The child leaves care",
        button="Save",
        done="Period of care ended",
        facts=[("Looked after since", _when(period.start_date))],
    )


@require_http_methods(["GET", "POST"])
def recommendation_done_view(
    request: SignedInRequest, person_id: int, recommendation_id: int
) -> HttpResponse:
    child = _child(request, person_id)
    recommendation = _found(selectors.recommendation_for(child, recommendation_id))
    return _form(
        request,
        child,
        forms.RecommendationDoneForm(_data(request)),
        lambda d: services.recommendation_complete(
            actor=request.user, recommendation=recommendation, done_on=d["done_on"]
        ),
        title="Record a review recommendation as done",
        button="Save",
        done="Review recommendation done",
        facts=[
            ("Recommendation", recommendation.text),
            ("Made at the review on", _when(recommendation.review.held_on)),
            ("To be done by", _when(recommendation.due_date)),
        ],
    )


# --- Health and education of children in care --------------------------------------------


def record_page(
    form_class: Any,
    service: Callable[..., Any],
    *,
    title: str,
    done: str,
    subject: Callable[..., dict[str, Any]] = lambda child, **_: {"child": child},
    facts: Callable[..., list[tuple[str, str]]] | None = None,
    child_of: Callable[[SignedInRequest, int], Any] = _child,
) -> Any:
    """A form page that records one thing about a child: the form's fields are the
    service's arguments, so each page is declared by its form, service and words.
    `subject(child, **url)` names what the service records on (the child by default),
    fetched only when the form is saved; `facts(child, **url)` are shown above the form
    (and may refuse a missing record before it opens). `child_of` fetches the child as
    the app's own pages do."""

    @require_http_methods(["GET", "POST"])
    def view(request: SignedInRequest, person_id: int, **url: Any) -> HttpResponse:
        child = child_of(request, person_id)
        form = form_class(_data(request))
        return _form(
            request,
            child,
            form,
            lambda _: service(actor=request.user, **subject(child, **url), **form.answers()),
            title=title,
            button="Save",
            done=done,
            facts=facts(child, **url) if facts else [],
        )

    return view


def _care_period(child: Any, period_id: int) -> Any:
    return _found(selectors.care_period_for(child, period_id))


def _care_record_page(
    form_class: Any, service: Callable[..., Any], *, title: str, done: str
) -> Any:
    """A page that records one thing on the child's period of care (404 if it is not
    theirs, before the form opens)."""
    return record_page(
        form_class,
        service,
        title=title,
        done=done,
        subject=lambda child, period_id: {"period": _care_period(child, period_id)},
        facts=lambda child, period_id: [
            ("Looked after since", _when(_care_period(child, period_id).start_date))
        ],
    )


health_check_view = _care_record_page(
    forms.HealthCheckForm,
    services.health_check_record,
    title="Record a health assessment or check",
    done="Health assessment or check recorded",
)
sdq_view = _care_record_page(
    forms.SDQForm,
    services.sdq_record,
    title="Record a strengths and difficulties questionnaire",
    done="Strengths and difficulties questionnaire recorded",
)
substance_misuse_view = _care_record_page(
    forms.SubstanceMisuseForm,
    services.substance_misuse_record,
    title="Record a substance misuse problem",
    done="Substance misuse recorded",
)
offence_view = _care_record_page(
    forms.OffenceForm,
    services.offence_record,
    title="Record a conviction, final warning or reprimand",
    done="Conviction, final warning or reprimand recorded",
)
education_plan_view = _care_record_page(
    forms.EducationPlanForm,
    services.education_plan_record,
    title="Record a personal education plan meeting",
    done="Personal education plan meeting recorded",
)


@require_http_methods(["GET", "POST"])
def uasc_view(request: SignedInRequest, person_id: int) -> HttpResponse:
    """Record the child's status as an unaccompanied asylum-seeking child, or change it: the
    form carries the version it was opened at."""
    child = _child(request, person_id)
    current = selectors.uasc_status_for(child)
    initial = (
        {
            "started_on": current.started_on,
            "ceased_on": current.ceased_on,
            "version": current.version,
        }
        if current
        else {}
    )

    return _form(
        request,
        child,
        forms.UASCForm(_data(request), initial=initial),
        _versioned(
            lambda d: services.uasc_record(
                actor=request.user,
                child=child,
                started_on=d["started_on"],
                ceased_on=d["ceased_on"],
                expected_version=d["version"],
            )
        ),
        title="Unaccompanied asylum-seeking child",
        button="Save",
        done="Unaccompanied asylum-seeking child status saved",
    )


@require_http_methods(["GET", "POST"])
def missing_record_view(request: SignedInRequest, person_id: int) -> HttpResponse:
    child = _child(request, person_id)
    return _form(
        request,
        child,
        forms.MissingForm(_data(request)),
        lambda d: services.missing_record(
            actor=request.user,
            child=child,
            kind=d["kind"],
            start_date=d["start_date"],
            end_date=d["end_date"],
            interview_offered=forms.yes_no(d["interview_offered"]),
            interview_accepted=forms.yes_no(d["interview_accepted"]),
        ),
        title="Record a missing episode",
        button="Save",
        done="Missing episode recorded",
    )


# --- Visits, notes and drafts ------------------------------------------------------------

VISIT_REASON: dict[str, str] = {
    VisitKind.CP: "the child has a child protection plan",
    VisitKind.CLA: "the child is looked after",
    VisitKind.CIN: "the child is a child in need",
}


def _draft_key(request: SignedInRequest, child: Any, kind: str) -> str:
    return f"u{request.user.pk}:c{child.pk}:{kind}"


def _draft_context(request: SignedInRequest, child: Any, kind: str) -> dict[str, Any]:
    """The worker's saved draft (put back in the box on a fresh page) and what the draft
    script needs: where to save, and a key unique to this worker, child and kind."""
    draft = (
        selectors.draft_for(actor=request.user, child=child, kind=kind)
        if request.method == "GET"
        else None
    )
    return {
        "draft": draft,
        "draft_kind": kind,
        "draft_key": _draft_key(request, child, kind),
        "draft_url": reverse("casework:draft-save", args=[child.pk]),
    }


@require_http_methods(["GET", "POST"])
def visit_record_view(request: SignedInRequest, person_id: int) -> HttpResponse:
    child = _child(request, person_id)
    kind, _, episode = services.visit_kind_for(child)
    drafts = _draft_context(request, child, "visit")
    initial = {"note": drafts["draft"].text} if drafts["draft"] else {}
    return _form(
        request,
        child,
        forms.VisitForm(_data(request), initial=initial),
        lambda d: services.visit_record(
            actor=request.user,
            child=child,
            visited_on=d["visited_on"],
            child_seen=d["seen"] != "not_seen",
            seen_alone=d["seen"] == "alone",
            bedroom_seen=d["bedroom_seen"],
            note=d["note"],
        ),
        title="Record a visit",
        button="Save visit",
        done="Visit recorded",
        template="casework/visit.html",
        episode=episode,
        visit_kind=VisitKind(kind).label,
        visit_reason=VISIT_REASON[kind],
        **drafts,
    )


@require_http_methods(["GET", "POST"])
def note_record_view(request: SignedInRequest, person_id: int) -> HttpResponse:
    child = _child(request, person_id)
    drafts = _draft_context(request, child, "note")
    initial = {"text": drafts["draft"].text} if drafts["draft"] else {}
    return _form(
        request,
        child,
        forms.NoteForm(_data(request), initial=initial),
        lambda d: services.note_record(
            actor=request.user, child=child, text=d["text"], significant=d["significant"]
        ),
        title="Add a case note",
        button="Save the note",
        done="Case note saved",
        template="casework/note.html",
        **drafts,
    )


@require_POST
def draft_save_view(request: SignedInRequest, person_id: int) -> JsonResponse:
    """The draft script's autosave: JSON in, JSON out; never a page."""
    try:
        child = access_child(actor=request.user, person_id=person_id, shown=False)
    except NotFound:
        return JsonResponse({"saved": False}, status=404)
    form = forms.DraftForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"saved": False}, status=400)
    try:
        draft = services.draft_save(
            actor=request.user,
            child=child,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
        )
    except NotFound:
        return JsonResponse({"saved": False}, status=404)
    except ValidationError:
        return JsonResponse({"saved": False}, status=400)
    return JsonResponse({"saved": True, "saved_at": draft.updated_at.isoformat()})


# --- Allocation and oversight ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def allocate_view(request: SignedInRequest, person_id: int) -> HttpResponse:
    """Allocate a child already in the team, or take a waiting child into the team."""
    _must_manage(request)
    child = access_child_to_allocate(actor=request.user, person_id=person_id)
    current = selectors.current_allocation(child)
    workers = selectors.team_workers(request.user)
    form = forms.AllocateForm(_data(request), workers=workers, reallocating=bool(current))
    by_id = {w.pk: w for w in workers}
    return _form(
        request,
        child,
        form,
        lambda d: services.allocate(
            actor=request.user,
            child=child,
            worker=by_id.get(d["worker"]),
            reason=d.get("reason", ""),
        ),
        title="Reallocate the case" if current else "Allocate a social worker",
        button="Allocate",
        done="Case allocated",
        facts=[
            (
                "Allocated to",
                f"{current.worker}, {current.team} (since {_when(current.start_date)})",
            )
        ]
        if current
        else [],
    )


@require_http_methods(["GET", "POST"])
def oversight_record_view(request: SignedInRequest, person_id: int) -> HttpResponse:
    _must_manage(request)
    child = _child(request, person_id)
    return _form(
        request,
        child,
        forms.OversightForm(_data(request)),
        lambda d: services.oversight_record(
            actor=request.user,
            child=child,
            kind=d["kind"],
            held_on=d["held_on"],
            discussion=d["discussion"],
            actions=d["actions"],
        ),
        title="Record supervision or management oversight",
        button="Save",
        done="Oversight recorded",
    )


# --- My work and the team ----------------------------------------------------------------


def my_work_view(request: SignedInRequest) -> HttpResponse:
    if not holds_cases(request.user):
        raise Http404
    today = timezone.localdate()
    work = selectors.my_work(actor=request.user, today=today)
    return _render(
        request,
        "casework/my_work.html",
        {
            "work": work,
            "today": today,
            "sections": work.sections,
        },
    )


def team_work_view(request: SignedInRequest) -> HttpResponse:
    if not can_manage_cases(request.user):
        raise Http404
    now = timezone.now()
    today = timezone.localdate(now)
    return _render(
        request,
        "casework/team.html",
        {
            "team": request.user.team,
            "today": today,
            "work": selectors.team_work(actor=request.user, today=today),
            "sections": team_sections(request.user, now),
        },
    )
