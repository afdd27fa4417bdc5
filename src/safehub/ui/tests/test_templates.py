"""The Jinja2 UI layer rendered for real through Django's configured engine: the page layout,
the form macros, the MoJ macros, the date filters and the error pages."""

import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.template import engines
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import include, path, reverse
from markupsafe import Markup

from safehub.organisations.models import User
from safehub.ui import views

DASH = "\N{EN DASH}"  # GOV.UK titles: "Page – Service"

# Only the service pages, so these tests need nothing from the case-data apps.
urlpatterns = [
    path("", include("safehub.access.urls_service")),
    path("inbox/", include("safehub.notifications.urls")),
]


def render(source: str, **context: object) -> str:
    return engines["jinja2"].from_string(source).render(context)


def squash(html: str) -> str:
    """Markup with the whitespace between and inside tags collapsed, for exact comparisons."""
    html = re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html))
    return html.replace("> ", ">").replace(" <", "<").strip()


@pytest.fixture
def anonymous_request():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    return request


# --- Engine, globals and filters -----------------------------------------------------------


def test_engine_escapes_and_loads_govuk_frontend_macros():
    html = render(
        '{% from "govuk_frontend_jinja/components/button/macro.html" import govukButton %}'
        "{{ govukButton({'text': 'Save'}) }}{{ name }}",
        name="<script>alert(1)</script>",
    )
    assert 'class="govuk-button"' in html
    assert "Save" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html


def test_static_and_url_globals():
    assert render("{{ static('safehub.css') }}") == "/static/safehub.css"


@pytest.mark.urls(__name__)
def test_url_global_reverses_named_routes():
    assert render("{{ url('ui:sign-out') }}") == reverse("ui:sign-out")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2024, 3, 3), "3 March 2024"),
        (date(2025, 12, 25), "25 December 2025"),
        # 23:30 UTC on 31 March is already 1 April in British Summer Time.
        (datetime(2024, 3, 31, 23, 30, tzinfo=UTC), "1 April 2024"),
        ("2026-11-09", "9 November 2026"),  # a date kept as text in JSON
        (None, ""),
    ],
)
def test_govuk_date(value, expected):
    assert render("{{ value | govuk_date }}", value=value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2024, 3, 3, 14, 5, tzinfo=UTC), "3 March 2024 at 2:05pm"),  # GMT
        (datetime(2024, 7, 1, 13, 5, tzinfo=UTC), "1 July 2024 at 2:05pm"),  # BST
        (datetime(2024, 1, 9, 10, 0, tzinfo=UTC), "9 January 2024 at 10am"),
        (datetime(2024, 1, 9, 12, 0, tzinfo=UTC), "9 January 2024 at midday"),
        (datetime(2024, 1, 9, 0, 0, tzinfo=UTC), "9 January 2024 at midnight"),
        (datetime(2024, 1, 9, 0, 30, tzinfo=UTC), "9 January 2024 at 12:30am"),
        (date(2024, 1, 9), "9 January 2024"),
        (None, ""),
    ],
)
def test_govuk_datetime_in_uk_time(value, expected):
    assert render("{{ value | govuk_datetime }}", value=value) == expected


@pytest.mark.parametrize(
    ("born", "on", "expected"),
    [
        (date(2010, 3, 4), date(2024, 3, 3), "13"),
        (date(2010, 3, 4), date(2024, 3, 4), "14"),
        (date(2012, 2, 29), date(2023, 2, 28), "10"),
        (date(2012, 2, 29), date(2023, 3, 1), "11"),
        (date(2024, 6, 1), date(2024, 3, 3), "None"),  # expected date of an unborn child
        (None, date(2024, 3, 3), "None"),
    ],
)
def test_age_in_whole_years(born, on, expected):
    assert render("{{ born | age(on) }}", born=born, on=on) == expected


def test_age_defaults_to_today_in_the_uk(monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda **_: date(2024, 3, 3))
    assert render("{{ born | age }}", born=date(2010, 3, 4)) == "13"


# --- Page layout ---------------------------------------------------------------------------


class ScriptFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.inline_code = ""
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append(dict(attrs))
            self._in_script = True

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.inline_code += data.strip()


def test_layout_is_safehub_not_govuk(anonymous_request):
    html = render_to_string("errors/404.html", request=anonymous_request)
    assert '<html lang="en-GB" class="govuk-template">' in html
    assert 'class="govuk-skip-link"' in html
    assert 'href="#main-content"' in html
    assert '<main class="govuk-main-wrapper" id="main-content">' in html
    assert 'class="govuk-generic-header__homepage-link">SafeHub</a>' in html
    assert 'href="/" class="govuk-generic-header__homepage-link"' in html
    assert "GOV.UK" not in html
    assert "<svg" not in html  # the crown and the licence logo are both SVGs
    assert "crown" not in html.lower()
    assert "Open Government Licence" not in html
    assert "Accessibility statement" in html
    assert f"SafeHub {DASH} open-source safeguarding case management" in html
    assert '<link rel="stylesheet" href="/static/safehub.css">' in html


def test_layout_has_no_inline_script(anonymous_request):
    finder = ScriptFinder()
    finder.feed(render_to_string("errors/404.html", request=anonymous_request))
    assert finder.scripts == [{"type": "module", "src": "/static/init.js"}]
    assert finder.inline_code == ""


def test_page_title_pattern_and_error_prefix(anonymous_request):
    html = render_to_string("errors/404.html", request=anonymous_request)
    assert f"<title>Page not found {DASH} SafeHub</title>" in html
    html = render_to_string("errors/404.html", {"has_errors": True}, request=anonymous_request)
    assert f"<title>Error: Page not found {DASH} SafeHub</title>" in html


def test_demo_banner_only_in_demo_mode(settings, anonymous_request):
    banner = "This is the Demoshire demonstration council. All people and records are invented."
    settings.DEMO_MODE = True
    html = render_to_string("errors/404.html", request=anonymous_request)
    assert banner in html
    assert "sh-demo-banner" in html
    assert re.search(r'govuk-phase-banner__content__tag">\s*Demo\s*<', html)

    settings.DEMO_MODE = False
    html = render_to_string("errors/404.html", request=anonymous_request)
    assert banner not in html
    assert "sh-demo-banner" not in html
    assert "Demo" not in html


def test_navigation_items_come_from_the_view(anonymous_request):
    nav_items = [
        {"text": "Find a person", "href": "/people/", "active": True},
        {"text": "Your account", "href": "/account/", "active": False},
    ]
    html = render_to_string("errors/404.html", {"nav_items": nav_items}, request=anonymous_request)
    assert re.search(r'href="/people/" aria-current="true">\s*<strong[^>]*>Find a person<', html)
    assert re.search(r'href="/account/">\s*Your account\s*<', html)

    html = render_to_string("errors/404.html", request=anonymous_request)
    assert "govuk-service-navigation" not in html


@pytest.mark.urls(__name__)
def test_signed_in_user_sees_name_and_sign_out_form():
    request = RequestFactory().get("/")
    request.user = User(username="jbloggs", first_name="Jo", last_name="Bloggs")
    html = render_to_string("errors/404.html", request=request)
    assert "Jo Bloggs" in html
    form = re.search(
        r'<form class="sh-user-nav__form" method="post" action="([^"]+)">(.*?)</form>', html, re.S
    )
    assert form is not None
    assert form.group(1) == reverse("ui:sign-out")
    assert 'name="csrfmiddlewaretoken"' in form.group(2)
    assert ">Sign out</button>" in form.group(2)
    # Messages and the account page are in the header's account links, for every role.
    header = re.search(
        r'<nav class="sh-account-nav" aria-label="Your account">(.*?)</nav>', html, re.S
    )
    assert header is not None
    assert re.search(r'href="/inbox/"\s*>Messages<', header.group(1))
    assert re.search(r'href="/account/"\s*>Your account<', header.group(1))


@pytest.mark.urls(__name__)
def test_the_account_link_of_the_page_shown_is_marked_current():
    request = RequestFactory().get("/inbox/")
    request.user = User(username="jbloggs", first_name="Jo", last_name="Bloggs")
    html = render_to_string("errors/404.html", request=request)
    assert re.search(r'href="/inbox/" aria-current="page">Messages<', html)
    assert re.search(r'href="/account/"\s*>Your account<', html)


def test_signed_out_user_sees_no_sign_out(anonymous_request):
    html = render_to_string("errors/404.html", request=anonymous_request)
    assert "Sign out" not in html


# --- Form macros ---------------------------------------------------------------------------

FORMS = (
    '{% from "ui/forms.html" import text_field, select_field, radios_field, checkboxes_field,'
    " checkbox_single, textarea_field, date_field, error_summary %}"
)


class PersonForm(forms.Form):
    first_name = forms.CharField(
        label="First name",
        help_text="As they use it",
        error_messages={"required": "Enter a first name"},
    )
    sex = forms.ChoiceField(
        label="Sex",
        widget=forms.RadioSelect,
        choices=[("F", "Female"), ("M", "Male")],
        error_messages={"required": "Select the child's sex"},
    )
    agency = forms.ChoiceField(
        label="Agency", choices=[("", "Choose"), (1, "Police"), (2, "Health")]
    )
    concerns = forms.MultipleChoiceField(
        label="Concerns",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        choices=[("neglect", "Neglect"), ("physical", "Physical abuse"), ("online", "Online harm")],
    )
    consent = forms.BooleanField(label="The family agreed to this referral", required=False)
    summary = forms.CharField(label="Summary", widget=forms.Textarea, required=False)
    password = forms.CharField(label="Password", widget=forms.PasswordInput, required=False)
    date_of_birth = forms.DateField(label="Date of birth", required=False)

    def clean(self):
        if self.data.get("date_of_birth-year", "").strip() not in ("", "2015"):
            self.add_error("date_of_birth", "Date of birth must be a real date")
        raise forms.ValidationError("The referral could not be saved")


BAD_SUBMISSION = {
    "first_name": "",
    "agency": "2",
    "concerns": ["neglect", "online"],
    "consent": "true",
    "summary": "Left alone <overnight>",
    "password": "hunter2-secret",
    "date_of_birth-day": "31",
    "date_of_birth-month": "Feb",
    "date_of_birth-year": "20l5",
}


def invalid_form() -> PersonForm:
    form = PersonForm(data=BAD_SUBMISSION)
    assert not form.is_valid()
    return form


def test_text_field_shows_its_error_on_an_invalid_form():
    html = render(FORMS + "{{ text_field(form.first_name) }}", form=invalid_form())
    assert "govuk-form-group--error" in html
    assert re.search(
        r'id="id_first_name-error" class="govuk-error-message">\s*'
        r'<span class="govuk-visually-hidden">Error:</span> Enter a first name',
        html,
    )
    assert 'class="govuk-input govuk-input--error" id="id_first_name" name="first_name"' in html
    assert 'aria-describedby="id_first_name-hint id_first_name-error"' in html
    assert re.search(r'<label class="govuk-label" for="id_first_name">\s*First name\s*<', html)


def test_text_field_without_errors_and_with_options():
    form = PersonForm(initial={"first_name": "Ama <Jo>"})
    html = render(
        FORMS + "{{ text_field(form.first_name, classes='govuk-input--width-20', "
        "autocomplete='given-name', spellcheck=false, label_classes='govuk-label--l', "
        "is_page_heading=true) }}",
        form=form,
    )
    assert "govuk-form-group--error" not in html
    assert "govuk-error-message" not in html
    assert 'value="Ama &lt;Jo&gt;"' in html
    assert 'autocomplete="given-name"' in html
    assert 'spellcheck="false"' in html
    assert "govuk-input--width-20" in html
    heading = r'<h1 class="govuk-label-wrapper">\s*<label class="govuk-label govuk-label--l"'
    assert re.search(heading, html)


def test_password_is_never_sent_back():
    html = render(FORMS + "{{ text_field(form.password) }}", form=invalid_form())
    assert 'type="password"' in html
    assert "hunter2" not in html


def test_error_summary_links_each_error_to_its_field():
    html = render(
        FORMS + "{{ error_summary(form, date_fields=['date_of_birth']) }}", form=invalid_form()
    )
    assert re.search(r'class="govuk-error-summary__title">\s*There is a problem\s*<', html)
    assert re.search(r"<li>\s*The referral could not be saved\s*</li>", html)
    assert '<a href="#id_first_name">Enter a first name</a>' in html
    assert '<a href="#id_sex">Select the child&#39;s sex</a>' in html
    assert '<a href="#id_date_of_birth-day">Date of birth must be a real date</a>' in html
    # Non-field errors first, then the fields in the form's order.
    assert (
        html.index("could not be saved")
        < html.index("#id_first_name")
        < html.index("#id_sex")
        < html.index("#id_date_of_birth-day")
    )


def test_error_summary_is_absent_when_there_are_no_errors():
    assert render(FORMS + "{{ error_summary(form) }}", form=PersonForm()).strip() == ""


def test_error_summary_link_targets_exist_in_the_rendered_fields():
    html = render(
        FORMS + "{{ error_summary(form, date_fields=['date_of_birth']) }}"
        "{{ text_field(form.first_name) }}{{ radios_field(form.sex) }}"
        "{{ date_field(form.date_of_birth) }}",
        form=invalid_form(),
    )
    for target in re.findall(r'<a href="#([^"]+)"', html):
        assert f'id="{target}"' in html


def test_radios_field_marks_error_and_keeps_the_choice():
    html = render(FORMS + "{{ radios_field(form.sex, inline=true) }}", form=invalid_form())
    assert "govuk-form-group--error" in html
    assert "govuk-radios--inline" in html
    assert 'id="id_sex" name="sex" type="radio" value="F"' in html
    assert 'id="id_sex-2" name="sex" type="radio" value="M"' in html
    assert re.search(r"<legend[^>]*>\s*Sex\s*</legend>", html)

    html = render(FORMS + "{{ radios_field(form.sex) }}", form=PersonForm(data={"sex": "M"}))
    assert 'value="M" checked' in html
    assert 'value="F" checked' not in html
    assert "govuk-form-group--error" not in html


def test_select_field_selects_the_current_value_even_when_initial_is_a_number():
    html = render(FORMS + "{{ select_field(form.agency) }}", form=PersonForm(initial={"agency": 2}))
    assert re.search(r'<option value="2" selected>Health</option>', html)
    assert '<option value="1">Police</option>' in html
    assert '<option value="">Choose</option>' in html


def test_checkboxes_field_keeps_every_ticked_value():
    html = render(FORMS + "{{ checkboxes_field(form.concerns) }}", form=invalid_form())
    assert 'value="neglect" checked' in html
    assert 'value="online" checked' in html
    assert 'value="physical" checked' not in html
    assert 'id="id_concerns" name="concerns" type="checkbox" value="neglect"' in html


def test_checkbox_single_is_one_checkbox_labelled_with_the_question():
    html = render(FORMS + "{{ checkbox_single(form.consent) }}", form=invalid_form())
    assert html.count('type="checkbox"') == 1
    assert 'id="id_consent" name="consent" type="checkbox" value="true" checked' in html
    assert re.search(r'for="id_consent">\s*The family agreed to this referral\s*</label>', html)
    html = render(FORMS + "{{ checkbox_single(form.consent) }}", form=PersonForm())
    assert " checked" not in html
    # What the checkbox sends is what Django reads as ticked.
    assert (
        PersonForm(data={"consent": "true"})
        .fields["consent"]
        .widget.value_from_datadict({"consent": "true"}, {}, "consent")
        is True
    )


def test_textarea_field_redisplays_text_escaped():
    html = render(FORMS + "{{ textarea_field(form.summary) }}", form=invalid_form())
    assert ">Left alone &lt;overnight&gt;</textarea>" in html
    html = render(FORMS + "{{ textarea_field(form.summary) }}", form=PersonForm())
    assert "></textarea>" in html
    assert "None" not in html


def test_date_field_redisplays_exactly_what_was_typed():
    html = render(FORMS + "{{ date_field(form.date_of_birth) }}", form=invalid_form())
    assert 'id="id_date_of_birth-day" name="date_of_birth-day" type="text" value="31"' in html
    assert 'id="id_date_of_birth-month" name="date_of_birth-month" type="text" value="Feb"' in html
    assert 'id="id_date_of_birth-year" name="date_of_birth-year" type="text" value="20l5"' in html
    assert "govuk-form-group--error" in html
    assert html.count("govuk-input--error") == 3
    assert "Date of birth must be a real date" in html
    assert re.search(r"<legend[^>]*>\s*Date of birth\s*</legend>", html)


def test_date_field_shows_the_initial_date_when_unbound():
    form = PersonForm(initial={"date_of_birth": date(2015, 6, 9)})
    html = render(FORMS + "{{ date_field(form.date_of_birth, autocomplete='bday') }}", form=form)
    assert 'name="date_of_birth-day" type="text" value="9"' in html
    assert 'name="date_of_birth-month" type="text" value="6"' in html
    assert 'name="date_of_birth-year" type="text" value="2015"' in html
    assert 'autocomplete="bday-day"' in html
    assert "govuk-input--error" not in html


class ThreeBoxWidget(forms.MultiWidget):
    def __init__(self) -> None:
        super().__init__(
            widgets={
                "-day": forms.TextInput(),
                "-month": forms.TextInput(),
                "-year": forms.TextInput(),
            }
        )

    def decompress(self, value):
        return [None, None, None]


class ThreeBoxForm(forms.Form):
    seen_on = forms.MultiValueField(
        label="Date seen",
        widget=ThreeBoxWidget(),
        require_all_fields=False,
        fields=(forms.CharField(), forms.CharField(), forms.CharField()),
    )


def test_error_summary_recognises_a_three_box_date_field_by_its_widget():
    form = ThreeBoxForm(data={})
    assert not form.is_valid()
    html = render(FORMS + "{{ error_summary(form) }}", form=form)
    assert 'href="#id_seen_on-day"' in html


# --- MoJ macros ----------------------------------------------------------------------------


TIMELINE = '{% from "moj/timeline.html" import moj_timeline %}{{ moj_timeline(items) }}'


def test_timeline_keeps_the_given_order_and_escapes_text():
    items = [
        {
            "title": "Strategy discussion held",
            "byline": "Sam Patel",
            "datetime": "2024-03-05T10:00:00+00:00",
            "date_text": "5 March 2024 at 10am",
            "description_html": Markup('<p class="govuk-body">Agreed a section 47 enquiry.</p>'),
        },
        {
            "title": "Referral from <school>",
            "byline": "Jo & Co",
            "datetime": "2024-03-03T14:05:00+00:00",
            "date_text": "3 March 2024 at 2:05pm",
            "description_html": "<img src=x onerror=alert(1)>",
        },
    ]
    html = render(TIMELINE, items=items)
    assert html.count('<div class="moj-timeline__item">') == 2
    assert html.index("Strategy discussion held") < html.index("Referral from")
    assert "Referral from &lt;school&gt;" in html
    assert '<p class="moj-timeline__byline">by Jo &amp; Co</p>' in html
    assert '<p class="govuk-body">Agreed a section 47 enquiry.</p>' in html
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert '<time datetime="2024-03-05T10:00:00+00:00">5 March 2024 at 10am</time>' in html


def test_timeline_item_snapshot():
    html = render(
        TIMELINE,
        items=[
            {
                "title": "Home visit",
                "byline": "Ali Khan",
                "datetime": datetime(2024, 7, 1, 13, 5, tzinfo=UTC),
                "description_html": Markup("<p>Seen alone.</p>"),
            }
        ],
    )
    assert squash(html) == (
        '<div class="moj-timeline"><div class="moj-timeline__item">'
        '<div class="moj-timeline__header"><h2 class="moj-timeline__title">Home visit</h2>'
        '<p class="moj-timeline__byline">by Ali Khan</p></div>'
        '<p class="moj-timeline__date"><time datetime="2024-07-01T13:05:00+00:00">'
        "1 July 2024 at 2:05pm</time></p>"
        '<div class="moj-timeline__description"><p>Seen alone.</p></div>'
        "</div></div>"
    )


def test_sub_navigation_snapshot():
    html = render(
        '{% from "moj/sub_navigation.html" import moj_sub_navigation %}'
        '{{ moj_sub_navigation("Child\'s record", items) }}',
        items=[
            {"text": "Summary", "href": "/people/1/", "active": True},
            {"text": "Chronology & notes", "href": "/people/1/chronology/", "active": False},
        ],
    )
    assert squash(html) == (
        '<nav class="moj-sub-navigation" aria-label="Child&#39;s record">'
        '<ul class="moj-sub-navigation__list">'
        '<li class="moj-sub-navigation__item"><a class="moj-sub-navigation__link" '
        'href="/people/1/" aria-current="page">Summary</a></li>'
        '<li class="moj-sub-navigation__item"><a class="moj-sub-navigation__link" '
        'href="/people/1/chronology/">Chronology &amp; notes</a></li>'
        "</ul></nav>"
    )


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        ("moj_badge('Urgent', 'red')", '<span class="moj-badge moj-badge--red">Urgent</span>'),
        ("moj_badge('New')", '<span class="moj-badge">New</span>'),
        ("moj_badge('<b>')", '<span class="moj-badge">&lt;b&gt;</span>'),
    ],
)
def test_badge_snapshot(call, expected):
    assert render('{% from "moj/badge.html" import moj_badge %}{{ ' + call + " }}") == expected


# --- Error pages ---------------------------------------------------------------------------


def test_error_handlers_answer_with_the_right_status_and_words(anonymous_request):
    response = views.page_not_found(anonymous_request, Exception("no such person"))
    assert response.status_code == 404
    assert b"If you typed the web address, check it is correct." in response.content
    assert b"no such person" not in response.content

    response = views.permission_denied(anonymous_request, Exception("policy said no"))
    assert response.status_code == 403
    assert b'<h1 class="govuk-heading-l">You cannot see this page</h1>' in response.content
    assert b"policy said no" not in response.content

    response = views.csrf_failure(anonymous_request, reason="CSRF token missing.")
    assert response.status_code == 403
    assert (
        b"Your session has expired or the form was sent twice. Go back, reload the page "
        b"and try again."
    ) in response.content
    assert b"CSRF token missing" not in response.content


class UserThatFails:
    """Stands in for a user whose loading needs the database that has just failed."""

    @property
    def is_authenticated(self):
        raise AssertionError("the 500 page must not load the user")


def test_server_error_page_renders_without_touching_the_user():
    request = RequestFactory().get("/")
    # Deliberately not a user: anything that touches it fails the test.
    request.user = UserThatFails()  # type: ignore[assignment]
    response = views.server_error(request)
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content
    assert b"Sign out" not in response.content
