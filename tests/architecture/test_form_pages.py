"""Every form page, sent empty and then with every box far too long: the error summary
links each message to a field that is on the page, lists them in the order the page shows
the fields, and uses no Django wording.

Pages are opened as someone allowed to use them (the team manager may record every kind of
casework), the form is read from the page and sent back as a browser would send it."""

from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.access_matrix.test_casework_matrix import (
    MANAGER_ROUTES,
    RECORD_ROUTES,
    _url,
    history,  # noqa: F401 - the fixture the casework pages need
)
from tests.architecture.test_form_errors import DJANGO_WORDING

SKIP_FORMS = ("/sign-out/", "/session/extend/")


class Page(HTMLParser):
    """What the tests need from a page: the ids in document order, the error summary's
    links and messages, and the first form in <main> (its inputs, as a browser sends them)."""

    def __init__(self, html: str, action: str = "") -> None:
        super().__init__(convert_charrefs=True)
        self.action = action  # the form sent to this address, where a page has several
        self.ids: list[str] = []
        self.summary: list[tuple[str | None, str]] = []
        self.inline: list[str] = []
        self.fields: list[tuple[str, str, str]] = []  # (tag or input type, name, value)
        self._in_main = self._in_summary = self._in_inline = False
        self._form = 0  # 0 before, 1 inside, 2 after the form
        self._link: str | None = None
        self._text: list[str] = []
        self._item = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.append(a["id"])
        classes = a.get("class", "").split()
        if tag == "main":
            self._in_main = True
        if "govuk-error-summary__list" in classes:
            self._in_summary = True
        if "govuk-error-message" in classes:
            self._in_inline, self._text = True, []
        if self._in_summary and tag == "li":
            self._item, self._link, self._text = True, None, []
        if self._in_summary and tag == "a":
            self._link = a.get("href")
        if tag == "form" and self._in_main and self._form == 0:
            action = a.get("action", "")
            path = action.split("#")[0]  # the contact page's actions name their section
            wanted = path.endswith(self.action) if self.action else True
            if a.get("method", "get").lower() == "post" and not action.endswith(SKIP_FORMS):
                self._form = 1 if wanted else 0
        if self._form == 1 and tag in ("input", "textarea", "select"):
            kind = a.get("type", "text") if tag == "input" else tag
            checked = "checked" in a or kind not in ("radio", "checkbox")
            self.fields.append((kind, a.get("name", ""), a.get("value", "") if checked else ""))

    def handle_endtag(self, tag: str) -> None:
        if self._in_summary and tag == "li" and self._item:
            self.summary.append((self._link, " ".join("".join(self._text).split())))
            self._item = False
        if self._in_summary and tag == "ul":
            self._in_summary = False
        if self._in_inline and tag == "p":
            self.inline.append(" ".join("".join(self._text).split()))
            self._in_inline = False
        if tag == "form" and self._form == 1:
            self._form = 2

    def handle_data(self, data: str) -> None:
        if self._item or self._in_inline:
            self._text.append(data)


def _as_sent(page: Page, fill: str | None) -> dict[str, Any]:
    """The form as a browser sends it untouched (hidden values only), or with every box
    filled with `fill`."""
    data: dict[str, Any] = {}
    for kind, name, value in page.fields:
        if not name:
            continue
        if kind == "hidden":
            data[name] = value
        elif fill is not None and kind in ("text", "textarea", "email", "tel", "password"):
            # One line of text is over every limit at 5,000 characters; a whole form of
            # 21,000-character lines would pass the request size limit (413) instead.
            data[name] = fill if kind == "textarea" else fill[:5_000]
    return data


def _judge(page: Page, where: str) -> None:
    assert page.summary, f"{where}: no error summary"
    position = {id_: i for i, id_ in enumerate(page.ids)}
    linked = [(href, text) for href, text in page.summary if href]
    for href, text in linked:
        assert href.startswith("#"), (where, href, text)
        assert href[1:] in position, (where, "links to nothing on the page", href, text)
    order = [position[href[1:]] for href, _ in linked]
    assert order == sorted(order), (where, "summary not in page order", page.summary)
    for _href, text in page.summary:
        assert not any(f in text for f in DJANGO_WORDING), (where, text)
        assert "age box" not in text, (where, text)


def _walk(client: Client, url: str, action: str = "") -> None:
    """Open `url`, send its form (the one sent to `action`, if given) empty and too long."""
    page = Page(client.get(url).content.decode(), action)
    assert page.fields, f"{url}: no form found"
    for fill in (None, "x" * 21_000):
        response = client.post(action or url, _as_sent(page, fill), HTTP_REFERER=url)
        if fill is None and response.status_code == 302:
            continue  # every question on the page is optional
        assert response.status_code == 200, (url, fill and "too long", response.status_code)
        _judge(Page(response.content.decode()), f"{url} {'too long' if fill else 'empty'}")


CASEWORK_FORMS = sorted(RECORD_ROUTES | MANAGER_ROUTES | {"conference-initial"})


@pytest.mark.parametrize("name", CASEWORK_FORMS)
def test_casework_form_errors_are_in_page_order_and_name_real_fields(
    name: str,
    history: Any,  # noqa: F811 - the fixture imported above
    client_for: Any,
) -> None:
    _walk(client_for("team_manager"), _url(name, history))


@pytest.mark.parametrize(
    ("role", "url_name", "kind"),
    [
        ("mash_worker", "people:person-create", None),
        ("social_worker", "people:person-edit", "involved"),
        ("social_worker", "people:person-name-add", "involved"),
        ("social_worker", "people:person-move", "involved"),
        ("social_worker", "people:relationship-add", "involved"),
        ("system_administrator", "organisations:user-create", None),
        ("partner_practitioner", "frontdoor:referral-create", None),
        ("mash_worker", "frontdoor:phone-contact", None),
    ],
)
def test_page_form_errors_are_in_page_order_and_name_real_fields(
    role: str, url_name: str, kind: str | None, people: Any, client_for: Any
) -> None:
    url = reverse(url_name, args=[people[kind].pk] if kind else None)
    _walk(client_for(role), url)


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["child", "address", "what-happened", "about-you"])
def test_public_form_errors_are_in_page_order(page: str) -> None:
    client = Client()
    client.get(reverse("report:start"))
    _walk(client, reverse(f"report:{page}"))


@pytest.mark.parametrize("action", ["rate", "request", "consent", "decide"])
def test_contact_page_form_errors_are_in_page_order_and_name_real_fields(
    action: str, users: Any, client_for: Any
) -> None:
    from safehub.frontdoor import services
    from safehub.frontdoor.tests.factories import public_submission

    contact, _ = services.contact_submit(actor=None, channel="public", data=public_submission())
    client = client_for("mash_worker")
    client.post(reverse("frontdoor:contact-take", args=[contact.reference]))
    url = reverse("frontdoor:contact-detail", args=[contact.reference])
    _walk(client, url, reverse(f"frontdoor:contact-{action}", args=[contact.reference]))


@pytest.mark.parametrize("form", ["find", "send-back", "new-person"])
def test_partner_event_form_errors_are_in_page_order_and_name_real_fields(
    form: str, users: Any, people: Any, client_for: Any
) -> None:
    from safehub.partners.models import PartnerEvent
    from safehub.partners.services import partner_events_receive
    from safehub.partners.tests.conftest import event

    partner_events_receive(
        actor=users["partner_practitioner"], events=[event(nhs_number="9000000009")]
    )
    pk = PartnerEvent.objects.get().pk
    detail = reverse("partners:event-detail", args=[pk])
    if form == "new-person":
        _walk(client_for("mash_worker"), reverse("partners:event-new-person", args=[pk]))
    elif form == "send-back":
        _walk(client_for("mash_worker"), detail, reverse("partners:event-send-back", args=[pk]))
    else:
        _walk(client_for("mash_worker"), detail, detail)
