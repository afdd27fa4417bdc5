"""The two places the Jinja environment does Jinja's own work more cheaply (ADR 0061): each
must give exactly what Jinja gives."""

from typing import Any

import pytest
from django.template import engines
from django.template.backends.jinja2 import Jinja2
from hypothesis import given
from hypothesis import strategies as st
from jinja2 import Environment, Template, Undefined
from jinja2.filters import do_indent
from markupsafe import Markup

from safehub.ui.jinja2 import FasterImportTemplate, SafeHubEnvironment, indent


def jinja_env() -> Environment:
    engine = engines["jinja2"]
    assert isinstance(engine, Jinja2)
    return engine.env


# Every character str.splitlines() breaks on, among ordinary text and markup.
PIECES = [*"ab <>&\"' \t", "\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85"]
TEXT = st.lists(st.sampled_from([*PIECES, "\u2028", "\u2029", "<p>x</p>"]), max_size=30).map(
    "".join
)
WIDTH = st.one_of(st.integers(min_value=0, max_value=8), st.sampled_from(["", "  ", "\t", "<>"]))


@given(text=TEXT, width=WIDTH, first=st.booleans(), blank=st.booleans(), safe=st.booleans())
def test_indent_gives_what_jinjas_indent_gives(text, width, first, blank, safe):
    value = Markup(text) if safe else text  # noqa: S704 - Markup or not, as a template gives
    ours = indent(value, width, first, blank)
    assert ours == do_indent(value, width, first, blank)
    assert type(ours) is type(do_indent(value, width, first, blank))


def test_indent_is_the_filter_templates_use():
    env = jinja_env()
    assert env.filters["indent"] is indent
    html = env.from_string("{{ m | indent(2) }}|{{ t | indent(2, first=True) }}").render(
        m=Markup("<p>\n<b>x</b>\n\n</p>"), t="<i>\nj"
    )
    # Markup is indented, not escaped; plain text is escaped once, after indenting.
    assert html == "<p>\n  <b>x</b>\n\n  </p>|  &lt;i&gt;\n  j"


def _import_twice(source: str, **globals_: object) -> tuple[object, object]:
    env = jinja_env()
    importer = env.from_string(source, globals=globals_)
    macros = env.get_template("govuk_frontend_jinja/components/button/macro.html")
    ctx = importer.new_context({})
    theirs = Template._get_default_module(macros, ctx)
    ours = macros._get_default_module(ctx)
    return theirs, ours


def test_an_import_reuses_the_cached_module_as_jinja_does():
    env = jinja_env()
    assert env.template_class is FasterImportTemplate
    theirs, ours = _import_twice("{% from 'x' import y %}")
    assert ours is theirs  # the one cached module, not one built afresh


def test_an_importer_with_globals_of_its_own_gets_a_module_of_its_own():
    theirs, ours = _import_twice("{{ x }}", page_only_global=1)
    assert ours is not theirs  # each built afresh, as Jinja builds it
    assert ours is not macros_module()
    assert ours.__class__ is theirs.__class__


def macros_module() -> object:
    env = jinja_env()
    return env.get_template(
        "govuk_frontend_jinja/components/button/macro.html"
    )._get_default_module()


def test_pages_render_exactly_as_with_jinjas_own_filter_and_imports():
    ours = jinja_env()
    theirs = ours.overlay(cache_size=0)  # nothing compiled shared with ours
    theirs.filters["indent"] = do_indent
    theirs.template_class = Template
    source = (
        '{% from "govuk_frontend_jinja/components/date-input/macro.html" import govukDateInput %}'
        '{% from "govuk_frontend_jinja/components/radios/macro.html" import govukRadios %}'
        "{{ govukDateInput({'id': 'd', 'namePrefix': 'd', 'fieldset': {'legend': {'text': 'When'}},"
        " 'errorMessage': {'text': 'Enter a date'},"
        " 'items': [{'name': 'day'}, {'name': 'month'}, {'name': 'year'}]}) }}"
        "{{ govukRadios({'name': 'r', 'hint': {'html': h}, 'items': [{'value': 1, 'text': t}]}) }}"
    )
    context = {"h": Markup("<p>\n<b>hint</b>\n</p>"), "t": "<one>\ntwo"}
    page = ours.from_string(source).render(context)
    assert type(theirs.get_template("ui/forms.html")) is Template
    assert page == theirs.from_string(source).render(context)
    assert 'name="d-day"' in page
    assert "&lt;one&gt;" in page


class Thing:
    text = "attribute"

    def __getitem__(self, key: str) -> str:
        return f"item {key}"


class Mapping(dict):  # a dict subclass may have attributes of its own: Jinja's way
    text = "subclass attribute"


@pytest.mark.parametrize(
    ("obj", "name"),
    [
        ({"text": "<b>"}, "text"),
        ({"items": [1, 2]}, "items"),  # a dict's method wins over its key, as in Jinja
        ({"get": 1}, "get"),
        ({}, "text"),
        ({"__class__": 1}, "__class__"),
        (Mapping(text="key"), "text"),
        (Mapping(), "missing"),
        (Thing(), "text"),
        (Thing(), "other"),
        ([1], "append"),
        (None, "text"),
    ],
)
def test_getattr_gives_what_jinjas_gives(obj, name):
    env = jinja_env()
    assert isinstance(env, SafeHubEnvironment)
    ours, theirs = env.getattr(obj, name), Environment.getattr(env, obj, name)
    assert type(ours) is type(theirs)
    if isinstance(theirs, Undefined):
        assert (ours._undefined_obj, ours._undefined_name) == (obj, name)
    else:
        assert ours == theirs


def _package_attributes_macro() -> object:
    """GOV.UK Frontend's own `govukAttributes`, from the package's file (which the
    environment now answers with `govuk_attributes`)."""
    from importlib.resources import files

    source = (files("govuk_frontend_jinja") / "templates/macros/attributes.html").read_text()
    return jinja_env().from_string(source).module.govukAttributes  # type: ignore[attr-defined]


SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from(["", "x", "true", "false", "a<b>&\"'", "None"]),
    st.sampled_from(["<b>safe</b>", ""]).map(Markup),
)
OPTIONS = st.fixed_dictionaries(
    {}, optional={"value": SCALAR, "optional": st.one_of(st.booleans(), SCALAR)}
)
VALUE: st.SearchStrategy[object] = st.one_of(
    SCALAR, OPTIONS, st.fixed_dictionaries({"val": st.one_of(SCALAR, OPTIONS)}), st.just({})
)
ATTRIBUTES = st.one_of(
    st.dictionaries(st.sampled_from(["class", "id", "aria-x", "<n>", "data-&"]), VALUE),
    st.sampled_from(["", ' data-x="1"', "<i>raw</i>"]),
    st.sampled_from(["", ' data-x="1"']).map(Markup),
    st.none(),
)


@given(attributes=ATTRIBUTES)
def test_attributes_are_written_as_the_govuk_macro_writes_them(attributes):
    theirs = _package_attributes_macro()(attributes)  # type: ignore[operator]
    ours: Any = jinja_env().get_template("govuk_frontend_jinja/macros/attributes.html").module
    mine = ours.govukAttributes(attributes)
    assert str(mine) == str(theirs)
    assert type(mine) is type(theirs)


def test_an_absent_attributes_argument_writes_nothing_as_the_macro_does():
    theirs = _package_attributes_macro()()  # type: ignore[operator]
    mine: Any = jinja_env().get_template("govuk_frontend_jinja/macros/attributes.html").module
    assert str(mine.govukAttributes()) == str(theirs) == ""
