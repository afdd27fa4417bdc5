"""The rows for the returns: 903 OC3 for a collection year, Ofsted Annex A list 9 on a day,
and the 903 social worker episodes from allocations with SW registration numbers."""

from datetime import date
from typing import Any

import pytest
from conftest import make_person
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safehub.casework.models import Allocation
from safehub.leaving_care import services
from safehub.leaving_care.codes import Category
from safehub.leaving_care.returns import (
    AnnexARow,
    OC3Row,
    SWEpisodeRow,
    annex_a_list9,
    oc3_rows,
    sw_episodes,
)
from safehub.leaving_care.tests.conftest import BORN, looked_after
from safehub.organisations.models import User

pytestmark = pytest.mark.django_db


def _young_people(sw: Any) -> dict[str, Any]:
    """Four young people beside Amelia (born 15 September 2007, left care at 16)."""
    brief = make_person("Brief", "Stay", BORN)  # six weeks at 16: qualifying only
    looked_after(brief, sw, date(2023, 10, 1), date(2023, 11, 12))
    still = make_person("Still", "Incare", date(2008, 5, 1))  # looked after now, 18
    looked_after(still, sw, date(2020, 1, 1), None)
    breaks = make_person("Short", "Breaks", BORN)  # short breaks only
    looked_after(breaks, sw, date(2021, 3, 1), date(2024, 1, 10), legal_status="V3")
    older = make_person("Older", "Leaver", date(2004, 7, 1))  # 21 in July 2025
    looked_after(older, sw, date(2019, 1, 1), date(2021, 1, 1))
    return {"brief": brief, "still": still, "breaks": breaks, "older": older}


def test_oc3_rows_for_a_year(leaver: Any, sw: Any) -> None:
    others = _young_people(sw)
    services.birthday_record(
        actor=sw,
        child=leaver,
        age=18,
        contact_date=date(2025, 9, 1),
        in_touch="YES",
        accommodation="Z",
        suitable=True,
        activity="F2",
    )
    with CaptureQueriesContext(connection) as queries:
        rows = oc3_rows(2025)  # 1 April 2025 to 31 March 2026
    assert len(queries) == 3
    assert rows == [
        OC3Row(leaver.pk, BORN, 18, "YES", "F2", "Z1"),
        # 21 on 1 July 2025, no record yet: a row with blanks for the returns team.
        OC3Row(others["older"].pk, date(2004, 7, 1), 21, "", "", ""),
    ]
    # The year before: Amelia's 17th (no record), the older leaver's 20th.
    assert [(r.child, r.age) for r in oc3_rows(2024)] == [
        (leaver.pk, 17),
        (others["older"].pk, 20),
    ]


def test_oc3_codes_are_zero_when_not_in_touch(leaver: Any, sw: Any) -> None:
    services.birthday_record(
        actor=sw, child=leaver, age=19, contact_date=date(2026, 9, 1), in_touch="REFU"
    )
    assert oc3_rows(2026) == [OC3Row(leaver.pk, BORN, 19, "REFU", "0", "0")]


def test_annex_a_list_9(leaver: Any, sw: Any, users: Any) -> None:
    others = _young_people(sw)
    services.adviser_allocate(
        actor=users["team_manager"],
        child=leaver,
        adviser=users["colleague"],
        support_to_25=False,
        expected_version=None,
    )
    services.birthday_record(
        actor=sw,
        child=leaver,
        age=19,
        contact_date=date(2026, 9, 1),
        in_touch="YES",
        accommodation="S",
        suitable=False,
        activity="G5",
    )
    with CaptureQueriesContext(connection) as queries:
        rows = annex_a_list9(date(2026, 11, 23))
    assert len(queries) == 4
    assert rows == [
        AnnexARow(leaver.pk, Category.FORMER_RELEVANT, "YES", "S2", "G5", "Sw2 Tester"),
        AnnexARow(others["brief"].pk, Category.QUALIFYING, "", "", "", ""),
        AnnexARow(others["still"].pk, Category.FORMER_RELEVANT, "", "", "", ""),
    ]


def test_sw_episodes_from_allocations(leaver: Any, users: Any) -> None:
    sw, colleague = users["social_worker"], users["colleague"]
    User.objects.filter(pk=sw.pk).update(swe_registration="SW100001")
    User.objects.filter(pk=colleague.pk).update(swe_registration="SW100002")
    first = Allocation.objects.create(
        child=leaver,
        worker=sw,
        team=sw.team,
        start_date=date(2021, 3, 1),
        end_date=date(2022, 6, 30),
        reason="NEW",
        involvement=leaver.involvements.first(),
        allocated_by=users["team_manager"],
    )
    Allocation.objects.create(
        child=leaver,
        worker=colleague,
        team=colleague.team,
        start_date=date(2022, 6, 30),
        end_date=date(2024, 1, 10),
        reason="LEFTRL",
        involvement=first.involvement,
        allocated_by=users["team_manager"],
    )
    assert sw_episodes(2022) == [
        SWEpisodeRow(leaver.pk, BORN, "SW100001", date(2021, 3, 1), date(2022, 6, 30), "LEFTRL"),
        SWEpisodeRow(leaver.pk, BORN, "SW100002", date(2022, 6, 30), date(2024, 1, 10), ""),
    ]
    assert [r.sw_id for r in sw_episodes(2023)] == ["SW100002"]
    assert sw_episodes(2024) == []  # left care in January 2024, in the 2023 year
