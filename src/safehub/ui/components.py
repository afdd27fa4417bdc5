"""GOV.UK Frontend components rendered once for each distinct set of parameters (ADR 0068).

A component macro's HTML depends on nothing but its parameters: the package's macros read no
context, no request and no clock. Most components a page draws are drawn with the same
parameters on every request: the service navigation, the phase banner, a form's unanswered
fields and its buttons, the few coloured tags of a queue. So each component file the
templates import (`govuk_frontend_jinja/components/<name>/macro.html`) is answered by a
two-line template whose macro of the same name asks `COMPONENTS` first and renders with the
package's own macro (imported from `govuk_frontend_jinja_unmemoised/…`) only for parameters
it has not seen.

Parameters are remembered by value, and only when every value in them is a plain dict,
list, tuple, text, number, true, false, none or a value the template left undefined; text
and markup are told apart, so text that would have been escaped never comes back
unescaped. Anything else (a lazy translation, a form field) and any call with a `caller`
block render as before. The store is bounded by the characters it holds and is emptied when
full."""

import re
from collections.abc import Callable
from typing import Any

from jinja2 import BaseLoader, Environment, PackageLoader, TemplateNotFound, Undefined
from markupsafe import Markup

PACKAGE = "govuk_frontend_jinja"
# Where the templates and the components themselves import each component from.
COMPONENT_FILE = re.compile(r"govuk_frontend_jinja/components/([a-z-]+)/macro\.html")
# Where the package's own file is still found, for the wrapper to import.
UNMEMOISED = "govuk_frontend_jinja_unmemoised"
MACRO_NAME = re.compile(r"{%-?\s*macro\s+(govuk[A-Za-z]+)\s*\(\s*params\s*\)")
# About 8 MB of text in each worker process at most.
DEFAULT_LIMIT_CHARS = 4_000_000

_UNSUITABLE = object()
_NUMBERS = (int, float, bool, type(None))


def _frozen(value: Any) -> Any:
    """`value` as a hashable key that equals another's only when both would render the
    same, or `_UNSUITABLE`. The type is kept with every value that is not plain text, so
    `Markup("<b>")` and `"<b>"`, and `1` and `True`, are different keys."""
    kind = type(value)
    if kind is str:
        return value
    if kind is dict:
        items = []
        for name, item in value.items():
            frozen = _frozen(item)
            if frozen is _UNSUITABLE or type(name) is not str:
                return _UNSUITABLE
            items.append((name, frozen))
        return (dict, tuple(items))
    if kind is list or kind is tuple:
        items = []
        for item in value:
            frozen = _frozen(item)
            if frozen is _UNSUITABLE:
                return _UNSUITABLE
            items.append(frozen)
        return (kind, tuple(items))
    if kind is Markup:
        return (Markup, str(value))
    if kind in _NUMBERS:
        return (kind, value)
    if issubclass(kind, Undefined):
        # A parameter the template left out. It renders (or fails) the same way for the same
        # name and hint; debug mode writes the name into the page, so that is kept too.
        missing = value._undefined_obj
        return (kind, value._undefined_name, value._undefined_hint, type(missing))
    return _UNSUITABLE


class ComponentMemo:
    """The rendered HTML of each component for each set of parameters seen, in one process."""

    def __init__(self, limit_chars: int = DEFAULT_LIMIT_CHARS) -> None:
        self.limit_chars = limit_chars
        self._rendered: dict[Any, Markup] = {}
        self._chars = 0
        self.hits = self.misses = self.unsuitable = 0

    def render(self, macro: Callable[..., Markup], name: str, params: Any, caller: Any) -> Any:
        if caller:  # a `{% call %}` block: its content is the caller's, not a parameter
            return macro(params, caller=caller)
        frozen = _frozen(params)
        if frozen is _UNSUITABLE:
            self.unsuitable += 1
            return macro(params)
        key = (name, frozen)
        html = self._rendered.get(key)
        if html is not None:
            self.hits += 1
            return html
        self.misses += 1
        html = macro(params)
        self._keep(key, html)
        return html

    def _keep(self, key: Any, html: Markup) -> None:
        size = 2 * len(html)  # the parameters are usually about as long as the HTML
        if size > self.limit_chars // 100:  # one-off large HTML (a long list) is not kept
            return
        if self._chars + size > self.limit_chars:
            self.clear()
        self._rendered[key] = html
        self._chars += size

    def clear(self) -> None:
        self._rendered.clear()
        self._chars = 0


COMPONENTS = ComponentMemo()


class MemoisedComponentLoader(BaseLoader):
    """Answers each GOV.UK component file with a macro of the same name that renders
    through `COMPONENTS`; every other name is left to the loaders after it."""

    def __init__(self) -> None:
        self.package = PackageLoader(PACKAGE)

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        found = COMPONENT_FILE.fullmatch(template)
        if found is None:
            raise TemplateNotFound(template)
        own = f"components/{found.group(1)}/macro.html"
        source, filename, uptodate = self.package.get_source(environment, own)
        macro = MACRO_NAME.search(source)
        if macro is None:  # not a one-component file: used as the package wrote it
            return source, filename, uptodate
        name = macro.group(1)
        wrapper = (
            f'{{% from "{UNMEMOISED}/{own}" import {name} as _unmemoised %}}'
            f"{{% macro {name}(params) %}}"
            f'{{{{ _component(_unmemoised, "{name}", params, caller) }}}}'
            "{% endmacro %}"
        )
        return wrapper, None, uptodate

    def list_templates(self) -> list[str]:
        """The component files this loader answers (the production server compiles every
        template before forking its workers: deploy/gunicorn.conf.py)."""
        named = (f"{PACKAGE}/{name}" for name in self.package.list_templates())
        return [name for name in named if COMPONENT_FILE.fullmatch(name)]
