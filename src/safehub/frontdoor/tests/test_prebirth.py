"""A pre-birth referral: an unborn baby, the date they are due and their mother, accepted by
the public form, the professional form and the API, and refused in plain English when the
due date cannot be right or the mother is not named."""

import html
import re
from datetime import date, timedelta
from typing import Any

import pytest
from conftest import TEST_TODAY
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from safehub.frontdoor import services
from safehub.frontdoor.models import Contact
from safehub.frontdoor.tests.factories import professional_submission, public_submission
from safehub.frontdoor.validation import clean_submission

pytestmark = pytest.mark.django_db

DUE = TEST_TODAY + timedelta(weeks=12)


def _unborn(**fields: Any) -> dict[str, Any]:
    return {"expected_date_of_birth": DUE.isoformat(), "postcode": "TE1 4AB", **fields}


def _mother(**fields: Any) -> dict[str, Any]:
    return {
        "given_name": "Dana",
        "family_name": "Hart",
        "relationship_to_child": "mother",
        **fields,
    }


def _errors(data: dict[str, Any], channel: str) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        clean_submission(data, channel=channel)
    return {k: v[0] for k, v in caught.value.message_dict.items()}


@pytest.mark.parametrize(
    ("channel", "factory"),
    [("public", public_submission), ("professional", professional_submission)],
)
def test_an_unborn_baby_with_a_due_date_and_the_mother_is_accepted(
    channel: str, factory: Any
) -> None:
    cleaned = clean_submission(factory(children=[_unborn()], adults=[_mother()]), channel=channel)
    child = cleaned["children"][0]
    assert child["expected_date_of_birth"] == DUE
    assert child["date_of_birth"] is None
    assert cleaned["adults"][0]["relationship_to_child"] == "mother"


def test_an_unborn_baby_needs_no_name() -> None:
    cleaned = clean_submission(
        public_submission(children=[_unborn()], adults=[_mother()]), channel="public"
    )
    assert cleaned["children"][0]["given_name"] == ""


@pytest.mark.parametrize(
    ("due", "message"),
    [
        (TEST_TODAY + timedelta(weeks=40, days=1), "within the next 40 weeks"),
        (TEST_TODAY - timedelta(weeks=2, days=1), "If the baby has been born"),
        ("2027-02-30", "must be a real date"),
    ],
)
def test_a_due_date_that_cannot_be_right_is_refused(due: Any, message: str) -> None:
    due_text = due if isinstance(due, str) else due.isoformat()
    errors = _errors(
        public_submission(children=[_unborn(expected_date_of_birth=due_text)], adults=[_mother()]),
        "public",
    )
    assert message in errors["child_0_expected_date_of_birth"]


@pytest.mark.parametrize(
    "due",
    [
        TEST_TODAY + timedelta(weeks=40),  # the furthest ahead a pregnancy runs
        TEST_TODAY - timedelta(weeks=2),  # overdue, not yet born
        TEST_TODAY,
    ],
)
def test_due_dates_at_the_edges_are_accepted(due: date) -> None:
    cleaned = clean_submission(
        public_submission(
            children=[_unborn(expected_date_of_birth=due.isoformat())], adults=[_mother()]
        ),
        channel="public",
    )
    assert cleaned["children"][0]["expected_date_of_birth"] == due


def test_a_baby_cannot_have_both_a_date_of_birth_and_a_due_date() -> None:
    errors = _errors(
        public_submission(children=[_unborn(date_of_birth="2026-11-01")], adults=[_mother()]),
        "public",
    )
    assert "not both" in errors["child_0_expected_date_of_birth"]


@pytest.mark.parametrize(
    ("adults", "where"),
    [
        ([], "adult_0_given_name"),
        (
            [{"given_name": "Sam", "family_name": "Hart", "relationship_to_child": "father"}],
            "adult_1_given_name",  # the next adult's name: where the mother can be added
        ),
        (
            [{"given_name": "", "family_name": "", "relationship_to_child": "mother"}],
            "adult_0_given_name",
        ),
    ],
)
def test_a_pre_birth_referral_must_name_the_mother(
    adults: list[dict[str, str]], where: str
) -> None:
    errors = _errors(professional_submission(children=[_unborn()], adults=adults), "professional")
    assert errors[where] == "Enter the name of the baby's mother"


def test_the_mother_may_be_named_in_words_by_older_clients() -> None:
    adults = [{"given_name": "Dana", "family_name": "Hart", "relationship": "Mum"}]
    cleaned = clean_submission(
        professional_submission(children=[_unborn()], adults=adults), channel="professional"
    )
    assert cleaned["adults"][0]["given_name"] == "Dana"


def test_the_contact_keeps_the_due_date_and_who_the_mother_is(users: Any) -> None:
    contact, _ = services.contact_submit(
        actor=None,
        channel="public",
        data=public_submission(children=[_unborn()], adults=[_mother()]),
    )
    baby, mother = contact.subjects.order_by("role")  # adult before child
    mother, baby = (mother, baby) if baby.role == "child" else (baby, mother)
    assert baby.expected_date_of_birth == DUE
    assert baby.is_unborn
    assert baby.full_name == "Unborn baby"
    assert mother.relationship_to_child == "mother"


# --- The public form ---------------------------------------------------------------------


def _text(response: Any) -> str:
    return html.unescape(response.content.decode()).replace("\xa0", " ")


@pytest.fixture
def public() -> Any:
    cache.clear()
    yield Client()
    cache.clear()


def _due_fields(due: date) -> dict[str, str]:
    return {
        "expected_date_of_birth-day": str(due.day),
        "expected_date_of_birth-month": str(due.month),
        "expected_date_of_birth-year": str(due.year),
    }


def test_the_public_form_asks_for_the_mother_of_an_unborn_baby_and_sends_it(
    public: Client,
) -> None:
    url = lambda name: reverse(f"report:{name}")  # noqa: E731
    response = public.post(url("child"), {"given_name": "", "family_name": "", **_due_fields(DUE)})
    assert response["Location"] == url("mother")
    refused = public.post(url("mother"), {"given_name": "", "family_name": ""})
    assert "Enter the name of the baby" in _text(refused)
    assert public.post(url("mother"), {"given_name": "Dana", "family_name": "Hart"})[
        "Location"
    ] == url("address")
    assert "Where does the baby’s mother live?" in _text(public.get(url("address")))
    for page, data in (
        ("address", {"address_line_1": "4 Mill Lane", "town": "Testford", "postcode": "te14ab"}),
        ("what-happened", {"concern_summary": "Dana told me she is using again and is due soon."}),
        ("danger", {"in_danger_now": "no"}),
        ("about-you", {"relationship": "acquaintance", "give_name": "no"}),
    ):
        assert public.post(url(page), data).status_code == 302, page
    check = _text(public.get(url("check")))
    assert f"Not born yet: due {DUE.day} {DUE:%B %Y}" in check
    assert "Dana Hart" in check
    found = re.search(r'name="token" value="([^"]+)"', check)
    assert found is not None
    token = found.group(1)
    public.post(url("submit"), {"token": token})
    contact = Contact.objects.get()
    baby = contact.subjects.get(role="child")
    mother = contact.subjects.get(role="adult")
    assert (baby.expected_date_of_birth, baby.postcode) == (DUE, "TE1 4AB")
    assert (mother.full_name, mother.relationship_to_child) == ("Dana Hart", "mother")


def test_a_born_child_is_not_asked_about_a_mother_and_none_is_sent(public: Client) -> None:
    url = lambda name: reverse(f"report:{name}")  # noqa: E731
    public.post(url("child"), {"given_name": "Amelia", **_due_fields(DUE)})
    public.post(url("mother"), {"given_name": "Dana", "family_name": "Hart"})
    # The referrer corrects themselves: the child has been born.
    response = public.post(
        url("child"),
        {
            "given_name": "Amelia",
            "date_of_birth-day": "3",
            "date_of_birth-month": "4",
            "date_of_birth-year": "2015",
        },
    )
    assert response["Location"] == url("address")
    assert public.session["public_report"]["answers"]["adults"] == []


def test_the_public_form_refuses_a_due_date_too_far_ahead(public: Client) -> None:
    response = public.post(reverse("report:child"), _due_fields(TEST_TODAY + timedelta(weeks=41)))
    assert response.status_code == 200
    assert "The date the baby is due must be within the next 40 weeks" in _text(response)


# --- The professional form and the API -----------------------------------------------------


def _referral_form(**changes: str) -> dict[str, Any]:
    from safehub.core.once import new_token

    data = {
        "idempotency_key": new_token(),
        "referral_source": "3B",
        "urgency": "routine",
        "concern_factors": ["2B"],
        "concern_summary": "Mother disclosed heroin use at the 20-week scan.",
        "family_aware": "yes",
        "consent": "given",
        **_prefixed("child_0_", _due_fields(DUE)),
        "child_0_postcode": "TE1 4AB",
        "adult_0_given_name": "Dana",
        "adult_0_family_name": "Hart",
        "adult_0_relationship_to_child": "mother",
    }
    data.update(changes)
    return data


def _prefixed(prefix: str, fields: dict[str, str]) -> dict[str, str]:
    return {prefix + k: v for k, v in fields.items()}


def test_a_professional_makes_a_pre_birth_referral(users: Any, client_for: Any) -> None:
    client = client_for("partner_practitioner")
    response = client.post(reverse("frontdoor:referral-create"), _referral_form())
    assert response.status_code == 302, _text(response)[:3000]
    baby = Contact.objects.get().subjects.get(role="child")
    assert baby.expected_date_of_birth == DUE
    assert baby.date_of_birth is None


def test_the_professional_form_says_when_the_mother_is_missing(users: Any, client_for: Any) -> None:
    client = client_for("partner_practitioner")
    response = client.post(
        reverse("frontdoor:referral-create"), _referral_form(adult_0_relationship_to_child="")
    )
    assert response.status_code == 200
    assert "Enter the name of the baby's mother" in _text(response)
    assert not Contact.objects.exists()


def test_the_api_accepts_a_pre_birth_referral(users: Any) -> None:
    from safehub.access.services import api_token_create

    raw = api_token_create(
        actor=users["partner_practitioner"], user=users["partner_practitioner"], name="feed"
    )
    payload = professional_submission(children=[_unborn()], adults=[_mother()])
    payload.pop("referrer")
    response = Client().post(
        "/api/v1/contacts",
        payload,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 201, response.content
    baby = Contact.objects.get().subjects.get(role="child")
    assert baby.expected_date_of_birth == DUE
    too_far = professional_submission(
        children=[_unborn(expected_date_of_birth=(TEST_TODAY + timedelta(weeks=41)).isoformat())],
        adults=[_mother()],
    )
    too_far.pop("referrer")
    refused = Client().post(
        "/api/v1/contacts",
        too_far,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert refused.status_code == 422
    assert "within the next 40 weeks" in refused.content.decode()


def test_unborn_babies_cost_the_queue_no_query_each(users: Any, client_for: Any) -> None:
    """The queue names an unnamed baby "Unborn baby" from its due date, read with the rest
    of the child's row: three such contacts take no more queries than one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queue_queries() -> int:
        client = client_for("mash_worker")
        client.get(reverse("frontdoor:contact-queue"))  # the session's first write, once
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(reverse("frontdoor:contact-queue"))
        assert "Unborn baby" in page.content.decode()
        return len(ctx.captured_queries)

    def refer() -> None:
        services.contact_submit(
            actor=None,
            channel="public",
            data=public_submission(children=[_unborn()], adults=[_mother()]),
        )

    refer()
    one = queue_queries()
    refer()
    refer()
    assert queue_queries() == one
