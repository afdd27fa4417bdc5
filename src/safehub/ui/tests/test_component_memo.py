"""GOV.UK components rendered once for each set of parameters (ADR 0068): a page must get
exactly what the package's own macro gives, whether the parameters were seen before or not."""

from pathlib import Path

import govuk_frontend_jinja  # type: ignore[import-untyped]
import pytest
from django.template import engines
from django.template.backends.jinja2 import Jinja2
from django.utils.translation import gettext_lazy
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import DebugUndefined, Environment, Undefined
from markupsafe import Markup

from safehub.ui.components import COMPONENTS, UNMEMOISED, ComponentMemo, _frozen

PACKAGE_COMPONENTS = Path(govuk_frontend_jinja.__file__).parent / "templates" / "components"


def jinja_env() -> Environment:
    engine = engines["jinja2"]
    assert isinstance(engine, Jinja2)
    return engine.env


def render(component: str, macro: str, params: object, *, memoised: bool = True) -> str:
    where = "govuk_frontend_jinja" if memoised else UNMEMOISED
    source = (
        f'{{% from "{where}/components/{component}/macro.html" import {macro} %}}'
        f"{{{{ {macro}(params) }}}}"
    )
    return jinja_env().from_string(source).render(params=params)


def test_every_component_file_is_answered_by_a_memoised_macro():
    env = jinja_env()
    components = sorted(p.name for p in PACKAGE_COMPONENTS.iterdir() if p.is_dir())
    assert len(components) > 30
    for component in components:
        name = f"govuk_frontend_jinja/components/{component}/macro.html"
        source, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        assert "_component(_unmemoised" in source, component
        assert UNMEMOISED in source


TEXT = st.lists(st.sampled_from(["a", "b c", "<b>", "&", '"', "'", "\n", "é"]), max_size=6).map(
    "".join
)
VALUE = st.one_of(
    TEXT,
    TEXT.map(Markup),
    st.booleans(),
    st.integers(min_value=0, max_value=3),
    st.none(),
)
ATTRIBUTES = st.dictionaries(st.sampled_from(["data-x", "aria-label", "lang"]), VALUE, max_size=2)
TAG = st.fixed_dictionaries(
    {}, optional={"text": VALUE, "html": VALUE, "classes": VALUE, "attributes": ATTRIBUTES}
)
BUTTON = st.fixed_dictionaries(
    {"text": TEXT},
    optional={
        "html": VALUE,
        "name": TEXT,
        "value": VALUE,
        "disabled": VALUE,
        "href": VALUE,
        "preventDoubleClick": VALUE,
        "isStartButton": VALUE,
        "classes": VALUE,
        "attributes": ATTRIBUTES,
    },
)
INPUT = st.fixed_dictionaries(
    {"id": st.just("x"), "name": st.just("x"), "label": st.fixed_dictionaries({"text": TEXT})},
    optional={
        "hint": st.fixed_dictionaries({"text": VALUE}),
        "errorMessage": st.one_of(st.fixed_dictionaries({"text": VALUE}), st.just(False)),
        "value": VALUE,
        "classes": VALUE,
        "attributes": ATTRIBUTES,
        "prefix": st.fixed_dictionaries({"text": VALUE}),
    },
)
SUMMARY_LIST = st.fixed_dictionaries(
    {
        "rows": st.lists(
            st.fixed_dictionaries(
                {
                    "key": st.fixed_dictionaries({"text": TEXT}),
                    "value": st.fixed_dictionaries({"html": VALUE}),
                }
            ),
            max_size=3,
        )
    }
)


@settings(max_examples=150, deadline=None)
@given(
    case=st.one_of(
        st.tuples(st.just(("tag", "govukTag")), TAG),
        st.tuples(st.just(("button", "govukButton")), BUTTON),
        st.tuples(st.just(("input", "govukInput")), INPUT),
        st.tuples(st.just(("summary-list", "govukSummaryList")), SUMMARY_LIST),
    )
)
def test_a_component_gives_what_the_package_gives_first_time_and_after(case):
    (component, macro), params = case
    theirs = render(component, macro, params, memoised=False)
    assert render(component, macro, params) == theirs
    assert render(component, macro, params) == theirs  # now from the memo


def test_text_and_markup_are_never_mistaken_for_each_other():
    for first, second in [("<b>x</b>", Markup("<b>x</b>")), (Markup("<i>y</i>"), "<i>y</i>")]:
        COMPONENTS.clear()
        one = render("tag", "govukTag", {"text": first})
        two = render("tag", "govukTag", {"text": second})
        assert one != two
        assert ("&lt;" in one) is (type(first) is str)
        assert ("&lt;" in two) is (type(second) is str)
    assert _frozen({"a": 1}) != _frozen({"a": True})
    assert _frozen(["x"]) != _frozen(("x",))
    assert _frozen({"a": "x"}) != _frozen({"a": Markup("x")})


def test_parameters_it_cannot_compare_are_rendered_every_time():
    memo = COMPONENTS
    before = memo.unsuitable
    lazy = {"text": gettext_lazy("Save and continue")}
    html = render("button", "govukButton", lazy)
    assert html == render("button", "govukButton", lazy, memoised=False)
    assert "Save and continue" in html
    assert memo.unsuitable == before + 1
    assert _frozen({"text": object()}) is _frozen({"rows": [{"x": object()}]})


def test_a_call_block_is_the_callers_own_content_each_time():
    env = jinja_env()
    page = env.from_string(
        '{% from "govuk_frontend_jinja/components/details/macro.html" import govukDetails %}'
        '{% call govukDetails({"summaryText": "More"}) %}{{ inner }}{% endcall %}'
    )
    assert "first words" in page.render(inner="first words")
    second = page.render(inner="second words")
    assert "second words" in second
    assert "first words" not in second


def test_the_memo_is_bounded_by_the_text_it_holds():
    memo = ComponentMemo(limit_chars=10_000)
    rendered = []

    def macro(params: object) -> Markup:
        rendered.append(params)
        return Markup("x" * 40)  # noqa: S704 - a test's fixed markup

    for n in range(200):
        memo.render(macro, "m", {"n": n}, None)
    assert memo._chars <= 10_000
    assert 0 < len(memo._rendered) < 200  # emptied when full, then filled again
    memo.render(macro, "m", {"n": 199}, None)
    assert len(rendered) == 200  # the last one is still there
    big = ComponentMemo(limit_chars=10_000)
    big.render(lambda p: Markup("y" * 5_000), "m", {}, None)  # noqa: S704
    assert big._rendered == {}  # one large piece of HTML is not kept


@pytest.mark.parametrize("params", [None, {"rows": []}, {"text": ""}])
def test_empty_and_missing_parameters_render_as_the_package_does(params):
    assert render("tag", "govukTag", params) == render("tag", "govukTag", params, memoised=False)


def test_a_parameter_left_undefined_renders_as_the_package_does():
    env = jinja_env()
    source = (
        '{% from "WHERE/components/tag/macro.html" import govukTag %}'
        '{{ govukTag({"text": "Amber", "classes": missing}) }}'
    )
    ours = env.from_string(source.replace("WHERE", "govuk_frontend_jinja")).render()
    theirs = env.from_string(source.replace("WHERE", UNMEMOISED)).render()
    assert ours == theirs
    assert env.from_string(source.replace("WHERE", "govuk_frontend_jinja")).render() == theirs
    # Debug mode writes an undefined value's name into the page: each name is its own key.
    assert _frozen(DebugUndefined(name="a")) != _frozen(DebugUndefined(name="b"))
    assert _frozen(Undefined(name="a")) != _frozen(DebugUndefined(name="a"))


def test_parameters_seen_before_are_answered_without_rendering_again():
    params = {"text": "Seen before", "classes": "govuk-tag--grey"}
    render("tag", "govukTag", params)  # now in the store, if it was not already
    hits, misses = COMPONENTS.hits, COMPONENTS.misses
    again = render("tag", "govukTag", dict(params))  # an equal dict, not the same object
    assert COMPONENTS.hits == hits + 1
    assert COMPONENTS.misses == misses
    assert again == render("tag", "govukTag", params, memoised=False)
