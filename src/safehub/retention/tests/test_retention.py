"""Retention: the schedule as data, which rule governs each child, the monthly job, disposal
that anonymises and keeps the audit, and legal holds."""

import io
import uuid
from datetime import date, datetime

import pytest
from conftest import make_person
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from safehub.access.services import OPERATOR
from safehub.audit.models import AuditEvent
from safehub.casework.models import CaseNote, CPPlan, Episode, PeriodOfCare
from safehub.core.exceptions import PermissionDeniedError
from safehub.core.workdays import LONDON
from safehub.hardtosee.models import RegisterFacts
from safehub.organisations.models import User
from safehub.people.models import Person, PersonName, Relationship
from safehub.retention import selectors, services
from safehub.retention.models import LegalHold, ReviewState
from safehub.retention.schedule import ScheduleError, current_schedule, parse_schedule

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 12, 1)


def _episode(child: Person, when: date) -> Episode:
    opener = User.objects.get(username="sw")
    return Episode.objects.create(kind="cin", child=child, referral_date=when, opened_by=opener)


@pytest.fixture
def children(users):
    cin = make_person("Rosa", "Field", date(2000, 5, 1))
    _episode(cin, date(2012, 1, 9))
    CaseNote.objects.create(
        child=cin, author=users["social_worker"], occurred_at=timezone.now(), text="Rosa at home"
    )
    mother = make_person("Dana", "Field", date(1975, 1, 1), kind="adult")
    pair = uuid.uuid4()
    Relationship.objects.create(subject=cin, other=mother, type="mother", pair_key=pair)
    Relationship.objects.create(subject=mother, other=cin, type="child", pair_key=pair)
    cp = make_person("Tom", "Marsh", date(2001, 1, 10))
    episode = _episode(cp, date(2010, 2, 1))
    CPPlan.objects.create(
        episode=episode,
        child=cp,
        start_date=date(2010, 3, 1),
        initial_category="NEG",
        latest_category="NEG",
        end_date=date(2011, 3, 1),
    )
    care = make_person("Lily", "Stone", date(2000, 3, 3))
    PeriodOfCare.objects.create(
        child=care, episode=_episode(care, date(2005, 1, 1)), start_date=date(2005, 2, 1)
    )
    adopted = make_person("Ben", "Oak", date(1995, 6, 1))
    PeriodOfCare.objects.create(
        child=adopted,
        episode=_episode(adopted, date(1996, 1, 1)),
        start_date=date(1996, 2, 1),
        end_date=date(1997, 6, 1),
        reason_ceased="E11",
    )
    young = make_person("Zoe", "Vale", date(2010, 1, 1))
    return {"cin": cin, "cp": cp, "care": care, "adopted": adopted, "young": young}


def test_every_class_cites_its_rule():
    schedule = current_schedule()
    assert {c.code for c in schedule.classes} == {
        "adoption",
        "looked_after",
        "child_protection",
        "child_in_need",
    }
    assert all(c.rule for c in schedule.classes)
    assert "regulation 42" in schedule.by_code("adoption").rule


def test_a_mistake_in_the_schedule_is_named_by_its_place():
    raw = {"classes": [{"code": "x", "applies_when": "any_record", "anchor": "birth", "years": 0}]}
    with pytest.raises(ScheduleError, match=r"classes\[0\]\.years"):
        parse_schedule(raw)
    raw["classes"][0]["years"] = 5
    with pytest.raises(ScheduleError, match=r"classes\[0\]\.rule"):
        parse_schedule(raw)


def test_the_latest_period_governs(children):
    found = selectors.governing(list(children.values()))
    got = {
        name: (due.record_class.code, due.keep_until)
        for name, child in children.items()
        if (due := found[child.pk]) is not None
    }
    assert got == {
        "cin": ("child_in_need", date(2025, 5, 1)),
        "cp": ("child_protection", date(2026, 1, 10)),
        "care": ("looked_after", date(2075, 3, 3)),
        "adopted": ("adoption", date(2097, 6, 1)),
        "young": ("child_in_need", date(2035, 1, 1)),
    }


def test_the_monthly_job_lists_what_is_due_once(children):
    listed = services.reviews_list_due(actor=OPERATOR, as_of=AS_OF)
    assert {r.person_id for r in listed} == {children["cin"].pk, children["cp"].pk}
    assert services.reviews_list_due(actor=OPERATOR, as_of=AS_OF) == []
    row = AuditEvent.objects.get(object_type="retention.due")
    assert (
        row.subject_ids
        == f",{min(r.person_id for r in listed)},{max(r.person_id for r in listed)},"
    )


def test_the_monthly_job_runs_on_the_first_of_each_month_on_the_job_queue(children):
    import time_machine
    from django_q.models import Schedule

    from safehub.retention.tasks import monthly_review

    schedule = Schedule.objects.get(func="safehub.retention.tasks.monthly_review")
    assert schedule.schedule_type == Schedule.MONTHLY
    assert (schedule.next_run.day, schedule.next_run.hour) == (1, 3)
    with time_machine.travel(datetime(2026, 12, 1, 3, tzinfo=LONDON), tick=False):
        assert monthly_review() == 2
        assert monthly_review() == 0


def test_the_command_takes_as_of(children):
    out = io.StringIO()
    call_command("retention_review", "--as-of", "2025-06-01", stdout=out)
    assert f"SafeHub ID {children['cin'].pk} child_in_need" in out.getvalue()
    assert "1 listed" in out.getvalue()


def _review(person):
    services.reviews_list_due(actor=OPERATOR, as_of=AS_OF)
    return next(r for r in selectors.reviews_due() if r.person_id == person.pk)


def test_disposal_anonymises_and_keeps_the_audit(children, users):
    dpo = users["data_protection_officer"]
    child = children["cin"]
    before = AuditEvent.objects.count()
    review = _review(child)
    removed = services.record_dispose(
        actor=dpo, review=review, expected_version=review.version, reason="Due", today=AS_OF
    )
    child.refresh_from_db()
    assert child.full_name == "Disposed record"
    assert child.date_of_birth is None
    # Its register row says so in the same transaction: on no register (ADR 0060).
    assert RegisterFacts.objects.get(pk=child.pk).date_of_birth is None
    assert not PersonName.objects.filter(person=child).exists()
    assert not Relationship.objects.filter(subject=child).exists()
    assert not Relationship.objects.filter(other=child).exists()
    assert CaseNote.objects.get(child=child).text == services.REMOVED
    assert removed["names"] == 1
    assert removed["relationships"] == 2
    review.refresh_from_db()
    assert review.state == ReviewState.DISPOSED
    assert review.removed == removed
    row = AuditEvent.objects.get(action="dispose", person_id=child.pk)
    assert row.detail["record_class"] == "child_in_need"
    assert row.reason == "Due"
    assert AuditEvent.objects.count() > before  # nothing removed from the audit


def test_only_the_officer_disposes(children, users):
    review = _review(children["cin"])
    with pytest.raises(PermissionDeniedError):
        services.record_dispose(
            actor=users["team_manager"],
            review=review,
            expected_version=review.version,
            reason="Due",
            today=AS_OF,
        )
    assert Person.objects.get(pk=children["cin"].pk).given_name == "Rosa"


def test_a_held_record_is_kept_until_the_hold_is_lifted(children, users):
    dpo = users["data_protection_officer"]
    child = children["cp"]
    review = _review(child)
    with pytest.raises(ValidationError):
        services.record_hold(actor=dpo, review=review, expected_version=review.version, reason="")
    hold = services.record_hold(
        actor=dpo, review=review, expected_version=review.version, reason="Claim against council"
    )
    review.refresh_from_db()
    assert review.state == ReviewState.HELD
    assert LegalHold.objects.filter(person=child, lifted_at__isnull=True).count() == 1
    assert child.pk not in {
        r.person_id for r in services.reviews_list_due(actor=OPERATOR, as_of=AS_OF)
    }
    services.hold_lift(actor=dpo, hold=hold, reason="Claim settled")
    again = services.reviews_list_due(actor=OPERATOR, as_of=AS_OF)
    assert [r.person_id for r in again] == [child.pk]


def test_disposal_refused_under_a_hold(children, users):
    dpo = users["data_protection_officer"]
    review = _review(children["cin"])
    LegalHold.objects.create(
        person=children["cin"], reason="Inquiry", placed_by=dpo, placed_at=timezone.now()
    )
    with pytest.raises(ValidationError, match="legal hold"):
        services.record_dispose(
            actor=dpo, review=review, expected_version=review.version, reason="Due", today=AS_OF
        )
    assert Person.objects.get(pk=children["cin"].pk).given_name == "Rosa"


def test_review_page_and_decision_page(children, client_for):
    review = _review(children["cin"])
    client = client_for("data_protection_officer")
    page = client.get(reverse("retention:review"))
    assert page.status_code == 200
    assert f"SafeHub ID {children['cin'].pk}".encode() in page.content
    bad = client.post(reverse("retention:decide", args=[review.pk]), {"version": review.version})
    assert bad.status_code == 200
    assert b"Select whether to dispose" in bad.content
    done = client.post(
        reverse("retention:decide", args=[review.pk]),
        {"version": review.version, "decision": "hold", "reason": "Subject access pending"},
    )
    assert done.status_code == 302
    assert LegalHold.objects.filter(person=children["cin"]).exists()
