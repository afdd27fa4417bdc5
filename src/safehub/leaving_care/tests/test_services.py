"""What recording a care leaver's records does besides saving them: the policy decides
who may (and the refusal is audited), each change is audited and put on the chronology,
the pathway plan and birthday clocks are due items, and the adviser is given access."""

from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError

from safehub.access.policy import Action, decide
from safehub.audit.models import AuditEvent
from safehub.casework.models import DueItem
from safehub.chronology.models import ChronologyEntry
from safehub.core.exceptions import (
    BreakGlassRequired,
    ConcurrentEditError,
    NotFound,
    PermissionDeniedError,
)
from safehub.leaving_care import events, services
from safehub.leaving_care.models import CareLeaver
from safehub.leaving_care.tests.conftest import looked_after
from safehub.people.models import Person

pytestmark = pytest.mark.django_db

ANSWERS = {"in_touch": "YES", "accommodation": "U", "suitable": True, "activity": "F5"}


def _birthday(actor: Any, child: Any, age: int = 19, on: date = date(2026, 9, 1)) -> Any:
    return services.birthday_record(actor=actor, child=child, age=age, contact_date=on, **ANSWERS)


def test_a_birthday_record_is_audited_and_on_the_chronology(leaver: Any, sw: Any) -> None:
    record = _birthday(sw, leaver)
    entry = ChronologyEntry.objects.get(event_type=events.BIRTHDAY_RECORD)
    assert entry.summary == (
        "19th birthday: in touch; Independent living, for example a flat or tenancy "
        "(U1, suitable); Full-time training or employment other than an apprenticeship (F5)"
    )
    assert entry.occurred_at.date() == date(2026, 9, 1)
    assert AuditEvent.objects.filter(
        action="change", person_id=leaver.pk, object_id=str(record.pk)
    ).exists()


def test_someone_who_may_not_see_the_young_person_records_nothing(
    leaver: Any, users: Any, people: Any
) -> None:
    with pytest.raises(NotFound):
        _birthday(users["south_worker"], leaver)
    restricted = people["restricted"]
    Person.objects.filter(pk=restricted.pk).update(date_of_birth=date(2007, 9, 15))
    restricted.refresh_from_db()
    looked_after(restricted, users["colleague"], date(2021, 3, 1), date(2024, 1, 10))
    with pytest.raises(BreakGlassRequired):
        _birthday(users["social_worker"], restricted)
    assert not CareLeaver.objects.exists()


def test_the_personal_adviser_is_allocated_by_a_manager_and_may_then_open_the_record(
    leaver: Any, users: Any
) -> None:
    adviser = users["colleague"]
    manager = users["team_manager"]
    with pytest.raises(PermissionDeniedError):
        services.adviser_allocate(
            actor=users["social_worker"],
            child=leaver,
            adviser=adviser,
            support_to_25=False,
            expected_version=None,
        )
    leaver_record = services.adviser_allocate(
        actor=manager, child=leaver, adviser=adviser, support_to_25=False, expected_version=None
    )
    assert leaver_record.personal_adviser == adviser
    involvement = leaver_record.adviser_involvement
    assert involvement is not None
    assert involvement.user == adviser
    assert involvement.end_date is None
    # A new adviser: the old involvement ends, and the change is on the chronology.
    services.adviser_allocate(
        actor=manager,
        child=leaver,
        adviser=users["team_manager"],
        support_to_25=True,
        expected_version=leaver_record.version,
    )
    involvement.refresh_from_db()
    assert involvement.end_date is not None
    assert ChronologyEntry.objects.filter(event_type=events.ADVISER_ALLOCATED).count() == 2
    assert ChronologyEntry.objects.filter(event_type=events.SUPPORT_TO_25).count() == 1
    # Someone who saved from the first version is not allowed to overwrite the second.
    with pytest.raises(ConcurrentEditError):
        services.adviser_allocate(
            actor=manager,
            child=leaver,
            adviser=adviser,
            support_to_25=False,
            expected_version=leaver_record.version,
        )


def test_an_adviser_is_a_case_holding_worker_for_a_care_leaver(
    leaver: Any, users: Any, people: Any
) -> None:
    manager = users["team_manager"]
    with pytest.raises(ValidationError):
        services.adviser_allocate(
            actor=manager,
            child=leaver,
            adviser=users["cp_chair_iro"],
            support_to_25=False,
            expected_version=None,
        )
    same_team = people["same_team"]  # born 2012, never looked after
    with pytest.raises(ValidationError, match="not a care leaver"):
        services.adviser_allocate(
            actor=manager,
            child=same_team,
            adviser=users["colleague"],
            support_to_25=False,
            expected_version=None,
        )


def test_the_pathway_plan_is_reviewed_within_six_months(leaver: Any, sw: Any) -> None:
    services.pathway_plan_record(
        actor=sw, child=leaver, plan_date=date(2026, 3, 2), content="Flat; college course"
    )
    item = DueItem.objects.get(child=leaver, kind=services.PATHWAY_DUE, done_on=None)
    # Six months on is Wednesday 2 September 2026.
    assert item.due_date == date(2026, 9, 2)
    services.pathway_plan_record(
        actor=sw, child=leaver, plan_date=date(2026, 8, 30), content="Reviewed"
    )
    item.refresh_from_db()
    assert item.done_on == date(2026, 8, 30)
    # 28 February 2027 is a Sunday: the review is due by the Friday before.
    assert DueItem.objects.get(
        child=leaver, kind=services.PATHWAY_DUE, done_on=None
    ).due_date == date(2027, 2, 26)


def test_each_birthday_record_due_is_registered_in_turn(leaver: Any, users: Any) -> None:
    services.adviser_allocate(
        actor=users["team_manager"],
        child=leaver,
        adviser=users["social_worker"],
        support_to_25=False,
        expected_version=None,
    )
    # On 23 November 2026 the 19th birthday's window (to 15 October) has closed: the next
    # record the 903 asks for is the 20th, due by 15 October 2027.
    item = DueItem.objects.get(child=leaver, kind__startswith="birthday_", done_on=None)
    assert (item.label, item.due_date) == ("Record the 20th birthday", date(2027, 10, 15))
    _birthday(users["social_worker"], leaver, age=19, on=date(2026, 9, 1))  # late, but kept
    item = DueItem.objects.get(child=leaver, kind__startswith="birthday_", done_on=None)
    assert item.label == "Record the 20th birthday"  # the 19th, recorded late, was not due
    with time_machine.travel(datetime(2027, 9, 20, 10, tzinfo=UTC), tick=False):
        _birthday(users["social_worker"], leaver, age=20, on=date(2027, 9, 20))
    item.refresh_from_db()
    assert item.done_on == date(2027, 9, 20)
    # 15 October 2028 is a Sunday: due by the Friday before.
    item = DueItem.objects.get(child=leaver, kind__startswith="birthday_", done_on=None)
    assert (item.label, item.due_date) == ("Record the 21st birthday", date(2028, 10, 13))


def test_the_adviser_may_record_for_the_young_person_once_allocated(
    leaver: Any, users: Any
) -> None:
    adviser = users["south_worker"]  # another team's worker: no access before
    assert decide(adviser, leaver, Action.EDIT).value == "deny"
    services.adviser_allocate(
        actor=users["team_manager"],
        child=leaver,
        adviser=adviser,
        support_to_25=False,
        expected_version=None,
    )
    assert decide(adviser, leaver, Action.EDIT).value == "allow"
    assert _birthday(adviser, leaver).recorded_by == adviser
