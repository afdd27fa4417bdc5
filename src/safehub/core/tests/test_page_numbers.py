"""Whatever `?page=` says, a paged list answers with a real page: past the end is the last
page, zero, negative or not a whole number is the first. The selectors clamp it, so the
pages and anything else that calls them get the same answer. Paged today: the MASH queue,
a person's chronology, and the DPO's audit trail by person and by member of staff."""

from typing import Any

import pytest
from django.urls import reverse

from safehub.access.selectors import PAGE_SIZE as AUDIT_PAGE_SIZE
from safehub.access.selectors import audit_events_for_person, audit_events_for_user
from safehub.audit.models import AuditAction, AuditEvent
from safehub.chronology.selectors import PAGE_SIZE as CHRONOLOGY_PAGE_SIZE
from safehub.chronology.selectors import chronology_page_for_person
from safehub.chronology.services import chronology_append
from safehub.core.paging import page_number
from safehub.frontdoor import services
from safehub.frontdoor.selectors import QUEUE_PAGE_SIZE, QueueFilters, mash_queue
from safehub.frontdoor.tests.factories import public_submission

HUGE = str(10**30)
# (what the address bar says, which page it means: "last" or "first")
PAST_THE_END = [(HUGE, "last"), ("99999", "last"), ("9" * 5000, "last")]
BEFORE_THE_START = [
    ("0", "first"),
    ("-1", "first"),
    ("-" + HUGE, "first"),
    ("abc", "first"),
    ("1.5", "first"),
    ("1e30", "first"),
    ("", "first"),
    ("٣", "first"),  # an Arabic-Indic three: Python's int() takes it, a page number is ASCII
    ("0x10", "first"),
]
ODD_PAGES = [
    pytest.param(raw, where, id=f"{raw[:12]}…" if len(raw) > 12 else repr(raw))
    for raw, where in PAST_THE_END + BEFORE_THE_START
]


def _expected(where: str, pages: int) -> int:
    return pages if where == "last" else 1


# --- The one rule ------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "where"), ODD_PAGES)
def test_page_number_clamps_to_the_pages_there_are(raw: str, where: str) -> None:
    assert page_number(raw, pages=4) == _expected(where, 4)


@pytest.mark.parametrize("raw", [1, "1", " 2 ", 3, "3", None])
def test_page_number_keeps_a_page_that_exists(raw: Any) -> None:
    assert page_number(raw, pages=3) == (1 if raw is None else int(str(raw)))


def test_page_number_of_an_empty_list_is_the_first() -> None:
    assert page_number(HUGE, pages=0) == 1


# --- A person's chronology (the person page) ---------------------------------------------


@pytest.fixture
def long_chronology(people: dict[str, Any], users: dict[str, Any]) -> Any:
    child = people["involved"]
    for n in range(CHRONOLOGY_PAGE_SIZE + 5):  # two pages
        chronology_append(
            actor=users["social_worker"],
            persons=[child],
            event_type="SCHOOL_ATTENDANCE_CONCERN",
            summary=f"Attendance note {n}",
        )
    return child


@pytest.mark.parametrize(("raw", "where"), ODD_PAGES)
def test_chronology_selector_clamps_the_page(
    long_chronology: Any, users: dict[str, Any], raw: str, where: str
) -> None:
    page = chronology_page_for_person(
        actor=users["social_worker"], person=long_chronology, page=raw
    )
    assert page.pages == 2
    assert page.page == _expected(where, 2)
    assert len(page.entries) == (5 if where == "last" else CHRONOLOGY_PAGE_SIZE)


@pytest.mark.parametrize(("raw", "where"), ODD_PAGES)
def test_person_page_shows_the_clamped_chronology_page(
    long_chronology: Any, client_for: Any, raw: str, where: str
) -> None:
    url = reverse("people:person-detail", args=[long_chronology.pk])
    response = client_for("social_worker").get(url, {"page": raw})
    assert response.status_code == 200
    text = response.content.decode()
    # Newest first: note 0 is on the last page, the newest note on the first.
    newest = f"Attendance note {CHRONOLOGY_PAGE_SIZE + 4}<"
    assert (newest in text) == (where == "first")
    assert ("Attendance note 0<" in text) == (where == "last")


# --- The MASH queue ----------------------------------------------------------------------


@pytest.fixture
def full_queue(db: Any) -> int:
    for n in range(QUEUE_PAGE_SIZE + 3):  # two pages
        services.contact_submit(
            actor=None,
            channel="public",
            data=public_submission(concern_summary=f"Worry number {n} about the child."),
        )
    return QUEUE_PAGE_SIZE + 3


@pytest.mark.parametrize(("raw", "where"), ODD_PAGES)
def test_mash_queue_selector_clamps_the_page(
    full_queue: int, users: dict[str, Any], raw: str, where: str
) -> None:
    page = mash_queue(actor=users["mash_worker"], filters=QueueFilters(), page=raw)
    assert page.paginator.num_pages == 2
    assert page.number == _expected(where, 2)
    assert len(page.object_list) == (3 if where == "last" else QUEUE_PAGE_SIZE)


@pytest.mark.parametrize(("raw", "where"), ODD_PAGES)
def test_mash_queue_page_shows_the_clamped_page(
    full_queue: int, client_for: Any, raw: str, where: str
) -> None:
    response = client_for("mash_worker").get(reverse("frontdoor:contact-queue"), {"page": raw})
    assert response.status_code == 200
    assert f"Page {_expected(where, 2)} of 2" in response.content.decode()


def test_an_empty_mash_queue_is_one_empty_page(users: dict[str, Any]) -> None:
    page = mash_queue(actor=users["mash_worker"], filters=QueueFilters(), page=HUGE)
    assert page.number == 1
    assert list(page.object_list) == []


# --- The DPO's audit trail ---------------------------------------------------------------


@pytest.fixture
def audited(people: dict[str, Any], users: dict[str, Any]) -> dict[str, Any]:
    person, worker = people["involved"], users["social_worker"]
    AuditEvent.objects.bulk_create(
        AuditEvent(actor=worker, action=AuditAction.VIEW, person_id=person.pk)
        for _ in range(AUDIT_PAGE_SIZE + 2)
    )
    return {"person": person, "worker": worker}


@pytest.mark.parametrize(("raw", "where"), ODD_PAGES)
def test_audit_selectors_clamp_the_page(
    audited: dict[str, Any], users: dict[str, Any], raw: str, where: str
) -> None:
    dpo = users["data_protection_officer"]
    for result in (
        audit_events_for_person(actor=dpo, person_id=audited["person"].pk, page=raw),
        audit_events_for_user(actor=dpo, user_id=audited["worker"].pk, page=raw),
    ):
        assert result.page == _expected(where, 2)
        assert len(result.events) == (2 if where == "last" else AUDIT_PAGE_SIZE)
        assert result.has_next == (where == "first")


@pytest.mark.parametrize(("raw", "where"), ODD_PAGES)
@pytest.mark.parametrize("by", ["person", "user"])
def test_audit_page_shows_the_clamped_page(
    audited: dict[str, Any], client_for: Any, raw: str, where: str, by: str
) -> None:
    query = (
        {"person_id": audited["person"].pk}
        if by == "person"
        else {"username": audited["worker"].username}
    )
    response = client_for("data_protection_officer").get(
        reverse("audit:audit-home"), {**query, "page": raw}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert (">Newer</a>" in text) == (where == "last")
    assert (">Older</a>" in text) == (where == "first")


# --- Lists that are not paged ignore the parameter ---------------------------------------


@pytest.mark.parametrize(
    ("role", "name"),
    [
        ("partner_practitioner", "frontdoor:referral-list"),
        ("partner_practitioner", "frontdoor:request-list"),
        ("social_worker", "casework:my-work"),
        ("team_manager", "casework:team-work"),
        ("system_administrator", "organisations:user-list"),
        ("mash_worker", "notifications:inbox"),
        ("data_protection_officer", "audit:break-glass-queue"),
    ],
)
@pytest.mark.parametrize("raw", [HUGE, "-1", "abc"])
def test_unpaged_lists_ignore_a_page_parameter(
    people: Any, client_for: Any, role: str, name: str, raw: str
) -> None:
    assert client_for(role).get(reverse(name), {"page": raw}).status_code == 200
