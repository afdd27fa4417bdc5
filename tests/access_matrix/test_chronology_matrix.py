"""The multi-agency chronology (ADR 0023).

- The chronology page and the household view are in PERSON_ENDPOINTS (test_matrix.py):
  every role × every relation, as the person page.
- The court export and the key-event/analysis form: every role × every relation from
  CASEWORK_VIEW (the council's casework; partners are refused as not found).
- Restricted partner entries, sent through the API by the school and by the police: who
  reads them whole and who is told only how many are hidden, per RESTRICTED_ENTRIES, on the
  chronology page, the household view and the court export; and the same rule on every
  other place a chronology shows (the person page, the record export, the casework page and
  the casework API's chronology). The contact page shows a chronology only to those who
  triage, who read every restricted entry (RESTRICTED_ENTRIES), so it has nothing to hide.
"""

import pytest
from conftest import shows
from django.test import Client
from django.urls import reverse

from safehub.audit.models import AuditEvent
from safehub.chronology.models import ChronologyLink
from safehub.chronology.services import chronology_append
from safehub.partners.tests.conftest import (  # noqa: F401 - a fixture
    bearer,
    event,
    send,
    senders,
)
from tests.access_matrix.matrix import CASEWORK_VIEW, RELATIONS, RESTRICTED_ENTRIES, VIEW

pytestmark = pytest.mark.django_db

SCHOOL_WORDS = "Disclosed a worry about an uncle to her teacher."
POLICE_WORDS = "Seen with older youths linked to drug supply."


def _expected(role: str, relation: str) -> str:
    return CASEWORK_VIEW[role].split()[RELATIONS.index(relation)]


@pytest.mark.parametrize("name", ["multiagency:court-export", "multiagency:entry-note"])
@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("role", sorted(CASEWORK_VIEW))
def test_court_export_and_notes_follow_casework_view(
    role, relation, name, users, people, client_for
):
    person = people[relation]
    entry = chronology_append(
        actor=users["mash_worker"],
        persons=[person],
        event_type="PARTNER_SUSPENSION",
        summary="Suspended for a day.",
    )
    args = [person.pk, entry.pk] if name == "multiagency:entry-note" else [person.pk]
    response = client_for(role).get(reverse(name, args=args))
    expected = _expected(role, relation)
    if expected == "A":
        assert response.status_code == 200, (role, relation, name)
        assert person.given_name.encode() in response.content
    elif expected == "B":
        assert response.status_code == 302, (role, relation, name)
        assert response["Location"] == reverse("people:person-break-glass", args=[person.pk])
    else:
        assert response.status_code == 404, (role, relation, name)
        assert not shows(person.family_name, response.content)
        assert not AuditEvent.objects.filter(action="view", person_id=person.pk).exists()


@pytest.fixture
def restricted_sent(senders, people):  # noqa: F811
    child = people["involved"]
    for sender, body in (
        (
            senders["school"],
            event(event_id="S9", type="dsl_welfare_concern", summary=SCHOOL_WORDS, restricted=True),
        ),
        (
            senders["police"],
            event(
                event_id="P9",
                type="exploitation_intelligence",
                summary=POLICE_WORDS,
                restricted=True,
            ),
        ),
        (
            senders["police"],
            event(event_id="P8", type="missing_episode", summary="Reported missing overnight."),
        ),
    ):
        assert send(sender, [body]).json()["results"][0]["outcome"] == "accepted"
    assert ChronologyLink.objects.filter(person=child, entry__restricted=True).count() == 2
    return child


def _readable(text: str) -> list[bool]:
    return [SCHOOL_WORDS in text, POLICE_WORDS in text]


@pytest.mark.parametrize("user", sorted(RESTRICTED_ENTRIES))
def test_restricted_partner_entries_by_reader(user, restricted_sent, client_for):
    child = restricted_sent
    expected = [flag == "Y" for flag in RESTRICTED_ENTRIES[user].split()]
    hidden = expected.count(False)
    client = client_for(user)
    pages = [
        client.get(reverse("multiagency:chronology", args=[child.pk])),
        client.get(reverse("multiagency:household", args=[child.pk])),
    ]
    for response in pages:
        assert response.status_code == 200, user
        text = response.content.decode()
        assert _readable(text) == expected, user
        assert "Reported missing overnight." in text
        if hidden:
            noun = "entry" if hidden == 1 else "entries"
            assert f"{hidden} {noun} hidden" in text, user
        else:
            assert "hidden:" not in text, user
        # The placeholder the person page shows never stands in for a hidden entry here.
        if not all(expected):
            assert "Restricted information from" not in text
    if CASEWORK_VIEW.get(user, CASEWORK_VIEW["social_worker"]).split()[0] == "A":
        csv = client.get(
            reverse("multiagency:court-export", args=[child.pk]), {"format": "csv"}
        ).content.decode()
        assert _readable(csv) == expected, user
        if hidden:
            assert f"{hidden} restricted partner entr" in csv


@pytest.mark.parametrize(
    "user",
    [
        "performance_analyst",
        "partnership_officer",
        "data_protection_officer",
        "system_administrator",
        "south_worker",
    ],
)
def test_readers_outside_the_childs_scope_see_nothing(user, restricted_sent, client_for):
    client = client_for(user)
    for name in ("multiagency:chronology", "multiagency:household", "multiagency:court-export"):
        response = client.get(reverse(name, args=[restricted_sent.pk]))
        assert response.status_code == 404, (user, name)
        assert SCHOOL_WORDS.encode() not in response.content


# Every other place a chronology is shown applies the same rule (ADR 0033): an entry kept
# from the reader is counted, and neither its words, its placeholder, its agency nor its
# type shows. Where the reader may read it, these places show the placeholder the sender's
# agency gave (the partner's own words are on the multi-agency chronology only).
PLACEHOLDERS = [
    "Restricted information from Elm Primary School.",
    "Restricted information from Testshire Police.",
]
# url name -> (the table that says who reaches it for the involved child, how it is read)
CHRONOLOGY_PLACES = {
    "people:person-detail": (VIEW, "page"),
    "people:person-export": (VIEW, "export"),
    "casework:child-casework": (CASEWORK_VIEW, "page"),
    "api-v1:person_chronology_api": (VIEW, "api"),
}


def _reaches(table: dict[str, str], user: str) -> bool:
    row = table.get(user, table["social_worker"])  # a colleague reads as a social worker
    return row.split()[RELATIONS.index("involved")] == "A"


@pytest.mark.parametrize("name", sorted(CHRONOLOGY_PLACES))
@pytest.mark.parametrize("user", sorted(RESTRICTED_ENTRIES))
def test_restricted_partner_entries_everywhere_a_chronology_shows(
    user, name, restricted_sent, users, client_for
):
    child = restricted_sent
    table, how = CHRONOLOGY_PLACES[name]
    expected = [flag == "Y" for flag in RESTRICTED_ENTRIES[user].split()]
    hidden = expected.count(False)
    url = reverse(name, args=[child.pk])
    if how == "api":
        response = Client().get(url, **bearer(users[user]))
    else:
        response = client_for(user).get(url)
    if not _reaches(table, user):
        assert response.status_code == 404, (user, name)
        return
    assert response.status_code == 200, (user, name)
    text = response.content.decode()
    assert "Reported missing overnight." in text, (user, name)
    assert [p in text for p in PLACEHOLDERS] == expected, (user, name)
    # The partners' own words never show here, to anyone.
    assert _readable(text) == [False, False], (user, name)
    if how == "page":
        if hidden:
            noun = "entry" if hidden == 1 else "entries"
            assert f"{hidden} {noun} hidden" in text, (user, name)
        else:
            assert 'id="hidden-entries"' not in text, (user, name)
        # Nor the type of a hidden entry (the only intelligence type here is the police's).
        assert ("intelligence about exploitation" in text.lower()) == expected[1], (user, name)
    else:
        body = response.json()
        if how == "api":
            assert body["hidden"] == hidden, (user, name)
            shown = body["items"]
        else:
            assert body["chronology_entries_hidden"] == hidden, (user, name)
            shown = body["chronology"]
        kinds = {e["event_type"]["code"] if how == "api" else e["type"] for e in shown}
        assert ("PARTNER_EXPLOITATION_INTELLIGENCE" in kinds) == expected[1], (user, name)
        assert ("PARTNER_DSL_WELFARE_CONCERN" in kinds) == expected[0], (user, name)
