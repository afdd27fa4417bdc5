"""Operation Encompass: when the police tell SafeHub of a domestic-abuse incident with a
child present or living in the household, the child's school hears before its next school
day starts, so someone there is ready to support the child that morning.

The notice goes to the school's designated safeguarding leads (its partner practitioners in
SafeHub), due by the start of the next school day (a working day, from
`ENCOMPASS_SCHOOL_DAY_STARTS`, 08:30 unless set). They read and acknowledge it; one still
unacknowledged after its due time is chased once (`manage.py chase_encompass`): the leads
are told again and the MASH is told. A child with no known school, or a school with nobody
on SafeHub, goes to the MASH to resolve. The school sees the minimum the policy allows; the
sending is written to the child's information-sharing log.
"""

from __future__ import annotations

from datetime import datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safehub.access.policy import (
    Action,
    Decision,
    decide_encompass_notice,
    encompass_recipient_roles,
    mash_duty_roles,
    may_resolve_encompass_notice,
)
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record
from safehub.core.exceptions import PermissionDeniedError
from safehub.core.models import versioned_update
from safehub.core.workdays import LONDON, is_working_day, next_working_day
from safehub.notifications.services import notify_team
from safehub.organisations.models import Agency, AgencyKind, User
from safehub.partners.models import EncompassNotice, NoticeState, PartnerEvent
from safehub.people.models import Person
from safehub.sharing.codes import Article6, Article9, Direction, Outcome, Source
from safehub.sharing.services import sharing_log_write

# The police types that make a notice, and whether the child was there.
ENCOMPASS_TYPES = {
    "domestic_abuse_child_present": True,
    "domestic_abuse_child_in_household": False,
}


def school_day_starts() -> time:
    hours, minutes = str(getattr(settings, "ENCOMPASS_SCHOOL_DAY_STARTS", "08:30")).split(":")
    return time(int(hours), int(minutes))


def next_school_day_start(after: datetime, starts: time | None = None) -> datetime:
    """When the next school day begins after `after`: today's start if today is a school
    day (a working day) and it has not begun, else the start of the next working day."""
    starts = starts or school_day_starts()
    local = after.astimezone(LONDON)
    today = datetime.combine(local.date(), starts, tzinfo=LONDON)
    if is_working_day(local.date()) and local < today:
        return today
    return datetime.combine(next_working_day(local.date()), starts, tzinfo=LONDON)


def school_of(child: Person) -> Agency | None:
    """The school the child's record refers to as their current school (a school agency,
    by identity: ADR 0033); a school named only in words is not looked up by its name."""
    if child.school_agency_id is None:
        return None
    return Agency.objects.filter(kind=AgencyKind.SCHOOL, pk=child.school_agency_id).first()


def _leads(school: Agency) -> list[User]:
    return list(
        User.objects.filter(
            agency=school, role__in=encompass_recipient_roles(), is_active=True
        ).order_by("pk")
    )


def _mash() -> list[User]:
    return list(User.objects.filter(role__in=mash_duty_roles(), is_active=True).order_by("pk"))


def encompass_from_event(
    event: PartnerEvent, child: Person, *, filed_by: User, now: datetime | None = None
) -> None:
    """Called as a police event is filed on a child's record, in its transaction (`now`:
    when it was filed, for the demo's history; otherwise now)."""
    if event.type not in ENCOMPASS_TYPES or child.kind != "child":
        return
    now = now or timezone.now()
    school = school_of(child)
    notice = EncompassNotice.objects.create(
        event=event,
        child=child,
        incident_at=event.occurred_at,
        child_present=ENCOMPASS_TYPES[event.type],
        state=NoticeState.NO_SCHOOL,
    )
    audit_record(
        actor=filed_by,
        action=AuditAction.CREATE,
        person_id=child.pk,
        object_type="partners.EncompassNotice",
        object_id=notice.pk,
    )
    if event.restricted:
        if school is not None:
            sharing_log_write(
                actor=filed_by,
                person=child,
                agency=school,
                direction=Direction.TO_PARTNER,
                outcome=Outcome.NOT_SHARED,
                purpose="Operation Encompass notice to the child's school",
                reason_not_shared=f"{event.agency.name} marked the notification restricted: "
                "it goes no further than the council. The MASH decides what the school needs.",
                source=Source.ENCOMPASS,
                source_id=notice.pk,
            )
        _tell_mash(notice, "restricted", "it was marked restricted by the police")
        return
    if school is not None and _leads(school):
        _send(notice, school, actor=filed_by, now=now)
    else:
        why = (
            "the child has no known school on their record"
            if school is None
            else f"nobody at {school.name} uses SafeHub"
        )
        _tell_mash(notice, "no-school", why)


def _send(notice: EncompassNotice, school: Agency, *, actor: User, now: datetime) -> None:
    due = next_school_day_start(now)
    EncompassNotice.objects.filter(pk=notice.pk).update(
        school=school, state=NoticeState.SENT, sent_at=now, due_at=due
    )
    notice.school, notice.state, notice.sent_at, notice.due_at = school, NoticeState.SENT, now, due
    _tell_leads(notice, _leads(school), "sent")
    sharing_log_write(
        actor=actor,
        person=notice.child,
        agency=school,
        direction=Direction.TO_PARTNER,
        outcome=Outcome.SHARED,
        purpose="Operation Encompass: so the school can support the child from the start of "
        "the next school day",
        what="The child's name and date of birth, the date of a domestic abuse incident and "
        "whether the child was present; not the police's account",
        article6=Article6.PUBLIC_TASK,
        article9=Article9.SAFEGUARDING,
        decided_at=now,
        source=Source.ENCOMPASS,
        source_id=notice.pk,
    )


def _tell_leads(notice: EncompassNotice, leads: list[User], step: str) -> None:
    """The school's safeguarding leads, each told; by the relay, as a team (a large school
    or trust can have dozens, ADR 0008 amended)."""
    due = notice.due_at.astimezone(LONDON) if notice.due_at else None
    again = "Reminder: not yet acknowledged. " if step == "chase" else ""
    notify_team(
        users=leads,
        key=f"encompass:{notice.pk}:{step}",
        subject=f"{again}Operation Encompass notice for a pupil (notice {notice.pk})",
        body=(
            f"{again}The police have told SafeHub of a domestic abuse incident affecting a "
            f"pupil at your school. Please read the notice and acknowledge it before "
            f"{due:%H:%M on %A %-d %B %Y}. Open SafeHub to see which pupil."
        ),
        link=reverse("partners:notice-detail", args=[notice.pk]),
    )


def _tell_mash(notice: EncompassNotice, step: str, why: str) -> None:
    if step == "chase":
        body = (
            f"The Operation Encompass notice for the child with SafeHub ID {notice.child_id} "
            f"is past its due time: {why}. Telephone the school's safeguarding lead."
        )
    else:
        body = (
            f"A police domestic abuse notification for the child with SafeHub ID "
            f"{notice.child_id} could not go to a school: {why}. Find the school, record "
            "it on the child's record and send the notice from its page."
        )
    notify_team(
        users=_mash(),
        key=f"encompass:{notice.pk}:{step}",
        subject=f"Operation Encompass notice needs the MASH (notice {notice.pk})",
        body=body,
        link=reverse("partners:notice-detail", args=[notice.pk]),
    )


@transaction.atomic
def encompass_notice_acknowledge(
    *, actor: User, notice: EncompassNotice, expected_version: int, now: datetime | None = None
) -> EncompassNotice:
    """The school's safeguarding lead has read the notice and will act on it (`now`: when,
    for the demo's history; otherwise now)."""
    if decide_encompass_notice(actor, notice, Action.EDIT) is not Decision.ALLOW:
        raise PermissionDeniedError()
    if notice.state != NoticeState.SENT:
        raise ValidationError("This notice has already been acknowledged")
    versioned_update(
        instance=notice,
        expected_version=expected_version,
        data={
            "state": NoticeState.ACKNOWLEDGED,
            "acknowledged_by": actor,
            "acknowledged_at": now or timezone.now(),
        },
    )
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        person_id=notice.child_id,
        object_type="partners.EncompassNotice",
        object_id=notice.pk,
        detail={"step": "acknowledge"},
    )
    return notice


@transaction.atomic
def encompass_notice_send(
    *, actor: User, notice: EncompassNotice, expected_version: int
) -> EncompassNotice:
    """The MASH has found the child's school and recorded it on their record: send the
    notice there now, due by the start of the next school day from now."""
    if not may_resolve_encompass_notice(actor):
        raise PermissionDeniedError()
    if notice.state != NoticeState.NO_SCHOOL:
        raise ValidationError("This notice has already gone to a school")
    notice.child.refresh_from_db(fields=["school", "school_agency"])  # as the record says now
    school = school_of(notice.child)
    if school is None:
        raise ValidationError(
            "The child's record does not say which school on SafeHub they attend. Choose "
            "their current school on their record first"
        )
    if not _leads(school):
        raise ValidationError(
            f"Nobody at {school.name} uses SafeHub. Tell the school by telephone and record it"
        )
    versioned_update(instance=notice, expected_version=expected_version, data={})
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        person_id=notice.child_id,
        object_type="partners.EncompassNotice",
        object_id=notice.pk,
        detail={"step": "send", "school": school.pk},
    )
    _send(notice, school, actor=actor, now=timezone.now())
    return notice


def encompass_chase(*, as_of: datetime) -> int:
    """Chase each notice still unacknowledged after its due time, once: its school's leads
    are told again and the MASH is told. Returns how many were chased."""
    chased = 0
    overdue = EncompassNotice.objects.filter(
        state=NoticeState.SENT, due_at__lt=as_of, chased_at=None
    ).select_related("school", "child")
    for notice in overdue:
        with transaction.atomic():
            claimed = EncompassNotice.objects.filter(pk=notice.pk, chased_at=None).update(
                chased_at=as_of
            )
            if not claimed:
                continue  # another run chased it
            assert notice.school is not None
            _tell_leads(notice, _leads(notice.school), "chase")
            _tell_mash(notice, "chase", f"{notice.school.name} has not acknowledged it")
            chased += 1
    return chased
