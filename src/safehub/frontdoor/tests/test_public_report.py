"""The public "report a worry about a child" form, through its pages as a browser without
JavaScript uses them: anonymous Django test clients, no account."""

import html
import logging
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from safehub.frontdoor import services, views_public
from safehub.frontdoor.models import Contact
from safehub.frontdoor.tests.factories import public_submission
from safehub.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

CHILD = {
    "given_name": "Amelia",
    "family_name": "Hart",
    "date_of_birth-day": "3",
    "date_of_birth-month": "4",
    "date_of_birth-year": "2015",
    "age_description": "",
}
ADDRESS = {"address_line_1": "4 Mill Lane", "town": "Testford", "postcode": "te14ab"}
WHAT = {"concern_summary": "I heard shouting and a child crying late every night this week."}
NOT_IN_DANGER = {"in_danger_now": "no"}
ABOUT = {"relationship": "acquaintance", "give_name": "yes"}
ANONYMOUS = {"relationship": "acquaintance", "give_name": "no"}
NAME = {"name": "Pat Neighbour"}
CONTACT = {"wants_contact": "yes"}
DETAILS = {"email": "pat@example.com", "phone": ""}
ANSWERS = {
    "child": CHILD,
    "address": ADDRESS,
    "what-happened": WHAT,
    "danger": NOT_IN_DANGER,
    "about-you": ABOUT,
    "your-name": NAME,
    "contact": CONTACT,
    "contact-details": DETAILS,
}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def page_url(name: str) -> str:
    return reverse(f"report:{name}")


def text_of(response: Any) -> str:
    # Phone numbers are written with non-breaking spaces.
    return html.unescape(response.content.decode()).replace("\xa0", " ")


def answer_all(client: Client, **changes: dict[str, str]) -> Client:
    """Answer every question page in order; `changes` replaces a page's answers."""
    answers = {**ANSWERS, **changes}
    for page, data in answers.items():
        if answers["about-you"]["give_name"] == "no" and page in (
            "your-name",
            "contact",
            "contact-details",
        ):
            continue  # someone anonymous is not asked
        if answers["contact"]["wants_contact"] == "no" and page == "contact-details":
            continue
        response = client.post(page_url(page), data)
        assert response.status_code == 302, (page, text_of(response)[:2000])
    return client


def check_token(client: Client) -> str:
    response = client.get(page_url("check"))
    assert response.status_code == 200, response.get("Location")
    found = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert found is not None, "the check page has no form token"
    return found.group(1)


def send(client: Client, token: str, **extra: str) -> Any:
    return client.post(page_url("submit"), {"token": token, **extra})


def report(client: Client | None = None, /, **changes: dict[str, str]) -> tuple[Client, Any]:
    client = answer_all(client or Client(), **changes)
    response = send(client, check_token(client))
    assert response.status_code == 302
    assert response["Location"] == page_url("sent")
    return client, response


# --- The start page ----------------------------------------------------------------------


def test_start_page_is_public_and_gives_the_emergency_and_mash_numbers() -> None:
    response = Client().get("/report/")
    assert response.status_code == 200
    text = text_of(response)
    assert "Report a worry about a child" in text
    assert "If a child is in danger right now, call 999" in text
    assert "01632 960 000" in text
    assert "01632 960 999" in text
    assert f'href="{page_url("child")}"' in text


# --- Each page refuses what it must, in plain English, and keeps nothing -------------------

HOSTILE = [
    (
        "child",
        {"given_name": "", "family_name": "", "age_description": ""},
        "given_name",
        "Enter the child's name, or if you do not know it, say roughly how old they are",
    ),
    (
        "child",
        {**CHILD, "date_of_birth-year": "2999"},
        "date_of_birth-day",
        "The child's date of birth must be today or in the past",
    ),
    (
        "child",
        {**CHILD, "date_of_birth-year": "1990"},
        "date_of_birth-day",
        "This form is for children under 18",
    ),
    (
        "child",
        {**CHILD, "date_of_birth-day": "31", "date_of_birth-month": "2"},
        "date_of_birth-day",
        "The child's date of birth must be a real date",
    ),
    (
        "child",
        {**CHILD, "date_of_birth-month": ""},
        "date_of_birth-day",
        "The child's date of birth must include a day, month and year",
    ),
    (
        "child",
        {**CHILD, "given_name": '=HYPERLINK("http://evil.example","Amelia")'},
        "given_name",
        "The child's first name must only include letters, spaces, hyphens",
    ),
    (
        "child",
        {**CHILD, "family_name": "Hart\ufffd"},
        "family_name",
        "The child's last name must only include letters",
    ),
    ("child", {**CHILD, "given_name": "A" * 101}, "given_name", "100 characters or fewer"),
    (
        "child",
        {**CHILD, "age_description": "about " + "9" * 60},
        "age_description",
        "Child's age must be 60 characters or fewer",
    ),
    (
        "address",
        {**ADDRESS, "postcode": "NOT A POSTCODE"},
        "postcode",
        "Enter a full UK postcode, like SW1A 1AA",
    ),
    (
        "address",
        {**ADDRESS, "address_line_1": "4 Mill\x00Lane"},
        "address_line_1",
        "Building and street contains characters that are not allowed",
    ),
    ("address", {**ADDRESS, "town": "=1+1"}, "town", "Town or city must not start with"),
    (
        "what-happened",
        {"concern_summary": "<script>alert(1)</script>"},
        "concern_summary",
        "must not include web code such as <script>. Describe it in your own words",
    ),
    (
        "what-happened",
        {"concern_summary": "<img src=x onerror=alert(1)>"},
        "concern_summary",
        "must not include web code",
    ),
    (
        "what-happened",
        {"concern_summary": '=HYPERLINK("http://evil.example")'},
        "concern_summary",
        "must not start with =, + or @",
    ),
    (
        "what-happened",
        {"concern_summary": "I saw \ufffd\ufffd at the house"},
        "concern_summary",
        "contains characters we could not read. Type it again",
    ),
    (
        "what-happened",
        {"concern_summary": "x" * 5001},
        "concern_summary",
        "must be 5,000 characters or fewer",
    ),
    (
        "what-happened",
        {"concern_summary": "   "},
        "concern_summary",
        "Enter what happened and why you are worried",
    ),
    ("danger", {}, "in_danger_now", "Select yes if the child is in danger right now"),
    (
        "danger",
        {"in_danger_now": "maybe"},
        "in_danger_now",
        "Select yes if the child is in danger right now",
    ),
    (
        "about-you",
        {"give_name": "yes", "name": "Pat"},
        "relationship",
        "Select how you know the child",
    ),
    (
        "about-you",
        {"relationship": "family"},
        "give_name",
        "Select yes if you want to tell us your name",
    ),
    ("your-name", {"name": ""}, "name", "Enter your name"),
    ("your-name", {"name": "@SUM(A1)"}, "name", "Your name must not start with"),
    ("your-name", {"name": "<b>Pat</b>"}, "name", "Your name must not include web code"),
    ("contact", {}, "wants_contact", "Select yes if you want us to contact you"),
    (
        "contact-details",
        {"email": "", "phone": ""},
        "email",
        "Enter an email address or a phone number so we can reply",
    ),
    (
        "contact-details",
        {"email": "pat@@example", "phone": ""},
        "email",
        "Enter an email address in the correct format, like name@example.com",
    ),
    (
        "contact-details",
        {"email": "", "phone": "ring me"},
        "phone",
        "Enter a phone number, like 01632 960 001 or 07700 900 982",
    ),
    (
        "contact-details",
        {"email": "pat@example.com", "phone": "0" * 31},
        "phone",
        "Your phone number must be 30 characters or fewer",
    ),
]


@pytest.mark.parametrize(("page", "data", "field", "message"), HOSTILE)
def test_each_page_refuses_bad_or_hostile_answers_in_plain_english(
    page: str, data: dict[str, str], field: str, message: str
) -> None:
    client = Client()
    if page == "contact-details":  # asked only of someone who wants to be contacted
        client.post(page_url("contact"), CONTACT)
    response = client.post(page_url(page), data)
    assert response.status_code == 200
    text = text_of(response)
    assert "<title>Error: " in text
    summary = text.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert message in summary
    assert f'href="#id_{field}"' in summary  # the summary links to the box to fix
    assert "<script>alert" not in response.content.decode()  # shown as text, never run
    assert page not in client.session.get("public_report", {}).get("answered", [])
    assert not Contact.objects.exists()


def test_text_that_arrives_in_a_broken_encoding_is_refused() -> None:
    # Bytes that are not UTF-8 reach Django as U+FFFD.
    response = Client().post(
        page_url("what-happened"),
        b"concern_summary=He%FF%FEsaid",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "contains characters we could not read" in text_of(response)


def test_an_oversized_request_gets_the_plain_english_413_page() -> None:
    client = Client()
    response = client.post(page_url("what-happened"), {"concern_summary": "x" * (1024 * 1024 + 1)})
    assert response.status_code == 413
    assert "Too much to send at once" in text_of(response)
    assert "public_report" not in client.session


def test_answers_given_are_shown_again_when_going_back() -> None:
    client = Client()
    client.post(page_url("child"), CHILD)
    response = client.get(page_url("child"))
    text = text_of(response)
    assert 'value="Amelia"' in text
    assert 'value="2015"' in text
    assert "There is a problem" not in text
    assert f'href="{page_url("start")}"' in text  # the back link


# --- In danger now ----------------------------------------------------------------------


def test_the_danger_question_shows_the_numbers_and_yes_leads_to_call_999() -> None:
    client = answer_all(Client(), danger=NOT_IN_DANGER)
    page = text_of(client.get(page_url("danger")))
    warning = page.split('class="govuk-warning-text"')[1].split("</div>")[0]
    for words in ("call 999", "01632 960 000", "01632 960 999"):
        assert words in warning

    response = client.post(page_url("danger"), {"in_danger_now": "yes"})
    assert response["Location"] == page_url("call-999")
    call_999 = text_of(client.get(response["Location"]))
    assert "Call 999 now" in call_999
    assert f'href="{page_url("about-you")}"' in call_999  # continue the report
    report(client, danger={"in_danger_now": "yes"})
    assert Contact.objects.get().urgency == "immediate"


# --- Check answers ----------------------------------------------------------------------


def test_check_answers_shows_every_answer_tidied() -> None:
    client = answer_all(Client())
    text = text_of(client.get(page_url("check")))
    for shown in (
        "Amelia Hart",
        "3 April 2015",
        "4 Mill Lane",
        "TE1 4AB",
        WHAT["concern_summary"],
        "I am a neighbour, friend or childminder",
        "Pat Neighbour",
        "pat@example.com",
    ):
        assert shown in text, shown


@pytest.mark.parametrize(
    ("page", "data", "shown"),
    [
        ("child", {**CHILD, "given_name": "Amelie"}, "Amelie Hart"),
        ("address", {**ADDRESS, "town": "Newtown"}, "Newtown"),
        (
            "what-happened",
            {"concern_summary": "She told me she is scared to go home."},
            "She told me she is scared to go home.",
        ),
        ("about-you", {**ABOUT, "relationship": "family"}, "I am a parent, relative or carer"),
        ("your-name", {"name": "Pat Smith"}, "Pat Smith"),
        ("contact-details", {**DETAILS, "phone": "07700 900 982"}, "07700 900 982"),
    ],
)
def test_change_links_return_to_check_answers(page: str, data: dict[str, str], shown: str) -> None:
    client = answer_all(Client())
    change = f"{page_url(page)}?return=check"
    assert f'href="{change}"' in text_of(client.get(page_url("check")))
    form = text_of(client.get(change))
    assert f'href="{page_url("check")}"' in form  # back goes to check answers too
    response = client.post(change, data)
    assert response["Location"] == page_url("check")
    assert shown in text_of(client.get(page_url("check")))


def test_changing_to_in_danger_goes_through_call_999_back_to_check_answers() -> None:
    client = answer_all(Client())
    response = client.post(f"{page_url('danger')}?return=check", {"in_danger_now": "yes"})
    assert response["Location"] == f"{page_url('call-999')}?return=check"
    assert f'href="{page_url("check")}"' in text_of(client.get(response["Location"]))


def test_someone_anonymous_is_not_asked_their_name_or_how_to_contact_them() -> None:
    client = answer_all(Client())
    response = client.post(f"{page_url('about-you')}?return=check", ANONYMOUS)
    assert response["Location"] == page_url("check")
    text = text_of(client.get(page_url("check")))
    assert "You chose to stay anonymous" in text
    assert "pat@example.com" not in text
    assert "Pat Neighbour" not in text
    assert f"{page_url('contact')}?return=check" not in text
    referrer = client.session["public_report"]["answers"]["referrer"]
    assert (referrer["name"], referrer["email"], referrer["wants_contact"]) == ("", "", False)
    # Giving a name again asks for it, and the contact questions, again.
    client.post(f"{page_url('about-you')}?return=check", ABOUT)
    assert client.get(page_url("check"))["Location"] == page_url("your-name")
    client.post(page_url("your-name"), NAME)
    assert client.get(page_url("check"))["Location"] == page_url("contact")


def test_check_answers_sends_you_to_the_first_question_not_answered() -> None:
    assert Client().get(page_url("check"))["Location"] == page_url("start")
    client = Client()
    client.post(page_url("child"), CHILD)
    client.post(page_url("what-happened"), WHAT)
    assert client.get(page_url("check"))["Location"] == page_url("address")


def test_not_wanting_to_be_contacted_forgets_the_contact_details() -> None:
    client = answer_all(Client())
    response = client.post(f"{page_url('contact')}?return=check", {"wants_contact": "no"})
    assert response["Location"] == page_url("check")
    answers = client.session["public_report"]["answers"]
    assert answers["referrer"] == {
        "relationship": "I am a neighbour, friend or childminder",
        "anonymous": False,
        "name": "Pat Neighbour",
        "wants_contact": False,
        "email": "",
        "phone": "",
    }
    assert "pat@example.com" not in text_of(client.get(page_url("check")))
    # Contact details sent to the page out of turn are not kept either.
    client.post(page_url("contact-details"), DETAILS)
    assert client.session["public_report"]["answers"]["referrer"]["email"] == ""


def test_the_answers_are_kept_in_the_shape_every_channel_submits() -> None:
    answers = answer_all(Client()).session["public_report"]["answers"]
    expected = public_submission()
    assert set(answers) == set(expected)
    assert set(expected["children"][0]) <= set(answers["children"][0])
    assert set(expected["referrer"]) <= set(answers["referrer"])


# --- Sending ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("about", "source", "acknowledgements"),
    [
        ({**ABOUT, "relationship": "family"}, "1A", 1),
        ({**ABOUT, "relationship": "acquaintance"}, "1B", 1),
        ({**ABOUT, "relationship": "self"}, "1C", 1),
        ({**ABOUT, "relationship": "other"}, "1D", 1),
        (ANONYMOUS, "9", 0),
    ],
)
def test_sending_makes_one_contact_with_its_referral_source(
    about: dict[str, str], source: str, acknowledgements: int
) -> None:
    client, response = report(**{"about-you": about})
    contact = Contact.objects.get()
    assert contact.channel == "public"
    assert contact.referral_source == source
    assert contact.subjects.get().postcode == "TE1 4AB"
    assert contact.concern_summary == WHAT["concern_summary"]
    assert OutboxMessage.objects.count() == acknowledgements
    if source == "9":
        assert (contact.referrer_name, contact.referrer_email) == ("", "")
    page = text_of(client.get(response["Location"]))
    assert "Report sent" in page
    assert contact.reference in page
    # Only the reference is left in the session.
    assert client.session["public_report"]["sent"]["reference"] == contact.reference
    assert set(client.session["public_report"]) == {"sent"}


def test_a_hundred_posts_of_the_same_token_send_one_report() -> None:
    client = answer_all(Client())
    token = check_token(client)
    for _ in range(100):
        response = send(client, token)
        assert response.status_code == 302
        assert response["Location"] == page_url("sent")
    contact = Contact.objects.get()
    assert OutboxMessage.objects.count() == 1
    assert contact.reference in text_of(client.get(page_url("sent")))


def test_a_second_send_that_started_before_the_first_finished_gets_the_same_report() -> None:
    # A double click whose second request read the session before the first one saved it:
    # the service's idempotency key, not the session, keeps it to one report.
    client = answer_all(Client())
    token = check_token(client)
    before = client.session["public_report"]
    send(client, token)
    session = client.session
    session["public_report"] = before
    session.save()
    assert send(client, token)["Location"] == page_url("sent")
    contact = Contact.objects.get()
    assert OutboxMessage.objects.count() == 1
    assert contact.reference in text_of(client.get(page_url("sent")))


def test_answers_that_stop_passing_before_sending_go_back_to_their_page() -> None:
    # The child turned 18 between checking the answers and sending them.
    client = answer_all(Client())
    token = check_token(client)
    session = client.session
    session["public_report"]["answers"]["children"][0]["date_of_birth"] = "2000-01-01"
    session.save()
    assert send(client, token)["Location"] == page_url("check")
    assert client.get(page_url("check"))["Location"] == page_url("child")
    assert "This form is for children under 18" in text_of(client.get(page_url("child")))
    assert not Contact.objects.exists()


def test_a_report_already_sent_with_other_answers_is_not_replaced() -> None:
    # Only after a failure between saving and confirming can this session's token already
    # hold a report; if the answers changed since, the person is asked to send them again.
    client = answer_all(Client())
    token = check_token(client)
    first, _ = services.contact_submit(
        actor=None, channel="public", data=public_submission(), idempotency_key=f"public:{token}"
    )
    assert send(client, token)["Location"] == page_url("check")
    page = text_of(client.get(page_url("check")))
    assert "Your report reached us before" in page
    response = send(client, check_token(client))  # a new token
    assert response["Location"] == page_url("sent")
    assert Contact.objects.count() == 2
    assert first.reference not in text_of(client.get(page_url("sent")))


def test_the_pages_are_never_cached() -> None:
    client = answer_all(Client())
    for name in ("start", "child", "check"):
        assert "no-store" in client.get(page_url(name))["Cache-Control"], name


def test_get_of_the_send_address_sends_nothing() -> None:
    client = answer_all(Client())
    token = check_token(client)
    response = client.get(page_url("submit"), {"token": token})
    assert response["Location"] == page_url("check")
    assert not Contact.objects.exists()


def test_a_token_this_session_was_not_given_sends_nothing() -> None:
    client = answer_all(Client())
    check_token(client)
    response = send(client, "made-up-token")
    assert response["Location"] == page_url("check")
    other = answer_all(Client())
    assert send(other, check_token(client))["Location"] == page_url("check")
    assert not Contact.objects.exists()


def test_the_confirmation_shows_only_this_sessions_reference() -> None:
    first, _ = report()
    second, _ = report()
    one, two = Contact.objects.order_by("pk")
    first_page = text_of(first.get(page_url("sent")))
    second_page = text_of(second.get(page_url("sent")))
    assert one.reference in first_page
    assert two.reference not in first_page
    assert two.reference in second_page
    assert one.reference not in second_page
    stranger = Client()
    assert stranger.get(page_url("sent"))["Location"] == page_url("start")


@pytest.mark.parametrize("where", ["question page", "check answers"])
def test_a_filled_in_trap_field_looks_accepted_but_saves_nothing(
    where: str, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client()
    if where == "question page":
        client.post(page_url("child"), {**CHILD, "website": "http://spam.example"})
    answer_all(client)
    token = check_token(client)
    extra = {"website": "http://spam.example"} if where == "check answers" else {}
    with caplog.at_level(logging.WARNING, logger="safehub.frontdoor.views_public"):
        response = send(client, token, **extra)
    assert response["Location"] == page_url("sent")
    page = text_of(client.get(page_url("sent")))
    assert "Report sent" in page
    assert "reference number" not in page
    assert not Contact.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert "trap field" in caplog.text


def test_the_trap_field_is_hidden_from_everyone() -> None:
    page = Client().get(page_url("child")).content.decode()
    trap = page.split('<div class="sh-trap">')[1].split("</div>")[0]
    for attribute in ('name="website"', 'tabindex="-1"', 'autocomplete="off"', "Leave this blank"):
        assert attribute in trap


# --- Rate limits ------------------------------------------------------------------------


def test_too_many_page_posts_from_one_address_get_the_429_page(
    settings: Any, still_clock: Any
) -> None:
    settings.PUBLIC_REPORT_PAGE_RATE = "3/h"
    client = Client()
    for _ in range(3):
        assert client.post(page_url("child"), CHILD).status_code == 302
    response = client.post(page_url("child"), CHILD)
    assert response.status_code == 429
    assert "Too many attempts" in text_of(response)
    assert client.get(page_url("child")).status_code == 200  # reading is not limited


def test_too_many_reports_from_one_address_get_the_429_page(
    settings: Any, still_clock: Any
) -> None:
    settings.PUBLIC_REPORT_RATE = "2/h"
    client, _ = report()
    sent_token = client.session["public_report"]["sent"]["token"]
    report(client)
    for _ in range(5):  # retries of a report already sent are not counted
        send(client, sent_token)
    answer_all(client)
    response = send(client, check_token(client))
    assert response.status_code == 429
    assert "Nothing you sent in this last request was saved" in text_of(response)
    assert Contact.objects.count() == 2


# --- Durability -------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_failure_after_saving_cannot_lose_the_report(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(request: Any, contact: Any) -> None:
        raise RuntimeError("the session store went away")

    client = answer_all(Client(raise_request_exception=False))
    token = check_token(client)
    monkeypatch.setattr(views_public, "_remember_submission", broken)
    assert send(client, token).status_code == 500
    contact = Contact.objects.get()  # committed, whatever happened next
    assert OutboxMessage.objects.count() == 1

    monkeypatch.undo()
    response = send(client, token)  # the person tries again
    assert response["Location"] == page_url("sent")
    assert contact.reference in text_of(client.get(page_url("sent")))
    assert Contact.objects.count() == 1
    assert OutboxMessage.objects.count() == 1
