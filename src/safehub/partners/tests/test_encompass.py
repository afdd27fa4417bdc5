"""Operation Encompass: a police domestic-abuse notification about a child reaches the
safeguarding lead of the child's school, due before the next school day starts; the lead
acknowledges it; one unacknowledged past its time is chased once; a child with no known
school goes to the MASH. The school sees the minimum; the sharing is logged."""

from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from safehub.audit.models import AuditEvent
from safehub.core.exceptions import ConcurrentEditError, PermissionDeniedError
from safehub.core.workdays import LONDON
from safehub.notifications.models import Channel, OutboxMessage
from safehub.partners.encompass import (
    encompass_chase,
    encompass_notice_acknowledge,
    encompass_notice_send,
    next_school_day_start,
)
from safehub.partners.models import EncompassNotice, NoticeState
from safehub.partners.services import partner_events_receive
from safehub.partners.tests.conftest import event
from safehub.people.services import person_update
from safehub.sharing.models import SharingRecord

pytestmark = pytest.mark.django_db

POLICE_ACCOUNT = "Officers attended; father arrested after assaulting mother in the kitchen."


def at(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Friday evening: Monday morning.
        (at(2026, 11, 20, 18), at(2026, 11, 23, 8, 30)),
        # Saturday: Monday morning.
        (at(2026, 11, 21, 1), at(2026, 11, 23, 8, 30)),
        # Before school on a school day: that morning.
        (at(2026, 11, 24, 7), at(2026, 11, 24, 8, 30)),
        # After 08:30 on a school day: the next morning.
        (at(2026, 11, 24, 8, 30), at(2026, 11, 25, 8, 30)),
        # Christmas Eve (Thursday): Christmas and the substitute Boxing Day (Monday 28th)
        # are bank holidays, so Tuesday 29th.
        (at(2026, 12, 24, 20), at(2026, 12, 29, 8, 30)),
        # Early on the bank holiday Monday itself: still Tuesday.
        (at(2026, 12, 28, 6), at(2026, 12, 29, 8, 30)),
    ],
)
def test_due_by_the_start_of_the_next_school_day(received, due):
    assert next_school_day_start(received) == due


@override_settings(ENCOMPASS_SCHOOL_DAY_STARTS="09:15")
def test_the_school_day_start_is_configurable():
    assert next_school_day_start(at(2026, 11, 24, 9)) == at(2026, 11, 24, 9, 15)


@pytest.fixture
def child_at_school(people: dict[str, Any], council: dict[str, Any]) -> Any:
    child = people["involved"]
    child.school = "Elm Primary School"
    child.school_agency = council["school"]
    child.save(update_fields=["school", "school_agency"])
    return child


def police_notification(senders: dict[str, Any], **fields: Any) -> EncompassNotice:
    data = {
        "event_id": "DA-1",
        "type": "domestic_abuse_child_present",
        "occurred_at": "2026-11-20T22:40:00Z",
        "summary": POLICE_ACCOUNT,
        "significance": "high",
        **fields,
    }
    with time_machine.travel(at(2026, 11, 20, 23, 30), tick=False):
        [outcome] = partner_events_receive(actor=senders["police"], events=[event(**data)])
    assert outcome.outcome == "accepted", outcome.reasons
    return EncompassNotice.objects.select_related("child", "school").get()


def inbox(user: Any) -> list[OutboxMessage]:
    return list(
        OutboxMessage.objects.filter(recipient_user=user, channel=Channel.INBOX).order_by("pk")
    )


def test_a_notification_goes_to_the_schools_lead_due_monday_morning(
    senders, users, child_at_school, council
):
    notice = police_notification(senders)
    dsl = users["partner_practitioner"]
    assert notice.state == NoticeState.SENT
    assert notice.school == council["school"]
    assert notice.child_present is True
    assert notice.due_at == at(2026, 11, 23, 8, 30)
    [message] = inbox(dsl)
    assert "Operation Encompass" in message.subject
    assert "08:30 on Monday 23 November 2026" in message.body
    # The message does not name the child or repeat the police's account.
    assert "Amelia" not in message.body
    assert "kitchen" not in message.body
    assert OutboxMessage.objects.filter(recipient_user=dsl, channel=Channel.EMAIL).exists()
    # The disclosure is in the child's sharing log with its purpose and basis.
    [logged] = SharingRecord.objects.all()
    assert (logged.person, logged.agency, logged.outcome, logged.article6) == (
        child_at_school,
        council["school"],
        "shared",
        "6_1_e",
    )


def test_the_school_sees_the_minimum_and_the_mash_sees_the_police_account(
    senders, users, child_at_school, client_for
):
    notice = police_notification(senders)
    url = reverse("partners:notice-detail", args=[notice.pk])
    school_page = client_for("partner_practitioner").get(url).content.decode()
    assert "Amelia Hart" in school_page
    assert "present at" in school_page
    assert "20 November 2026" in school_page
    assert "kitchen" not in school_page
    assert "arrested" not in school_page
    mash_page = client_for("mash_worker").get(url).content.decode()
    assert POLICE_ACCOUNT in mash_page
    assert client_for("social_worker").get(url).status_code == 404


def test_the_lead_acknowledges_once_and_it_is_audited(senders, users, child_at_school):
    notice = police_notification(senders)
    dsl = users["partner_practitioner"]
    encompass_notice_acknowledge(actor=dsl, notice=notice, expected_version=notice.version)
    notice.refresh_from_db()
    assert notice.state == NoticeState.ACKNOWLEDGED
    assert notice.acknowledged_by == dsl
    assert AuditEvent.objects.filter(
        actor=dsl,
        action="change",
        object_type="partners.EncompassNotice",
        person_id=child_at_school.pk,
        detail__step="acknowledge",
    ).exists()
    with pytest.raises(ValidationError):
        encompass_notice_acknowledge(actor=dsl, notice=notice, expected_version=notice.version)
    # The MASH reads it but does not acknowledge for the school.
    with pytest.raises(PermissionDeniedError):
        encompass_notice_acknowledge(
            actor=users["mash_worker"], notice=notice, expected_version=notice.version
        )


def test_two_leads_acknowledging_at_once_do_not_overwrite_each_other(
    senders, users, child_at_school
):
    notice = police_notification(senders)
    stale = EncompassNotice.objects.get(pk=notice.pk)
    encompass_notice_acknowledge(
        actor=users["partner_practitioner"], notice=notice, expected_version=notice.version
    )
    with pytest.raises(ConcurrentEditError):
        encompass_notice_acknowledge(
            actor=users["partner_practitioner"], notice=stale, expected_version=stale.version
        )


def test_an_unacknowledged_notice_is_chased_once_after_its_due_time(
    senders, users, child_at_school
):
    notice = police_notification(senders)
    dsl, mash = users["partner_practitioner"], users["mash_worker"]
    assert encompass_chase(as_of=at(2026, 11, 23, 8, 29)) == 0
    assert encompass_chase(as_of=at(2026, 11, 23, 8, 31)) == 1
    assert [m.subject.startswith("Reminder") for m in inbox(dsl)] == [False, True]
    [told] = inbox(mash)
    assert "past its due time" in told.body
    assert "Elm Primary School" in told.body
    # Chased once, not at every run.
    assert encompass_chase(as_of=at(2026, 11, 23, 12)) == 0
    assert len(inbox(dsl)) == 2
    notice.refresh_from_db()
    assert notice.chased_at == at(2026, 11, 23, 8, 31)


def test_the_chase_runs_every_quarter_hour_on_the_job_queue(senders, users, child_at_school):
    from django_q.models import Schedule

    from safehub.partners.tasks import chase_encompass

    schedule = Schedule.objects.get(func="safehub.partners.tasks.chase_encompass")
    assert (schedule.schedule_type, schedule.minutes) == (Schedule.MINUTES, 15)
    police_notification(senders)
    with time_machine.travel(at(2026, 11, 23, 8, 20), tick=False):
        assert chase_encompass() == 0  # not due until 08:30
    with time_machine.travel(at(2026, 11, 23, 8, 35), tick=False):
        assert chase_encompass() == 1
        assert chase_encompass() == 0


def test_an_acknowledged_notice_is_not_chased(senders, users, child_at_school, capsys):
    notice = police_notification(senders)
    encompass_notice_acknowledge(
        actor=users["partner_practitioner"], notice=notice, expected_version=notice.version
    )
    call_command("chase_encompass", "--as-of", "2026-11-23T10:00")
    assert "0 chased" in capsys.readouterr().out


def test_a_child_with_no_known_school_goes_to_the_mash_to_resolve(senders, users, people, council):
    notice = police_notification(senders, type="domestic_abuse_child_in_household")
    mash = users["mash_worker"]
    assert notice.state == NoticeState.NO_SCHOOL
    assert notice.school is None
    [told] = inbox(mash)
    assert "no known school" in told.body
    assert not inbox(users["partner_practitioner"])
    assert not SharingRecord.objects.exists()
    # Not sendable until the record names the school.
    with pytest.raises(ValidationError) as error:
        encompass_notice_send(actor=mash, notice=notice, expected_version=notice.version)
    assert "Choose their current school" in error.value.messages[0]
    child = people["involved"]
    # The school's name in words is not enough: names are not matched (ADR 0033).
    child.school = "Elm Primary School"
    child.save(update_fields=["school"])
    with pytest.raises(ValidationError):
        encompass_notice_send(actor=mash, notice=notice, expected_version=notice.version)
    # The MASH records the school by its URN, as the API does.
    person_update(
        actor=mash,
        person=child,
        expected_version=child.version,
        data={"school_urn": council["school"].urn},
    )
    with time_machine.travel(at(2026, 11, 23, 10), tick=False):
        encompass_notice_send(actor=mash, notice=notice, expected_version=notice.version)
    notice.refresh_from_db()
    assert notice.state == NoticeState.SENT
    assert notice.school == council["school"]
    assert notice.due_at == at(2026, 11, 24, 8, 30)
    assert len(inbox(users["partner_practitioner"])) == 1


def test_telling_the_mash_does_not_keep_the_police_waiting_on_each_of_its_members(
    senders, users, people, council, django_capture_on_commit_callbacks
):
    """A partner's call sends nothing itself to the MASH, however many work there: the relay
    delivers on its next pass (receiving one event took 1.5 s at p95 at `large`)."""
    from conftest import make_user

    from safehub.access.roles import Role

    for n in range(5):
        make_user(f"mash{n}", Role.MASH_WORKER, council["teams"]["MASH"])
    with django_capture_on_commit_callbacks(execute=True):
        notice = police_notification(senders, type="domestic_abuse_child_in_household")
    assert notice.state == NoticeState.NO_SCHOOL
    told = OutboxMessage.objects.filter(subject__contains="needs the MASH")
    assert told.count() == 2 * 7  # inbox and e-mail for the seven on the MASH team
    assert not told.filter(sent_at__isnull=False).exists()


def test_telling_a_schools_leads_does_not_keep_the_police_waiting_either(
    senders, users, child_at_school, council, django_capture_on_commit_callbacks
):
    """A school (or a trust's hub) can have dozens of safeguarding leads: the relay tells
    them, not the police's request (receiving one event took 1 s at p95 at `large`)."""
    from conftest import make_user

    from safehub.access.roles import Role

    for n in range(3):
        make_user(f"dsl{n}", Role.PARTNER_PRACTITIONER, council["teams"]["school"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notice = police_notification(senders)
    assert notice.state == NoticeState.SENT
    told = OutboxMessage.objects.filter(subject__contains="for a pupil")
    assert told.count() == 2 * 4  # inbox and e-mail for each of the school's four leads
    assert not told.filter(sent_at__isnull=False).exists()
    assert len(callbacks) == 0


def test_a_restricted_notification_is_not_passed_on_and_the_decision_is_logged(
    senders, users, child_at_school, council
):
    notice = police_notification(senders, restricted=True)
    assert notice.state == NoticeState.NO_SCHOOL
    assert not inbox(users["partner_practitioner"])
    [logged] = SharingRecord.objects.all()
    assert logged.outcome == "not_shared"
    assert "restricted" in logged.reason_not_shared


def test_other_police_events_make_no_notice(senders, child_at_school):
    with time_machine.travel(at(2026, 11, 20, 23, 30), tick=False):
        partner_events_receive(
            actor=senders["police"],
            events=[event(event_id="M-1", type="missing_episode", occurred_at="2026-11-20")],
        )
    assert not EncompassNotice.objects.exists()


def test_the_lead_lists_and_acknowledges_on_the_page(senders, users, child_at_school, client_for):
    notice = police_notification(senders)
    client = client_for("partner_practitioner")
    listing = client.get(reverse("partners:notices")).content.decode()
    assert "Amelia Hart" in listing
    listed = AuditEvent.objects.get(action="list", object_type="partners.encompass")
    assert listed.subject_ids == f",{child_at_school.pk},"
    response = client.post(
        reverse("partners:notice-acknowledge", args=[notice.pk]), {"version": notice.version}
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.state == NoticeState.ACKNOWLEDGED
    # A second click on the stale page says what happened rather than failing silently.
    response = client.post(reverse("partners:notice-acknowledge", args=[notice.pk]), {"version": 1})
    assert "This notice has already been acknowledged" in response.content.decode()
