"""The single template engine: Jinja2 with the GOV.UK Frontend macros, SafeHub's own
templates (each app's ``jinja2/`` folder) and a few helpers for dates and links."""

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from jinja2 import (
    ChoiceLoader,
    DictLoader,
    Environment,
    PackageLoader,
    PrefixLoader,
    Template,
    pass_environment,
)
from jinja2.environment import TemplateModule
from jinja2.filters import do_indent
from jinja2.runtime import Context
from markupsafe import Markup, escape

from safehub.core.reversing import reverse_keys, reverse_plain
from safehub.ui.components import COMPONENTS, UNMEMOISED, MemoisedComponentLoader
from safehub.ui.forms_util import form_restored

LONDON = ZoneInfo("Europe/London")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def environment(**options: Any) -> Environment:
    # Django passes a loader for the app template folders; the GOV.UK macros are imported as
    # "govuk_frontend_jinja/components/…", which is how the package expects to be mounted.
    options["loader"] = ChoiceLoader(
        [
            DictLoader({GOVUK_ATTRIBUTES: _ATTRIBUTES_MACRO}),
            MemoisedComponentLoader(),
            options["loader"],
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    UNMEMOISED: PackageLoader("govuk_frontend_jinja"),
                }
            ),
        ]
    )
    env = SafeHubEnvironment(**options)  # Django's backend turns autoescape on (checked below)
    env.template_class = FasterImportTemplate
    # Case records hold text typed by the public and by partners: never render it unescaped.
    assert env.autoescape is True, "Jinja2 autoescape must be on"
    env.globals.update(
        static=static,
        url=url,
        settings_demo_mode=DemoMode(),
        form_restored=form_restored,
        _govuk_attributes=govuk_attributes,
        _component=COMPONENTS.render,
    )
    env.filters.update(govuk_date=govuk_date, govuk_datetime=govuk_datetime, age=age)
    env.filters["indent"] = indent
    env.tests["govuk_date_field"] = is_govuk_date_field
    return env


# What `getattr` finds on a plain dict: its methods and object's attributes, nothing else (a
# dict has no instance attributes).
_DICT_ATTRIBUTES = frozenset(dir(dict))


class SafeHubEnvironment(Environment):
    """Jinja's Environment, with `params.text` on a plain dict answered without an exception.
    Jinja tries the attribute first and the key second, so on a dict each `params.text` (the
    GOV.UK macros read their parameters this way, a few hundred times a page) raised and
    caught AttributeError before reading the key, and a missing key raised a second time.
    A plain dict's attributes are exactly `dir(dict)`, so for any other name the key is what
    Jinja would have returned, and a missing key is the same Undefined (ADR 0061)."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


class FasterImportTemplate(Template):
    """Jinja's Template, with the question every `{% from … import … %}` asks answered
    without walking a ChainMap: "does the importing template have globals this one lacks?"
    (if so Jinja builds the imported module afresh, otherwise it reuses the cached one).
    Jinja compares the importer's global names with this template's through the ChainMap's
    key view, a generator per name; a page imports a few dozen macro files, and this was
    about 3% of a page's CPU (bench/README.md, 6 December). When every name the importer
    has is one of the environment's globals, which this template's globals chain to, the
    answer is "none" and the cached module is the one Jinja would have used; any other case
    asks Jinja's own question."""

    def _get_default_module(self, ctx: Context | None = None) -> TemplateModule:
        if ctx is not None and ctx.globals_keys <= self.environment.globals.keys():
            ctx = None
        return super()._get_default_module(ctx)


# The GOV.UK macros' attribute writer, which every component calls for each of its elements
# (a few dozen times a form), done in Python (ADR 0066). The file the components import is
# answered by this one-line macro; `govuk_attributes` gives what the package's macro gives,
# down to the whitespace its template lines leave (tests/test_jinja_speed.py compares them).
GOVUK_ATTRIBUTES = "govuk_frontend_jinja/macros/attributes.html"
_ATTRIBUTES_MACRO = (
    "{% macro govukAttributes(attributes) %}{{ _govuk_attributes(attributes) }}{% endmacro %}"
)
# What the package's template writes around each attribute: the lines between its tags.
_OPENS, _CLOSES, _EACH = "\n    ", "\n  ", "\n    "
_SAFE_VALUE, _NAME_ONLY, _NAME_AND_VALUE = "\n        \n      ", "\n        ", "\n        \n      "


@pass_environment
def govuk_attributes(env: Environment, attributes: Any) -> Markup:
    """`govukAttributes(attributes)` of GOV.UK Frontend's macros: ` name="value"` for each
    attribute of a mapping (a `{'value', 'optional'}` mapping leaves out an empty optional
    one, and gives a bare ` name` for an optional true), or a string as it is."""
    html = attributes if isinstance(attributes, str) else ""
    if not isinstance(attributes, Mapping):
        return Markup(html)  # noqa: S704 - as the package's macro, a string passes as it is
    # The template compares with two names it never defines (Nunjucks' `undefined` and
    # `null`): in Jinja, two Undefined values.
    unset = [env.undefined(name="undefined"), env.undefined(name="null")]
    out = [_OPENS]
    for name, value in attributes.items() if attributes else {}.items():
        if isinstance(value, Mapping) and env.getattr(value, "val") not in unset and len(value):
            out.append(_SAFE_VALUE)
            value = env.getattr(value, "val")
        options = (
            value
            if isinstance(value, Mapping)
            else {
                "value": str(value).lower() if value is True or value is False else value,
                "optional": False,
            }
        )
        optional, given = env.getattr(options, "optional"), env.getattr(options, "value")
        if optional is True and given is True:
            out.append(_NAME_ONLY)
            html = f"{html} {escape(name)}"
        elif (
            optional is True and given not in [*unset, None] and given is not False
        ) or optional is not True:
            out.append(_NAME_AND_VALUE)
            html = f'{html} {escape(name)}="{escape(given)}"'
        out.append(_EACH)
    out.append(_CLOSES)
    return Markup("".join(out) + html)  # noqa: S704 - each name and value escaped above


def indent(s: Any, width: int | str = 4, first: bool = False, blank: bool = False) -> Any:
    """Jinja's `indent` filter, giving the same result: the GOV.UK macros indent every
    component's HTML, and Jinja's filter works line by line on Markup (a Markup object and
    an escape call for every line). Indenting never escapes anything (the indent is spaces or
    Markup, the lines are the input's), so this does the same on the plain string and marks
    the result safe if the input was."""
    if (type(s) is not str and type(s) is not Markup) or not isinstance(width, int):
        # Anything else (an indent given as text, which Jinja escapes) is Jinja's own work.
        return do_indent(s, width, first, blank)
    indention = " " * width
    lines = (str(s) + "\n").splitlines()
    if blank:
        rv = ("\n" + indention).join(lines)
    else:
        rv = lines[0]
        if len(lines) > 1:
            rv += "\n" + "\n".join([indention + line if line else line for line in lines[1:]])
    if first:
        rv = indention + rv
    # The input was Markup already and indenting added only the indent: nothing to escape.
    return Markup(rv) if type(s) is Markup else rv  # noqa: S704


def url(name: str, *args: Any, **kwargs: Any) -> str:
    """``url('people:person', person.id)`` or ``url('people:person', pk=person.id)``."""
    if not args and not kwargs:
        return reverse_plain(name)
    if not kwargs and all(type(a) is int for a in args):
        return reverse_keys(name, args)
    return reverse(name, args=args or None, kwargs=kwargs or None)


class DemoMode:
    """True while settings.DEMO_MODE is on. Read at render time, not when the engine starts,
    so the setting (and tests that change it) always decide what the page shows."""

    def __bool__(self) -> bool:
        return bool(getattr(settings, "DEMO_MODE", False))

    def __repr__(self) -> str:
        return repr(bool(self))


def govuk_date(value: date | datetime | str | None) -> str:
    """3 March 2024 (GOV.UK style: no leading zero, month in full). Empty for no date. A
    date kept as text in JSON (2024-03-03) reads the same."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if isinstance(value, datetime):
        value = _london(value).date()
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def govuk_datetime(value: datetime | date | None) -> str:
    """3 March 2024 at 2:05pm, in UK time; 10am, midday and midnight as GOV.UK writes them.
    A date without a time reads as the date alone."""
    if value is None or value == "":
        return ""
    if not isinstance(value, datetime):
        return govuk_date(value)
    local = _london(value)
    return f"{govuk_date(local.date())} at {govuk_time(local)}"


def _london(value: datetime) -> datetime:
    # Naive datetimes are taken to be UK time already (USE_TZ makes them rare).
    return timezone.localtime(value, LONDON) if timezone.is_aware(value) else value


def govuk_time(value: datetime) -> str:
    """2:05pm, 10am, midday, midnight (GOV.UK style), in UK time."""
    value = _london(value)
    if value.minute == 0 and value.hour in (0, 12):
        return "midnight" if value.hour == 0 else "midday"
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{'am' if value.hour < 12 else 'pm'}"


def age(date_of_birth: date | None, on: date | None = None) -> int | None:
    """Age in whole years today (UK time), or on a given date. None when the date of birth is
    unknown or still to come (an unborn child has an expected date, not an age)."""
    if date_of_birth is None or date_of_birth == "":
        return None
    if isinstance(date_of_birth, datetime):
        date_of_birth = _london(date_of_birth).date()
    on = on or timezone.localdate(timezone=LONDON)
    if date_of_birth > on:
        return None
    # Someone born on 29 February has their birthday on 1 March in other years.
    had_birthday = (on.month, on.day) >= (date_of_birth.month, date_of_birth.day)
    return on.year - date_of_birth.year - (0 if had_birthday else 1)


def is_govuk_date_field(bound_field: Any) -> bool:
    """``{% if field is govuk_date_field %}``: the field is three boxes (day, month, year)
    whose first box the error summary must link to."""
    widget = getattr(getattr(bound_field, "field", None), "widget", None)
    names = getattr(widget, "widgets_names", None) or []
    return [n.lstrip("_-") for n in names] == ["day", "month", "year"]
