"""Everything that changes a child's court and adoption record, and prospective adopters.
Each function is one transaction that checks the policy (`decide_permanence`), refuses in
plain English what the 903 return would fail or the law does not allow (`entry_rules.py`
lists them), writes its audit row and chronology entry, and keeps the clocks (`DueItem`):
the 26 weeks of proceedings and a deprivation of liberty order's review."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from safehub.access.guards import require
from safehub.access.policy import Action, can_work_adopters, decide_permanence
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record
from safehub.casework.services.shared import (
    _complete,
    _date,
    _lock_child,
    _locked,
    _record,
    _register,
    _text,
)
from safehub.chronology.models import Significance
from safehub.core.exceptions import PermissionDeniedError
from safehub.core.models import versioned_update
from safehub.organisations.models import User
from safehub.permanence import events
from safehub.permanence.codes import (
    FINAL_LEGAL_STATUS,
    INTERIM_LEGAL_STATUS,
    LEGAL_STATUS_SEXES,
    SINGLE,
    AdopterLegalStatus,
    AdopterSexes,
    Application,
    FinalOrder,
    HearingKind,
    InterimOrder,
    PreProceedingsOutcome,
    PreviousPermanence,
    ReversalReason,
)
from safehub.permanence.models import (
    Adopters,
    Adoption,
    Extension,
    Hearing,
    LibertyOrder,
    PermanenceBefore,
    Proceedings,
)
from safehub.permanence.timescales import latest_extension, timetable_end

TIMETABLE_DUE = "proceedings_26_weeks"
LIBERTY_REVIEW_DUE = "dol_review"


def _may_record(actor: User, child: Any) -> None:
    """The policy's permanence decision for this child: refused as "not found" (or sent to
    break the glass), and the refusal audited, by the same guard casework uses."""
    require(actor, child.pk, decide_permanence(actor, child, Action.EDIT), Action.EDIT)


def _on(d: date) -> str:
    return f"{d:%-d %B %Y}"


def _under_18_on(child: Any, day: date, field: str, what: str) -> None:
    dob = child.date_of_birth
    if dob is None:
        raise ValidationError("Record the child's date of birth first")
    try:
        eighteen = dob.replace(year=dob.year + 18)
    except ValueError:
        eighteen = date(dob.year + 18, 3, 1)
    if day < dob:
        raise ValidationError({field: f"{what} cannot be before the child was born ({_on(dob)})"})
    if day >= eighteen:
        raise ValidationError(
            {field: f"{what} is for a child: {child.full_name} was 18 on {_on(eighteen)}"}
        )


def _after(value: date, earliest: date | None, field: str, what: str) -> None:
    if earliest is not None and value < earliest:
        raise ValidationError({field: f"The date cannot be before {what} ({_on(earliest)})"})


def _open_proceedings(child: Any) -> Proceedings | None:
    return (
        Proceedings.objects.select_for_update()
        .filter(child=child, final_order_on__isnull=True, pre_ended__isnull=True)
        .first()
    )


# --- Pre-proceedings (Public Law Outline) -------------------------------------------------


@transaction.atomic
def pre_proceedings_start(
    *, actor: User, child: Any, started_on: Any, letter_sent: Any = None, meeting_held: Any = None
) -> Proceedings:
    """The legal gateway decided to enter pre-proceedings: the letter before proceedings
    invites the parents to a pre-proceedings meeting, so the letter comes first."""
    _may_record(actor, child)
    started_on = _date(started_on, "started_on", "the date pre-proceedings began", child=child)
    _under_18_on(child, started_on, "started_on", "Pre-proceedings")
    letter, meeting = _letter_and_meeting(started_on, letter_sent, meeting_held)
    _lock_child(child)
    if _open_proceedings(child) is not None:
        raise ValidationError(
            f"{child.full_name} already has pre-proceedings or proceedings running"
        )
    proceedings = Proceedings.objects.create(
        child=child,
        pre_start=started_on,
        letter_sent=letter,
        meeting_held=meeting,
        recorded_by=actor,
    )
    summary = "Pre-proceedings began (Public Law Outline)"
    if letter:
        summary += f"; letter before proceedings sent {_on(letter)}"
    _record(
        actor, child, events.PRE_PROCEEDINGS, summary, proceedings, Significance.HIGH, started_on
    )
    return proceedings


def _letter_and_meeting(
    started_on: date, letter_sent: Any, meeting_held: Any
) -> tuple[date | None, date | None]:
    letter = meeting = None
    if letter_sent is not None:
        letter = _date(letter_sent, "letter_sent", "the date the letter was sent")
        _after(letter, started_on, "letter_sent", "pre-proceedings began")
    if meeting_held is not None:
        if letter is None:
            raise ValidationError(
                {
                    "meeting_held": "Enter the date of the letter before proceedings: it invites "
                    "the parents to the pre-proceedings meeting"
                }
            )
        meeting = _date(meeting_held, "meeting_held", "the date of the meeting")
        _after(meeting, letter, "meeting_held", "the letter before proceedings was sent")
    return letter, meeting


@transaction.atomic
def pre_proceedings_update(
    *,
    actor: User,
    proceedings: Proceedings,
    letter_sent: Any,
    meeting_held: Any,
    expected_version: int,
) -> Proceedings:
    child = proceedings.child
    _may_record(actor, child)
    if proceedings.pre_start is None or proceedings.issued_on or not proceedings.is_open:
        raise ValidationError("Pre-proceedings are over: nothing more is recorded on them")
    letter, meeting = _letter_and_meeting(proceedings.pre_start, letter_sent, meeting_held)
    proceedings = versioned_update(
        instance=proceedings,
        expected_version=expected_version,
        data={"letter_sent": letter, "meeting_held": meeting},
    )
    _record(
        actor,
        child,
        events.PRE_PROCEEDINGS,
        "Pre-proceedings letter and meeting recorded",
        proceedings,
        when=meeting or letter,
    )
    return proceedings


@transaction.atomic
def pre_proceedings_end(
    *, actor: User, proceedings: Proceedings, ended_on: Any, outcome: Any
) -> Proceedings:
    """Pre-proceedings that end without going to court (issuing ends them by itself)."""
    child = proceedings.child
    _may_record(actor, child)
    proceedings = _locked(proceedings)
    if proceedings.issued_on or not proceedings.is_open or proceedings.pre_start is None:
        raise ValidationError("These pre-proceedings are not running")
    ended_on = _date(ended_on, "ended_on", "the date pre-proceedings ended")
    _after(ended_on, proceedings.pre_start, "ended_on", "pre-proceedings began")
    if outcome not in PreProceedingsOutcome.values or outcome == PreProceedingsOutcome.ISSUED:
        raise ValidationError(
            {"outcome": "Select how pre-proceedings ended (to issue, record the application)"}
        )
    proceedings.pre_ended, proceedings.pre_outcome = ended_on, outcome
    proceedings.save(update_fields=["pre_ended", "pre_outcome", "updated_at"])
    label = PreProceedingsOutcome(outcome).label
    _record(
        actor,
        child,
        events.PRE_PROCEEDINGS_ENDED,
        f"Pre-proceedings ended: {label}",
        proceedings,
        when=ended_on,
    )
    return proceedings


# --- The application and the 26 weeks ---------------------------------------------------


@transaction.atomic
def proceedings_issue(
    *,
    actor: User,
    child: Any,
    application: Any,
    issued_on: Any,
    court: Any,
    case_number: Any = "",
    guardian: Any = "",
) -> Proceedings:
    """The application issued: the 26-week timetable begins that day. Pre-proceedings, if
    there were any, end with it (an emergency application may come without them)."""
    _may_record(actor, child)
    if application not in Application.values:
        raise ValidationError({"application": "Select what the council applied for"})
    issued_on = _date(issued_on, "issued_on", "the date the application was issued", child=child)
    _under_18_on(child, issued_on, "issued_on", "Care proceedings")
    court = _text(court, "court", "the court", limit=120)
    _lock_child(child)
    proceedings = _open_proceedings(child)
    if proceedings is not None and proceedings.issued_on is not None:
        raise ValidationError(f"{child.full_name} already has proceedings issued and running")
    if proceedings is not None:
        _after(issued_on, proceedings.pre_start, "issued_on", "pre-proceedings began")
    else:
        proceedings = Proceedings(child=child, recorded_by=actor)
    proceedings.application = application
    proceedings.issued_on = issued_on
    proceedings.court = court
    proceedings.case_number = _text(
        case_number, "case_number", "the case number", required=False, limit=30
    )
    proceedings.guardian = _text(
        guardian, "guardian", "the children's guardian", required=False, limit=120
    )
    proceedings.timetable_ends = timetable_end(issued_on)
    if proceedings.pre_start is not None:
        proceedings.pre_outcome = PreProceedingsOutcome.ISSUED
    proceedings.save()
    _register(
        child,
        TIMETABLE_DUE,
        "Conclude care proceedings (26 weeks)",
        proceedings.timetable_ends,
        proceedings,
    )
    _record(
        actor,
        child,
        events.PROCEEDINGS_ISSUED,
        f"Application issued: {Application(application).label}, {court}",
        proceedings,
        Significance.HIGH,
        issued_on,
    )
    return proceedings


def _issued(proceedings: Proceedings) -> Proceedings:
    proceedings = _locked(proceedings)
    if proceedings.issued_on is None:
        raise ValidationError("Record the application first: no proceedings have been issued")
    if proceedings.final_order_on is not None:
        raise ValidationError("These proceedings have ended with a final order")
    return proceedings


@transaction.atomic
def hearing_record(
    *,
    actor: User,
    proceedings: Proceedings,
    held_on: Any,
    kind: Any,
    interim_order: Any,
    next_hearing: Any = None,
    notes: Any = "",
) -> Hearing:
    """A hearing held, with any interim order it made and the next hearing it listed."""
    child = proceedings.child
    _may_record(actor, child)
    proceedings = _issued(proceedings)
    held_on = _date(held_on, "held_on", "the date of the hearing", child=child)
    _after(held_on, proceedings.issued_on, "held_on", "the application was issued")
    if kind not in HearingKind.values:
        raise ValidationError({"kind": "Select the kind of hearing"})
    if interim_order not in InterimOrder.values:
        raise ValidationError({"interim_order": "Select the order the hearing made"})
    if kind == HearingKind.FINAL:
        raise ValidationError({"kind": "Record the final hearing as the final order"})
    if interim_order == InterimOrder.ICO and proceedings.application != Application.CARE:
        raise ValidationError(
            {"interim_order": "An interim care order is made on an application for a care order"}
        )
    if next_hearing is not None and (not isinstance(next_hearing, date) or next_hearing <= held_on):
        raise ValidationError({"next_hearing": "The next hearing must be after this one"})
    hearing = Hearing.objects.create(
        proceedings=proceedings,
        held_on=held_on,
        kind=kind,
        interim_order=interim_order,
        next_hearing=next_hearing,
        notes=_text(notes, "notes", "notes", required=False),
        recorded_by=actor,
    )
    said = f"{HearingKind(kind).label}: {InterimOrder(interim_order).label.lower()}"
    if status := INTERIM_LEGAL_STATUS.get(InterimOrder(interim_order)):
        said += f" (903 legal status {status})"
    _record(actor, child, events.HEARING, said, hearing, when=held_on)
    return hearing


@transaction.atomic
def timetable_extend(
    *, actor: User, proceedings: Proceedings, granted_on: Any, new_end: Any, reason: Any
) -> Extension:
    """The court extended the 26 weeks: by no more than eight weeks at a time, and only for
    a reason (the court must find it necessary to resolve the proceedings justly)."""
    child = proceedings.child
    _may_record(actor, child)
    proceedings = _issued(proceedings)
    granted_on = _date(granted_on, "granted_on", "the date the court extended the timetable")
    _after(granted_on, proceedings.issued_on, "granted_on", "the application was issued")
    if not isinstance(new_end, date):
        raise ValidationError({"new_end": "Enter the new date the timetable ends"})
    current = proceedings.timetable_ends
    assert current is not None
    if new_end <= current:
        raise ValidationError(
            {"new_end": f"The new end must be after the current end ({_on(current)})"}
        )
    if new_end > latest_extension(current):
        raise ValidationError(
            {
                "new_end": "An extension is at most eight weeks at a time: the latest is "
                f"{_on(latest_extension(current))}"
            }
        )
    reason = _text(reason, "reason", "why the court extended the timetable")
    extension = Extension.objects.create(
        proceedings=proceedings,
        granted_on=granted_on,
        previous_end=current,
        new_end=new_end,
        reason=reason,
        recorded_by=actor,
    )
    proceedings.timetable_ends = new_end
    proceedings.save(update_fields=["timetable_ends", "updated_at"])
    _register(
        child, TIMETABLE_DUE, "Conclude care proceedings (timetable extended)", new_end, proceedings
    )
    _record(
        actor,
        child,
        events.TIMETABLE_EXTENDED,
        f"Timetable extended to {_on(new_end)}: {reason}",
        extension,
        when=granted_on,
    )
    return extension


@transaction.atomic
def final_order_record(
    *, actor: User, proceedings: Proceedings, made_on: Any, order: Any
) -> Proceedings:
    """The final hearing's order ends the proceedings and their clock. A care order is for
    an application for one (a supervision application may end in supervision or less)."""
    child = proceedings.child
    _may_record(actor, child)
    proceedings = _issued(proceedings)
    made_on = _date(made_on, "made_on", "the date of the final order", child=child)
    _after(made_on, proceedings.issued_on, "made_on", "the application was issued")
    if order not in FinalOrder.values:
        raise ValidationError({"order": "Select the final order"})
    if proceedings.application == Application.EPO:
        raise ValidationError(
            {
                "order": "An emergency protection order ends without a final order: record an "
                "application for a care or supervision order to go on"
            }
        )
    if order in FINAL_LEGAL_STATUS and proceedings.application != Application.CARE:
        raise ValidationError(
            {"order": "A care order is made only on an application for a care order"}
        )
    proceedings.final_order, proceedings.final_order_on = order, made_on
    proceedings.save(update_fields=["final_order", "final_order_on", "updated_at"])
    _complete(proceedings, TIMETABLE_DUE, made_on)
    said = f"Final order: {FinalOrder(order).label}"
    if status := FINAL_LEGAL_STATUS.get(FinalOrder(order)):
        said += f" (903 legal status {status})"
    _record(actor, child, events.FINAL_ORDER, said, proceedings, Significance.HIGH, made_on)
    return proceedings


# --- Deprivation of liberty -------------------------------------------------------------


@transaction.atomic
def liberty_order_record(
    *, actor: User, child: Any, made_on: Any, review_by: Any, court: Any
) -> LibertyOrder:
    """A deprivation of liberty order for a child (the High Court's inherent jurisdiction),
    with the date the court will review it; one at a time, as the 903 DoLO file expects."""
    _may_record(actor, child)
    made_on = _date(made_on, "made_on", "the date of the order", child=child)
    _under_18_on(
        child, made_on, "made_on", "A deprivation of liberty order under the inherent jurisdiction"
    )
    if not isinstance(review_by, date):
        raise ValidationError({"review_by": "Enter the date the court will review the order"})
    if review_by <= made_on:
        raise ValidationError({"review_by": "The review must be after the order was made"})
    court = _text(court, "court", "the court", limit=120)
    _lock_child(child)
    running = LibertyOrder.objects.filter(child=child, ended_on__isnull=True).first()
    if running is not None:
        raise ValidationError(
            f"A deprivation of liberty order made on {_on(running.made_on)} is still running: "
            "record that it ended first (a renewed order is a new one)"
        )
    last = LibertyOrder.objects.filter(child=child).order_by("-ended_on").first()
    if last is not None and last.ended_on and made_on < last.ended_on:
        raise ValidationError(
            {"made_on": f"The order cannot begin before the last one ended ({_on(last.ended_on)})"}
        )
    order = LibertyOrder.objects.create(
        child=child, made_on=made_on, review_by=review_by, court=court, recorded_by=actor
    )
    _register(
        child, LIBERTY_REVIEW_DUE, "Deprivation of liberty order: court review", review_by, order
    )
    _record(
        actor,
        child,
        events.LIBERTY_ORDER,
        f"Deprivation of liberty order made by {court}; review by {_on(review_by)}",
        order,
        Significance.HIGH,
        made_on,
    )
    return order


@transaction.atomic
def liberty_order_review(
    *, actor: User, order: LibertyOrder, reviewed_on: Any, next_review: Any
) -> LibertyOrder:
    child = order.child
    _may_record(actor, child)
    order = _locked(order)
    if order.ended_on is not None:
        raise ValidationError("This order has ended")
    reviewed_on = _date(reviewed_on, "reviewed_on", "the date of the review")
    _after(reviewed_on, order.made_on, "reviewed_on", "the order was made")
    if not isinstance(next_review, date) or next_review <= reviewed_on:
        raise ValidationError({"next_review": "The next review must be after this one"})
    _complete(order, LIBERTY_REVIEW_DUE, reviewed_on)
    order.review_by = next_review
    order.save(update_fields=["review_by", "updated_at"])
    _register(
        child, LIBERTY_REVIEW_DUE, "Deprivation of liberty order: court review", next_review, order
    )
    _record(
        actor,
        child,
        events.LIBERTY_ORDER,
        f"Deprivation of liberty order reviewed; next review by {_on(next_review)}",
        order,
        when=reviewed_on,
    )
    return order


@transaction.atomic
def liberty_order_end(*, actor: User, order: LibertyOrder, ended_on: Any) -> LibertyOrder:
    child = order.child
    _may_record(actor, child)
    order = _locked(order)
    if order.ended_on is not None:
        raise ValidationError("This order has already ended")
    ended_on = _date(ended_on, "ended_on", "the date the order ended")
    _after(ended_on, order.made_on, "ended_on", "the order was made")
    order.ended_on = ended_on
    order.save(update_fields=["ended_on", "updated_at"])
    _complete(order, LIBERTY_REVIEW_DUE, ended_on)
    _record(
        actor,
        child,
        events.LIBERTY_ORDER_ENDED,
        "Deprivation of liberty order ended",
        order,
        when=ended_on,
    )
    return order


# --- Prospective adopters ---------------------------------------------------------------


def _must_work_adopters(actor: User) -> None:
    if not can_work_adopters(actor):
        raise PermissionDeniedError(
            "Only the adoption agency's social workers and managers can do this."
        )


def check_adopters(sexes: Any, legal_status: Any) -> None:
    """The 903 AD1's pairings (rules 517, 518, 520, 524): a couple's legal status agrees
    with their genders, and a single adopter is one person."""
    if sexes not in AdopterSexes.values:
        raise ValidationError({"sexes": "Select who the adopters are"})
    if legal_status not in AdopterLegalStatus.values:
        raise ValidationError({"legal_status": "Select the adopters' legal status"})
    allowed = LEGAL_STATUS_SEXES.get(AdopterLegalStatus(legal_status))
    single = sexes in SINGLE
    if allowed is not None and sexes not in allowed:
        raise ValidationError(
            {
                "legal_status": f"'{AdopterLegalStatus(legal_status).label}' does not fit "
                f"'{AdopterSexes(sexes).label.lower()}'"
            }
        )
    if allowed is None and single:
        raise ValidationError(
            {"legal_status": f"'{AdopterLegalStatus(legal_status).label}' is for two adopters"}
        )


@transaction.atomic
def adopters_create(
    *, actor: User, names: Any, sexes: Any, legal_status: Any, enquiry_on: Any
) -> Adopters:
    _must_work_adopters(actor)
    names = _text(names, "names", "the adopters' names", limit=160)
    check_adopters(sexes, legal_status)
    enquiry_on = _date(enquiry_on, "enquiry_on", "the date of their first enquiry")
    adopters = Adopters.objects.create(
        reference="",
        names=names,
        sexes=sexes,
        legal_status=legal_status,
        enquiry_on=enquiry_on,
        recorded_by=actor,
    )
    adopters.reference = f"ADF{adopters.pk:05d}"
    adopters.save(update_fields=["reference", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type=Adopters._meta.label,
        object_id=adopters.pk,
    )
    return adopters


@transaction.atomic
def adopters_approve(
    *, actor: User, adopters: Adopters, approved_on: Any, expected_version: int
) -> Adopters:
    """The agency decision maker approved them as suitable to adopt."""
    _must_work_adopters(actor)
    approved_on = _date(approved_on, "approved_on", "the date they were approved")
    _after(approved_on, adopters.enquiry_on, "approved_on", "their first enquiry")
    adopters = versioned_update(
        instance=adopters, expected_version=expected_version, data={"approved_on": approved_on}
    )
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        object_type=Adopters._meta.label,
        object_id=adopters.pk,
        detail={"approved_on": approved_on.isoformat()},
    )
    return adopters


# --- Adoption -------------------------------------------------------------------------------


def _open_adoption(child: Any) -> Adoption:
    adoption = (
        Adoption.objects.select_for_update()
        .filter(child=child, order_on__isnull=True, reversed_on__isnull=True)
        .first()
    )
    if adoption is None:
        raise ValidationError(
            "Record the decision that the child should be placed for adoption first"
        )
    return adoption


@transaction.atomic
def adoption_decide(*, actor: User, child: Any, decided_on: Any) -> Adoption:
    """The agency decision maker's decision that the child should be placed for adoption
    (903 DATE_INT). An adoption order is for someone under 18 (903 rule 386)."""
    _may_record(actor, child)
    decided_on = _date(decided_on, "decided_on", "the date of the decision", child=child)
    _under_18_on(child, decided_on, "decided_on", "A decision to place for adoption")
    _lock_child(child)
    if Adoption.objects.filter(
        child=child, order_on__isnull=True, reversed_on__isnull=True
    ).exists():
        raise ValidationError(
            f"{child.full_name} already has a decision to place for adoption in force"
        )
    adoption = Adoption.objects.create(child=child, decided_on=decided_on, recorded_by=actor)
    _record(
        actor,
        child,
        events.ADOPTION_DECISION,
        "Agency decision maker: should be placed for adoption",
        adoption,
        Significance.HIGH,
        decided_on,
    )
    return adoption


@transaction.atomic
def adoption_placement_order(*, actor: User, child: Any, made_on: Any) -> Adoption:
    """The court's placement order, on or after the decision (903 rule 553: no placement
    order without a decision that the child should be placed)."""
    _may_record(actor, child)
    adoption = _open_adoption(child)
    made_on = _date(made_on, "made_on", "the date of the placement order", child=child)
    _after(made_on, adoption.decided_on, "made_on", "the decision to place for adoption")
    if adoption.placement_order_on is not None:
        raise ValidationError("The placement order is already recorded")
    adoption.placement_order_on = made_on
    adoption.save(update_fields=["placement_order_on", "updated_at"])
    _record(actor, child, events.ADOPTION_STEP, "Placement order made", adoption, when=made_on)
    return adoption


@transaction.atomic
def adoption_match(
    *, actor: User, child: Any, matched_on: Any, adopters: Any, by_foster_carer: Any
) -> Adoption:
    """The child matched with approved adopters (903 DATE_MATCH): after the decision, and
    only with adopters approved by then."""
    _may_record(actor, child)
    _must_work_adopters(actor)
    adoption = _open_adoption(child)
    matched_on = _date(matched_on, "matched_on", "the date of the match", child=child)
    _after(matched_on, adoption.decided_on, "matched_on", "the decision to place for adoption")
    if not isinstance(adopters, Adopters):
        raise ValidationError({"adopters": "Select the adopters"})
    if adopters.approved_on is None or adopters.approved_on > matched_on:
        raise ValidationError(
            {"adopters": f"{adopters.names} were not approved as adopters on {_on(matched_on)}"}
        )
    if by_foster_carer not in (True, False):
        raise ValidationError(
            {"by_foster_carer": "Select whether the adopters are the child's foster carers"}
        )
    if adoption.placed_on is not None:
        raise ValidationError("The child is already placed: the match cannot change")
    adoption.matched_on, adoption.adopters, adoption.by_foster_carer = (
        matched_on,
        adopters,
        by_foster_carer,
    )
    adoption.save(update_fields=["matched_on", "adopters", "by_foster_carer", "updated_at"])
    _record(
        actor,
        child,
        events.ADOPTION_STEP,
        "Matched with prospective adopters",
        adoption,
        when=matched_on,
    )
    return adoption


@transaction.atomic
def adoption_place(*, actor: User, child: Any, placed_on: Any) -> Adoption:
    """Placed for adoption with the matched adopters: not before the match, and with a
    placement order (or consent, which the 903 episode's A3/A4 placement records)."""
    _may_record(actor, child)
    adoption = _open_adoption(child)
    placed_on = _date(placed_on, "placed_on", "the date the child was placed", child=child)
    if adoption.matched_on is None:
        raise ValidationError("Record the match with adopters before the placement")
    _after(placed_on, adoption.matched_on, "placed_on", "the match")
    if adoption.placed_on is not None:
        raise ValidationError("The placement for adoption is already recorded")
    adoption.placed_on = placed_on
    adoption.save(update_fields=["placed_on", "updated_at"])
    _record(
        actor,
        child,
        events.ADOPTION_STEP,
        "Placed for adoption",
        adoption,
        Significance.HIGH,
        placed_on,
    )
    return adoption


@transaction.atomic
def adoption_order(*, actor: User, child: Any, made_on: Any) -> Adoption:
    """The adoption order: after the child was placed for adoption, before they are 18
    (903 rule 386)."""
    _may_record(actor, child)
    adoption = _open_adoption(child)
    made_on = _date(made_on, "made_on", "the date of the adoption order", child=child)
    _under_18_on(child, made_on, "made_on", "An adoption order")
    if adoption.placed_on is None:
        raise ValidationError(
            {
                "made_on": "An adoption order comes after the child is placed for adoption: "
                "record the placement first"
            }
        )
    _after(made_on, adoption.placed_on, "made_on", "the child was placed for adoption")
    adoption.order_on = made_on
    adoption.save(update_fields=["order_on", "updated_at"])
    _record(
        actor,
        child,
        events.ADOPTION_STEP,
        "Adoption order made",
        adoption,
        Significance.HIGH,
        made_on,
    )
    return adoption


@transaction.atomic
def adoption_reverse(*, actor: User, child: Any, reversed_on: Any, reason: Any) -> Adoption:
    """The decision that the child should be placed for adoption reversed (903
    DATE_PLACED_CEASED and REASON_PLACED_CEASED): never after an adoption order."""
    _may_record(actor, child)
    adoption = _open_adoption(child)
    reversed_on = _date(reversed_on, "reversed_on", "the date the decision was reversed")
    _after(reversed_on, adoption.decided_on, "reversed_on", "the decision to place for adoption")
    if reason not in ReversalReason.values:
        raise ValidationError({"reason": "Select why the decision was reversed"})
    adoption.reversed_on, adoption.reversal_reason = reversed_on, reason
    adoption.save(update_fields=["reversed_on", "reversal_reason", "updated_at"])
    _record(
        actor,
        child,
        events.ADOPTION_REVERSED,
        f"No longer to be placed for adoption: {ReversalReason(reason).label}",
        adoption,
        Significance.HIGH,
        reversed_on,
    )
    return adoption


# --- Previous permanence ----------------------------------------------------------------


@transaction.atomic
def previous_permanence_record(
    *, actor: User, child: Any, kind: Any, local_authority: Any = "", on: Any = None
) -> PermanenceBefore:
    """How a child returning to care was made permanent before (903 PREV_PERM, LA_PERM,
    DATE_PERM): a known kind needs its date, after the child's birth; "not known" needs none."""
    _may_record(actor, child)
    if kind not in PreviousPermanence.values:
        raise ValidationError({"kind": "Select the previous permanence order"})
    if kind == PreviousPermanence.Z1:
        on, local_authority = None, ""
    else:
        on = _date(on, "on", "the date of the order", child=child)
        if child.date_of_birth and on < child.date_of_birth:
            raise ValidationError({"on": "The order cannot be before the child was born"})
    record, _ = PermanenceBefore.objects.update_or_create(
        child=child,
        defaults={
            "kind": kind,
            "local_authority": _text(
                local_authority, "local_authority", "the local authority", required=False, limit=60
            ),
            "on": on,
            "recorded_by": actor,
        },
    )
    _record(
        actor,
        child,
        events.PREVIOUS_PERMANENCE,
        f"Previous permanence: {PreviousPermanence(kind).label}",
        record,
        when=on,
    )
    return record
