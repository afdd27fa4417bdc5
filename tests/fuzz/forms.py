"""A fuzzer for every form page: found from the URL conf and the running app, not a hand list.

1. `form_routes()` walks the URL conf for every route whose view takes a POST (a class view
   with `post`, or a function view whose source handles or requires POST).
2. `crawl()` signs in as each demo user (and as nobody, for the public pages) and follows
   the links each is shown, breadth first, reading every `<form method="post">` on every
   page: its action names the route, the user who was shown it is one the policy lets use
   it, and its fields (hidden version fields and CSRF token included) are what to fuzz.
3. `fuzz()` posts hypothesis-generated values to each form (odd unicode, control
   characters, huge strings, numbers, dates in odd shapes, missing, extra and wrong fields,
   junk files) and records every status; a server error or an exception is a bug and is
   kept with what was sent, to reproduce it. Each post runs in a transaction that is rolled
   back, so every example meets the same data.

Used by tests/fuzz/test_forms.py (a small budget) and bench/fuzz.py (at scale).
"""

import copy
import inspect
import traceback
from collections import Counter, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

# Routes never followed while crawling: signing out ends the crawl's own session.
NOT_FOLLOWED = {"ui:sign-out"}


def _walk(resolver: Any = None, namespace: str = "") -> Iterator[tuple[str, Any]]:
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            yield from _walk(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern.callback


def _takes_post(callback: Any) -> bool:
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return "post" in view_class.http_method_names and hasattr(view_class, "post")
    try:
        source = inspect.getsource(inspect.unwrap(callback))
    except (OSError, TypeError):
        return False
    # A decorator's closure hides the view's own source; its name says POST too.
    return "POST" in source or "require_POST" in getattr(callback, "__qualname__", "")


def form_routes() -> set[str]:
    """Every route in the URL conf whose view accepts a POST."""
    return {name for name, callback in _walk() if _takes_post(callback)}


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # text, textarea, select, radio, checkbox, file, hidden, number, date, ...
    value: str = ""
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class FormTarget:
    """One form as a user was shown it: where it posts and what it asks."""

    route: str
    action: str
    page: str
    username: str  # "" for a signed-out visitor
    fields: tuple[Field, ...]
    multipart: bool


def _fields(form: Any) -> tuple[Field, ...]:
    found: dict[str, Field] = {}
    for element in form.xpath(".//input|.//select|.//textarea|.//button"):
        name = element.get("name")
        if not name:
            continue
        tag = element.tag
        if tag == "select":
            options = tuple(o.get("value", o.text_content()) for o in element.xpath(".//option"))
            found[name] = Field(name, "select", options[0] if options else "", options)
        elif tag == "textarea":
            found[name] = Field(name, "textarea", element.text_content())
        else:
            kind = "submit" if tag == "button" else (element.get("type") or "text").lower()
            value = element.get("value", "on" if kind in ("checkbox", "radio") else "")
            earlier = found.get(name)
            options = (earlier.options if earlier else ()) + (value,)
            found[name] = Field(name, kind, value, options)
    return tuple(found.values())


def forms_on(page_url: str, html: bytes, username: str) -> Iterator[FormTarget]:
    """The POST forms on a page, with the route each posts to."""
    try:
        document = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return
    forms = cast(list[Any], document.xpath("//form"))
    for form in forms:
        if (form.get("method") or "get").lower() != "post":
            continue
        action = urldefrag(urljoin(page_url, form.get("action") or page_url))[0]
        route = _route_of(action)
        if route is None:
            continue
        multipart = (form.get("enctype") or "").lower() == "multipart/form-data"
        fields = _fields(form)
        yield FormTarget(route, action, page_url, username, fields, multipart)
        yield from _scripted(form, page_url, username, fields)


def _scripted(
    form: Any, page_url: str, username: str, fields: tuple[Field, ...]
) -> Iterator[FormTarget]:
    """What the page's draft script posts from a form's marked boxes (frontend/js/drafts.js:
    the form's CSRF token, the box's kind and its text), as a form of its own: the script's
    endpoint is fuzzed like any other form, with the page's own token."""
    token = tuple(f for f in fields if f.name == "csrfmiddlewaretoken")
    boxes = cast(list[Any], form.xpath(".//*[@data-draft-url]"))
    for url in dict.fromkeys(box.get("data-draft-url") for box in boxes):
        marked = [box for box in boxes if box.get("data-draft-url") == url]
        action = urljoin(page_url, url)
        route = _route_of(action)
        if route is None:
            continue
        texts = tuple(box.get("value") or box.text_content() for box in marked)
        scripted = (
            Field("kind", "hidden", marked[0].get("data-draft-kind") or ""),
            Field("text", "select" if len(texts) > 1 else "textarea", texts[0], texts),
        )
        yield FormTarget(route, action, page_url, username, token + scripted, False)


def _route_of(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.netloc not in ("", "testserver"):
        return None
    try:
        return resolve(parts.path).view_name
    except Resolver404:
        return None


def _links(page_url: str, html: bytes) -> Iterator[str]:
    try:
        document = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return
    hrefs = cast(list[str], document.xpath("//a/@href"))
    for href in hrefs:
        url = urldefrag(urljoin(page_url, href))[0]
        parts = urlsplit(url)
        if parts.netloc in ("", "testserver") and parts.path.startswith("/"):
            yield parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass
class CrawlResult:
    targets: dict[str, list[FormTarget]] = field(default_factory=dict)
    pages: int = 0


def crawl(
    clients: dict[str, Client],
    starts: dict[str, list[str]],
    patience: int = 2,
    most_pages_per_route: int = 25,
    forms_per_route: int = 3,
    posts: dict[str, list[tuple[str, dict[str, Any]]]] | None = None,
) -> CrawlResult:
    """Follow each client's links from its start pages, reading the forms it is shown.

    Pages of one route (a child's casework page, say) are fetched while they keep showing
    forms not seen before: after `patience` pages of a route that showed nothing new, or
    `most_pages_per_route` in all, that user follows no more links to it. So the crawl is
    bounded by the URL conf, not by the size of the council.

    A form shown only in the answer to a post (a file's preview, with the form to confirm
    it) is read from that answer: `posts` gives, by username, what to send where, each
    post rolled back."""
    result = CrawlResult()
    for username, client in clients.items():
        for url, data in (posts or {}).get(username, []):
            with rolled_back():
                response = client.post(url, data)
            result.pages += 1
            if response.status_code == 200:
                _keep_forms(result, forms_on(url, response.content, username), forms_per_route)
        queue = deque(starts[username])
        seen_urls: set[str] = set(queue)
        chosen = set(queue)  # start pages are fetched whatever the patience left
        fetched: Counter[str] = Counter()
        fruitless: Counter[str] = Counter()
        while queue:
            url = queue.popleft()
            route = _route_of(url)
            if route is None or route in NOT_FOLLOWED:
                continue
            if url not in chosen and (
                fruitless[route] >= patience or fetched[route] >= most_pages_per_route
            ):
                continue
            fetched[route] += 1
            response = client.get(url)
            result.pages += 1
            if response.status_code in (301, 302) and response["Location"] not in seen_urls:
                seen_urls.add(response["Location"])
                queue.append(response["Location"])
            # A refusal may carry the form to ask (a restricted record's reason page is a 403).
            shown = response.status_code in (200, 403)
            if not shown or "html" not in response.get("Content-Type", ""):
                fruitless[route] += 1
                continue
            if not _keep_forms(result, forms_on(url, response.content, username), forms_per_route):
                fruitless[route] += 1
            for link in _links(url, response.content):
                if link not in seen_urls:
                    seen_urls.add(link)
                    queue.append(link)
    return result


def _keep_forms(result: CrawlResult, found: Iterator[FormTarget], most: int) -> bool:
    """Keep up to `most` forms per route (from different users where there are); say
    whether the page showed a route not seen before."""
    new_route = False
    for target in found:
        kept = result.targets.setdefault(target.route, [])
        new_route = new_route or not kept
        if len(kept) < most and target.action not in {t.action for t in kept}:
            kept.append(target)
    return new_route


# --- What to send ---------------------------------------------------------------------------

ODD_DATES = st.sampled_from(
    [
        "31/02/2024",
        "2024-02-30",
        "0000-00-00",
        "9999-12-31",
        "1-1-1",
        "29/2/2023",
        "yesterday",
        "2024/13/01",
        "01.01.1900",
        "+1000000-01-01",
        "١٢/٠٣/٢٠٢٤",  # Arabic-Indic digits
        "2024-06-01T25:61",
    ]
)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["0", "-1", "1e308", "NaN", "٣", "0x10", "1_000", " 7 ", "2147483648"]),
)
HUGE = st.builds(lambda ch, n: ch * n, st.characters(codec="utf-8"), st.integers(2_000, 200_000))
CONTROL = st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zl", "Zp"]), max_size=20)
JUNK_TEXT = st.one_of(
    st.text(max_size=60),
    CONTROL,
    HUGE,
    NUMBERS,
    ODD_DATES,
    st.just(""),
    st.just("\x00"),
    st.sampled_from(["<script>alert(1)</script>", "'; DROP TABLE x; --", "{{ 7*7 }}", "%s%n"]),
)
JUNK_FILE = st.builds(
    lambda name, body: SimpleUploadedFile(name, body),
    st.text(min_size=1, max_size=40).filter(lambda n: "/" not in n and "\\" not in n)
    | st.sampled_from(["x.csv", "x.xml", "x.xlsx", "x.pdf", ".csv", "a" * 300 + ".csv"]),
    st.binary(max_size=2_000)
    | st.sampled_from(
        [b"", b"\xff\xfe\x00", b"a,b,c\n1,2", b"<?xml version='1.0'?><x>", b"PK\x03\x04"]
    ),
)


def _plausible(f: Field) -> st.SearchStrategy[Any]:
    """A value the page itself would send, so that most examples get past the first check
    and reach the rules behind it."""
    name = f.name.lower()
    if f.kind == "file":
        return JUNK_FILE
    if f.options and f.kind in ("select", "radio", "checkbox", "submit"):
        return st.sampled_from(f.options)
    if name.endswith("day"):
        return st.integers(0, 32).map(str)
    if name.endswith("month"):
        return st.integers(0, 13).map(str)
    if name.endswith("year"):
        return st.integers(1899, 2031).map(str)
    if f.kind in ("hidden", "submit") or f.value:
        return st.just(f.value)
    if f.kind == "number":
        return st.integers(-5, 500).map(str)
    if f.kind == "date":
        return st.dates().map(str)
    return st.text(alphabet=st.characters(codec="ascii", categories=["L", "N", "Zs"]), max_size=30)


MISSING = object()


def _junk(f: Field) -> st.SearchStrategy[Any]:
    several = st.lists(st.one_of(_plausible(f), JUNK_TEXT), min_size=2, max_size=4)
    return st.one_of(JUNK_TEXT, st.just(MISSING), several, JUNK_FILE)


def _one_wrong(target: FormTarget) -> st.SearchStrategy[dict[str, Any]]:
    """What the page would send with one field wrong: reaches the rules behind the form."""
    plausible = {f.name: _plausible(f) for f in target.fields if f.name != "csrfmiddlewaretoken"}
    if not plausible:
        return st.fixed_dictionaries({})
    names = sorted(plausible)

    def with_one_wrong(index: int) -> st.SearchStrategy[dict[str, Any]]:
        wrong = next(f for f in target.fields if f.name == names[index % len(names)])
        return st.fixed_dictionaries({**plausible, wrong.name: _junk(wrong)})

    return st.one_of(st.fixed_dictionaries(plausible), st.integers(0, 50).flatmap(with_one_wrong))


def _anything(target: FormTarget) -> st.SearchStrategy[dict[str, Any]]:
    """Each field plausible, junk, repeated or missing, with extra fields besides."""
    fields = st.fixed_dictionaries(
        {
            f.name: st.one_of(_plausible(f), _junk(f))
            for f in target.fields
            if f.name != "csrfmiddlewaretoken"
        }
    )
    extras = st.dictionaries(
        st.text(min_size=1, max_size=20).filter(lambda k: k != "csrfmiddlewaretoken"),
        JUNK_TEXT,
        max_size=3,
    )
    return st.builds(lambda given, extra: {**extra, **given}, fields, extras)


def form_data(target: FormTarget) -> st.SearchStrategy[dict[str, Any]]:
    """A whole submission (the CSRF token kept, so it reaches the view)."""
    token = {f.name: f.value for f in target.fields if f.name == "csrfmiddlewaretoken"}
    return st.one_of(_one_wrong(target), _anything(target)).map(
        lambda data: {**{k: v for k, v in data.items() if v is not MISSING}, **token}
    )


# --- Sending it -----------------------------------------------------------------------------


@dataclass
class Outcome:
    """What the fuzzer got back from one form."""

    route: str
    action: str
    username: str
    statuses: Counter[int] = field(default_factory=Counter)
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def inputs(self) -> int:
        return sum(self.statuses.values())


def _describe(value: Any) -> Any:
    if isinstance(value, SimpleUploadedFile):
        value.seek(0)
        return {"file": value.name, "bytes": value.read()[:200].hex()}
    if isinstance(value, list):
        return [_describe(v) for v in value]
    if isinstance(value, str) and len(value) > 300:
        return {"repeat": value[:1], "times": len(value)} if len(set(value)) == 1 else value[:300]
    return value


@contextmanager
def rolled_back() -> Iterator[None]:
    """A transaction rolled back at the end, marked as Django's TestCase marks its own, so
    that a view's durable block (the outermost in production) may open inside it."""
    atomic = transaction.atomic()
    atomic._from_testcase = True  # type: ignore[attr-defined]
    with atomic:
        yield
        transaction.set_rollback(True)


def _post(client: Client, target: FormTarget, data: dict[str, Any]) -> tuple[int, str]:
    """Post one submission inside a transaction rolled back afterwards. An exception the
    view lets escape is what a user would see as a server error: reported as 500."""
    cookies = copy.deepcopy(client.cookies)  # signing out or in must not end the session
    try:
        with rolled_back():
            response = client.post(target.action, data)
        return response.status_code, ""
    except Exception:  # any exception escaping the view is the finding
        return 500, traceback.format_exc(limit=-6)
    finally:
        client.cookies = cookies


def fuzz(
    target: FormTarget,
    client: Client,
    examples: int,
    on_error: Callable[[dict[str, Any]], None] | None = None,
) -> Outcome:
    """Send `examples` generated submissions to one form; record every status."""
    outcome = Outcome(target.route, target.action, target.username)

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(form_data(target))
    def send(data: dict[str, Any]) -> None:
        status, trace = _post(client, target, data)
        outcome.statuses[status] += 1
        if status >= 500:
            error = {
                "route": target.route,
                "action": target.action,
                "user": target.username,
                "status": status,
                "data": {k: _describe(v) for k, v in data.items()},
                "traceback": trace,
            }
            outcome.errors.append(error)
            if on_error:
                on_error(error)

    send()
    return outcome
