"""Every form in SafeHub answers bad input in GOV.UK-style words: sent empty, too long or
with codes that are not on its lists, no message is Django's own ("This field is
required.", "Ensure this value has at most …"), every message is on a field the form has
(or about the whole form), and none repeats a code back instead of words."""

import importlib
import pkgutil
import re
from datetime import date
from typing import Any

import pytest
from django import forms
from django.core import validators
from django.http import QueryDict

import safehub
from safehub.casework.services import assessment_complete
from safehub.chronology.models import ChronologyEntry
from safehub.frontdoor.forms_public import ReportPage
from safehub.organisations.models import Agency
from safehub.ui.fields import GovukDateField
from safehub.ui.forms_util import HIDDEN_FIELD_ERROR, GovukForm

# Forms that never show a page: they are not held to the page rules.
NOT_PAGES = {
    "safehub.casework.forms.DraftForm": "the autosave endpoint answers JSON, never a page",
}
# Bases that are never shown themselves.
ABSTRACT = {GovukForm, ReportPage}


def _every_forms_module() -> None:
    for module in pkgutil.walk_packages(safehub.__path__, "safehub."):
        if module.name.rsplit(".", 1)[-1].startswith("forms"):
            importlib.import_module(module.name)


def _subclasses(cls: type) -> set[type]:
    found: set[type] = set()
    subs: list[type] = cls.__subclasses__()
    for sub in subs:
        found |= {sub, *_subclasses(sub)}
    return found


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


_every_forms_module()
FORMS = sorted(
    (
        cls
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.startswith("safehub.")
        and ".tests." not in cls.__module__  # forms that tests make for themselves
        and cls not in ABSTRACT
    ),
    key=_name,
)
PAGE_FORMS = [cls for cls in FORMS if _name(cls) not in NOT_PAGES]


def _django_wording() -> list[str]:
    """The fixed words of every message Django's form fields and validators give."""
    messages: list[str] = []
    for value in vars(forms).values():
        if isinstance(value, type) and issubclass(value, forms.Field):
            for cls in value.__mro__:
                messages += map(str, getattr(cls, "default_error_messages", {}).values())
    for value in vars(validators).values():
        message = getattr(value, "message", None) if isinstance(value, type) else None
        if message:
            try:
                messages.append(str(message))
            except (TypeError, KeyError):  # a plural message needs its number
                continue
    # The part before the first placeholder identifies each one; these two are plural.
    fragments = {re.split(r"%\(|\{", m)[0].strip() for m in messages}
    fragments |= {"Ensure this value", "Ensure that there are no more than"}
    return sorted(f for f in fragments if len(f) >= 8)


DJANGO_WORDING = _django_wording()


def _instance(cls: type, data: QueryDict | None) -> forms.BaseForm:
    """The form as its page makes it (a few need to know what they are about)."""
    kwargs: dict[str, Any] = {}
    name = cls.__name__
    if name == "EpisodeCloseForm":
        kwargs.update(kind="cin", ask_referral_nfa=True)
    elif name in ("ChairedForm", "ConferenceInitialForm", "ConferenceReviewForm"):
        kwargs.update(chairs=[(1, "A chair")], me=None)
    elif name in ("InformationRequestForm", "SharingForm"):
        kwargs["agencies"] = Agency.objects.all()
    elif name == "AllocateForm":
        kwargs.update(workers=[], reallocating=True)
    return cls(data, **kwargs)


def _empty() -> QueryDict:
    return QueryDict("", mutable=True)


def _too_long_and_off_the_list(form: forms.BaseForm) -> QueryDict:
    """Every box far too long, every list answered with a code it does not have, every
    date impossible, every number not a number."""
    data = QueryDict("", mutable=True)
    for bound in form:
        field, name = bound.field, bound.html_name
        if isinstance(field, GovukDateField):
            data.update({f"{name}-day": "99", f"{name}-month": "99", f"{name}-year": "99999"})
        elif isinstance(field, forms.MultipleChoiceField):
            data.setlist(name, ["99Z"])
        elif isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
            data[name] = "99Z"
        elif isinstance(field, forms.IntegerField):
            data[name] = "ten"
        elif isinstance(field, forms.CharField):
            data[name] = "x" * ((field.max_length or 100_000) + 1)
    return data


def _messages(form: forms.BaseForm) -> list[tuple[str, str]]:
    form.is_valid()
    return [(field, str(m)) for field, errors in form.errors.items() for m in errors]


def _check(form: forms.BaseForm, cls: type) -> list[tuple[str, str]]:
    problems = []
    for field, message in _messages(form):
        if any(fragment in message for fragment in DJANGO_WORDING):
            problems.append((field, message))
        if field != "__all__" and field not in form.fields:
            problems.append((field, f"on a field the form does not have: {message}"))
        hidden = field in form.fields and form.fields[field].widget.is_hidden
        if hidden and message != HIDDEN_FIELD_ERROR:
            problems.append((field, f"on a hidden field: {message}"))
        if (
            "your answer" in message
            and "your answer" not in str(getattr(form.fields.get(field), "label", "")).lower()
        ):
            problems.append((field, f"does not name its field: {message}"))
        if "99Z" in message or "?" in message:
            problems.append((field, f"a code or a question, not words: {message}"))
    return problems


def test_the_walk_finds_the_forms():
    names = {cls.__name__ for cls in PAGE_FORMS}
    assert {"NoteForm", "ChildForm", "PersonForm", "ProfessionalReferralForm"} <= names
    assert len(PAGE_FORMS) > 40


@pytest.mark.parametrize("cls", FORMS, ids=_name)
def test_every_form_is_a_govuk_form(cls):
    assert issubclass(cls, GovukForm), f"{_name(cls)} must build on ui.forms_util.GovukForm"


@pytest.mark.django_db
@pytest.mark.parametrize("cls", PAGE_FORMS, ids=_name)
def test_a_form_sent_empty_answers_in_govuk_words(cls):
    assert _check(_instance(cls, _empty()), cls) == []


@pytest.mark.django_db
@pytest.mark.parametrize("cls", PAGE_FORMS, ids=_name)
def test_a_form_sent_too_long_or_off_its_lists_answers_in_govuk_words(cls):
    blank = _instance(cls, None)
    form = _instance(cls, _too_long_and_off_the_list(blank))
    problems = _check(form, cls)
    assert problems == []
    # A box too long says how long it may be, with the limit in figures.
    for name, field in form.fields.items():
        limit = getattr(field, "max_length", None)
        if limit and not field.widget.is_hidden and name in form.errors:
            assert any(f"{limit:,} characters or fewer" in str(m) for m in form.errors[name]), (
                name,
                form.errors[name],
            )


def test_a_long_case_note_is_refused_with_its_limit_in_words():
    from safehub.casework.forms import NoteForm

    form = NoteForm({"text": "x" * 20_001})
    assert form.errors["text"] == ["Case note must be 20,000 characters or fewer"]


def test_an_empty_public_child_page_asks_for_the_childs_date_of_birth_in_words():
    from safehub.frontdoor.forms_public import ChildForm

    form = ChildForm(
        {"date_of_birth-day": "3", "date_of_birth-month": "", "date_of_birth-year": ""}
    )
    assert form.errors["date_of_birth"] == [
        "The child's date of birth must include a day, month and year"
    ]


@pytest.mark.django_db
def test_a_completed_assessment_reads_in_words_not_codes(users, people):
    """The chronology said "factors: 21"; it says what the factors are."""
    from safehub.casework import services

    sw, child = users["social_worker"], people["involved"]
    referral = date(2026, 9, 1)
    episode = services.episode_open(
        actor=sw, child=child, kind="cin", referral_date=referral, primary_need="N1"
    )
    assessment = services.assessment_start(actor=sw, episode=episode, start_date=referral)
    services.assessment_record_seen(
        actor=sw, assessment=assessment, seen_date=referral, seen_alone=False
    )
    assessment_complete(
        actor=sw,
        assessment=assessment,
        completed_date=referral,
        factors=["1A", "2B"],
        summary="Found",
    )
    summary = ChronologyEntry.objects.filter(summary__startswith="Assessment completed").get()
    assert summary.summary == (
        "Assessment completed; factors: Alcohol misuse: child, Drug misuse: parent or carer"
    )
