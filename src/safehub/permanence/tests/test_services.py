"""What the court and adoption services leave behind besides the record: the 26-week clock
and the order's review as due items, the chronology entries, the audit rows, and the
policy's refusals (the MASH and the IRO record no court work; an IRO does not see who the
adopters are)."""

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from safehub.audit.models import AuditEvent
from safehub.casework.models import DueItem
from safehub.chronology.models import ChronologyEntry
from safehub.core.exceptions import NotFound, PermissionDeniedError
from safehub.permanence import selectors, services
from safehub.permanence.models import Proceedings

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)


def _issue(sw: Any, child: Any, on: date = date(2026, 6, 1)) -> Proceedings:
    return services.proceedings_issue(
        actor=sw,
        child=child,
        application="care",
        issued_on=on,
        court="Demoshire Family Court",
        guardian="R. Patel (Cafcass)",
    )


def test_issuing_starts_the_26_weeks_and_the_final_order_stops_them(sw: Any, child: Any) -> None:
    proceedings = _issue(sw, child)
    item = DueItem.objects.get(child=child, kind=services.TIMETABLE_DUE)
    assert (item.due_date, item.done_on) == (date(2026, 11, 27), None)
    section = selectors.permanence_section(actor=sw, child=child, today=TODAY)
    assert section.clock is not None
    assert section.clock.week == 26
    assert [d.item.pk for d in section.due] == [item.pk]
    services.hearing_record(
        actor=sw,
        proceedings=proceedings,
        held_on=date(2026, 6, 3),
        kind="interim",
        interim_order="ico",
        next_hearing=date(2026, 7, 14),
    )
    services.final_order_record(
        actor=sw, proceedings=proceedings, made_on=date(2026, 11, 20), order="care"
    )
    item.refresh_from_db()
    assert item.done_on == date(2026, 11, 20)
    section = selectors.permanence_section(actor=sw, child=child, today=TODAY)
    assert section.clock is not None
    assert section.clock.within_26_weeks is True
    assert section.final_legal_status == "C2"
    assert section.due == []
    summaries = list(
        ChronologyEntry.objects.filter(source_type="permanence.Proceedings").values_list(
            "summary", flat=True
        )
    )
    assert any("Final order: Care order (903 legal status C2)" in s for s in summaries)
    assert ChronologyEntry.objects.filter(
        event_type="COURT_HEARING", summary__contains="C1"
    ).exists()
    assert (
        AuditEvent.objects.filter(
            action="change", person_id=child.pk, object_type="permanence.Proceedings"
        ).count()
        == 2
    )


def test_an_extension_moves_the_clock_and_a_late_order_says_so(sw: Any, child: Any) -> None:
    proceedings = _issue(sw, child, on=date(2026, 3, 2))
    services.timetable_extend(
        actor=sw,
        proceedings=proceedings,
        granted_on=date(2026, 8, 20),
        new_end=date(2026, 10, 16),
        reason="Parenting assessment of the father, who came forward late",
    )
    open_items = DueItem.objects.filter(child=child, kind=services.TIMETABLE_DUE, done_on=None)
    assert [i.due_date for i in open_items] == [date(2026, 10, 16)]
    services.final_order_record(
        actor=sw, proceedings=proceedings, made_on=date(2026, 10, 9), order="sgo"
    )
    section = selectors.permanence_section(actor=sw, child=child, today=TODAY)
    assert section.clock is not None
    assert section.clock.extended
    assert section.clock.within_26_weeks is False
    assert section.final_legal_status == ""  # a special guardianship order is no 903 legal status


def test_a_liberty_order_keeps_its_review_due(sw: Any, child: Any) -> None:
    order = services.liberty_order_record(
        actor=sw,
        child=child,
        made_on=date(2026, 9, 1),
        review_by=date(2026, 12, 1),
        court="High Court",
    )
    assert DueItem.objects.get(kind=services.LIBERTY_REVIEW_DUE, done_on=None).due_date == date(
        2026, 12, 1
    )
    services.liberty_order_review(
        actor=sw, order=order, reviewed_on=date(2026, 11, 20), next_review=date(2027, 2, 19)
    )
    assert list(
        DueItem.objects.filter(kind=services.LIBERTY_REVIEW_DUE)
        .order_by("pk")
        .values_list("due_date", "done_on")
    ) == [(date(2026, 12, 1), date(2026, 11, 20)), (date(2027, 2, 19), None)]
    services.liberty_order_end(actor=sw, order=order, ended_on=date(2026, 11, 22))
    assert not DueItem.objects.filter(kind=services.LIBERTY_REVIEW_DUE, done_on=None).exists()
    assert ChronologyEntry.objects.filter(event_type="DOL_ORDER_ENDED").count() == 1


def test_the_mash_and_the_iro_record_no_court_work(users: Any, child: Any) -> None:
    for role in ("mash_worker", "cp_chair_iro"):
        with pytest.raises(NotFound):
            _issue(users[role], child)
    assert not Proceedings.objects.exists()
    with pytest.raises(PermissionDeniedError):
        services.adopters_create(
            actor=users["cp_chair_iro"],
            names="X",
            sexes="F1",
            legal_status="L0",
            enquiry_on=date(2026, 1, 1),
        )


def test_the_iro_sees_the_match_but_not_the_adopters(sw: Any, child: Any, users: Any) -> None:
    adopters = services.adopters_create(
        actor=sw,
        names="Jo and Kim Reyes",
        sexes="FF",
        legal_status="L12",
        enquiry_on=date(2025, 10, 1),
    )
    adopters = services.adopters_approve(
        actor=sw, adopters=adopters, approved_on=date(2026, 2, 2), expected_version=adopters.version
    )
    services.adoption_decide(actor=sw, child=child, decided_on=date(2026, 1, 12))
    services.adoption_placement_order(actor=sw, child=child, made_on=date(2026, 3, 2))
    services.adoption_match(
        actor=sw, child=child, matched_on=date(2026, 5, 1), adopters=adopters, by_foster_carer=False
    )
    iro = selectors.permanence_section(actor=users["cp_chair_iro"], child=child, today=TODAY)
    assert iro.adoption is not None
    assert iro.adoption.matched_on == date(2026, 5, 1)
    assert iro.show_adopters is False
    assert selectors.permanence_section(actor=sw, child=child, today=TODAY).show_adopters is True
    assert iro.scorecard is not None
    assert iro.scorecard.order_to_match == 60


def test_the_letter_and_meeting_are_recorded_later_with_optimistic_locking(
    sw: Any, child: Any
) -> None:
    from safehub.core.exceptions import ConcurrentEditError

    pre = services.pre_proceedings_start(actor=sw, child=child, started_on=date(2026, 9, 1))
    opened_at = pre.version  # what a second worker's form still carries
    services.pre_proceedings_update(
        actor=sw,
        proceedings=pre,
        letter_sent=date(2026, 9, 4),
        meeting_held=None,
        expected_version=opened_at,
    )
    with pytest.raises(ConcurrentEditError):
        services.pre_proceedings_update(
            actor=sw,
            proceedings=pre,
            letter_sent=date(2026, 9, 4),
            meeting_held=date(2026, 9, 18),
            expected_version=opened_at,
        )
    pre.refresh_from_db()
    assert (pre.letter_sent, pre.meeting_held) == (date(2026, 9, 4), None)
    services.pre_proceedings_update(
        actor=sw,
        proceedings=pre,
        letter_sent=date(2026, 9, 4),
        meeting_held=date(2026, 9, 18),
        expected_version=pre.version,
    )
    services.proceedings_issue(
        actor=sw, child=child, application="care", issued_on=date(2026, 10, 5), court="Family Court"
    )
    pre.refresh_from_db()
    with pytest.raises(ValidationError):
        services.pre_proceedings_update(
            actor=sw,
            proceedings=pre,
            letter_sent=date(2026, 9, 4),
            meeting_held=None,
            expected_version=pre.version,
        )
