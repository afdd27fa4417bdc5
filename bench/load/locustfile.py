"""Who uses SafeHub at once, as Locust users: social workers, the MASH, partner agencies'
systems and members of the public. Each staff member signs in once (password, then the
current TOTP code of their own account) and then works through a journey with think time
between pages, as a person at a desk does.

Settings come from the environment (bench/load/run.py sets them):
    LOAD_PLAN    the plan bench/load/accounts.py wrote (accounts, children, contacts, tokens)
    LOAD_CAFILE  the stack's certificate to trust (a self-signed one here)
    LOAD_LEDGER  a file each acknowledged write is appended to, one JSON object a line, so a
                 fault run can prove afterwards that nothing acknowledged was lost
    LOAD_THINK   think time in seconds as "low,high" (default 5,20: a worker reading a page)

    locust -f bench/load/locustfile.py --headless -u 20 -r 5 -t 60s --host https://...

Request names group the URLs by page, so each line of the results is one kind of request."""

# Locust patches the standard library for gevent; it must come before everything else.
from locust import FastHttpUser, HttpUser, between, task  # isort: skip

import itertools
import json
import os
import random
import re
import threading
import time
import uuid
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import gevent
import gevent.ssl
from django_otp.oath import totp
from requests.adapters import HTTPAdapter

PLAN: dict[str, Any] = (
    json.loads(Path(os.environ["LOAD_PLAN"]).read_text()) if os.environ.get("LOAD_PLAN") else {}
)
CAFILE = os.environ.get("LOAD_CAFILE") or True
LEDGER = os.environ.get("LOAD_LEDGER", "")
THINK = tuple(float(x) for x in os.environ.get("LOAD_THINK", "5,20").split(","))
_ledger_lock = threading.Lock()
# How many staff have signed in so far: a step is measured once all of them have.
SIGNED_IN = {"count": 0}
# Each account is signed in by one simulated user only (a TOTP code works once a step).
_next = {kind: itertools.count() for kind in ("workers", "mash", "partners")}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
IDEMPOTENCY = re.compile(r'name="idempotency_key"[^>]*value="([^"]+)"')
REFERENCE = re.compile(r'class="sh-reference">([^<]+)<')


def acknowledged(kind: str, **facts: Any) -> None:
    """Write down what the server said it saved, to be looked for after a fault."""
    if not LEDGER:
        return
    line = json.dumps({"kind": kind, **facts})
    with _ledger_lock, open(LEDGER, "a") as ledger:
        ledger.write(line + "\n")


def sign_in_code(key_hex: str) -> str:
    return f"{totp(bytes.fromhex(key_hex)):06d}"


def field(pattern: re.Pattern[str], text: str | None) -> str:
    found = pattern.search(text or "")
    return found.group(1) if found else ""


def server_day(response: Any) -> date:
    """The server's day, from its Date header, so a visit is never dated in its future."""
    header = response.headers.get("Date")
    return parsedate_to_datetime(header).date() if header else datetime.now().date()  # noqa: DTZ005


def date_fields(name: str, day: date) -> dict[str, str]:
    return {
        f"{name}-day": str(day.day),
        f"{name}-month": str(day.month),
        f"{name}-year": str(day.year),
    }


def _trusting_the_stack() -> Any:
    """TLS that trusts the stack's own certificate, not a CA bundle the environment names."""
    if isinstance(CAFILE, str):
        return gevent.ssl.create_default_context(cafile=CAFILE)
    return gevent.ssl.create_default_context()


class Forms:
    """What every simulated person does between and on pages."""

    client: Any

    def think(self) -> None:
        self.wait()  # type: ignore[attr-defined]

    def post_form(self, path: str, page_text: str, data: dict[str, str], name: str) -> Any:
        token = field(CSRF, page_text)
        return self.client.post(path, {"csrfmiddlewaretoken": token, **data}, name=name)


class SafeHubUser(Forms, HttpUser):
    """A person whose connections come from an address of their own (requests can bind one;
    geventhttpclient cannot)."""

    abstract = True
    wait_time = between(*THINK)

    def on_start(self) -> None:
        self.client.trust_env = False
        self.client.verify = CAFILE
        # Django checks a secure POST's Origin against the host it was sent to.
        self.client.headers["Origin"] = self.host.rstrip("/")


class FastSafeHubUser(Forms, FastHttpUser):
    """Staff and partner systems, on Locust's geventhttpclient client: several times less
    CPU per request than requests, and Locust shares the two cores with the stack it
    measures."""

    abstract = True
    wait_time = between(*THINK)
    insecure = False
    ssl_context_factory = staticmethod(_trusting_the_stack)

    def __init__(self, environment: Any) -> None:
        # Django checks a secure POST's Origin against the host it was sent to.
        self.default_headers = {"Origin": (self.host or environment.host or "").rstrip("/")}
        super().__init__(environment)


class StaffUser(FastSafeHubUser):
    abstract = True
    kind = ""

    def on_start(self) -> None:
        accounts = PLAN[self.kind]
        account = accounts[next(_next[self.kind]) % len(accounts)]
        self.account = account
        self.sign_in()

    def sign_in(self) -> None:
        username = self.account["username"]
        key = self.account["key"]
        form = self.client.get("/sign-in/", name="sign-in")
        step = self.post_form(
            "/sign-in/", form.text, {"username": username, "password": PLAN["password"]}, "sign-in"
        )
        with self.client.post(
            "/sign-in/code/",
            {"csrfmiddlewaretoken": field(CSRF, step.text), "code": sign_in_code(key)},
            name="sign-in",
            catch_response=True,
        ) as home:
            self.signed_in = "/sign-in/" not in (home.url or "/sign-in/") and (
                "Sign out" in (home.text or "")
            )
            if not self.signed_in:
                home.failure(f"{username} was not signed in ({home.status_code} at {home.url})")
            elif not getattr(self, "counted", False):
                self.counted = True
                SIGNED_IN["count"] += 1

    def sign_in_again(self) -> None:
        """After a failed sign-in, wait for the next code: a code is accepted once, and
        wrong ones count towards the account's lockout."""
        gevent.sleep(30 - time.time() % 30 + 1)
        self.sign_in()

    def page(self, path: str, name: str) -> Any:
        """A signed-in page; being sent to sign in again counts as a failure."""
        with self.client.get(path, name=name, catch_response=True) as response:
            if "/sign-in/" in (response.url or ""):
                response.failure(f"sent to sign in again from {path}")
                self.signed_in = False
        return response

    def round_of_pages(self, steps: list[Any]) -> None:
        """One round of a person's work, with think time between pages. The first round
        after signing in starts at a random page of it: people at their desks are at
        different points of their work. Starting everyone at the first page kept the load
        test's users in step: sign-ins queued behind each other during a ramp ended together,
        and from then on hundreds of users asked for the same kind of page at once, the
        cheap ones and then the costly ones, in a wave as long as the round."""
        start = random.randrange(len(steps)) if not getattr(self, "begun", False) else 0
        self.begun = True
        for number, step in enumerate(steps[start:]):
            if number:
                self.think()
            step()

    def search(self) -> Any:
        page = self.page("/people/", "search")
        name = random.choice(PLAN["names"])
        return self.post_form("/people/", page.text, {"name": name}, "search")


class SocialWorker(StaffUser):
    """My work, a search, a child's record and casework, then a visit and a case note, each
    typed with the page autosaving the draft as they go."""

    weight = 6
    kind = "workers"

    @task
    def day_at_the_desk(self) -> None:
        if not self.signed_in:  # a sign-in that failed under load is tried again
            self.sign_in_again()
            return
        child = random.choice(self.account["children"])
        self.round_of_pages(
            [
                lambda: self.page("/my-work/", "my work"),
                self.search,
                lambda: self.page(f"/people/{child}/", "person page"),
                lambda: self.page(f"/children/{child}/casework/", "casework page"),
                lambda: self.record("visit", child),
                lambda: self.record("note", child),
            ]
        )

    def record(self, kind: str, child: int) -> None:
        base = f"/children/{child}/casework/"
        form = self.page(f"{base}{kind}s/new/", f"{kind} form")
        marker = f"load-{uuid.uuid4().hex[:12]}"
        text = f"Seen at home; all well. {marker}"
        csrf = field(CSRF, form.text)
        for typed in (text[: len(text) // 2], text):  # the draft script saves as they type
            self.client.post(
                f"{base}draft/",
                {"csrfmiddlewaretoken": csrf, "kind": kind, "text": typed},
                name="autosave",
                headers={"X-CSRFToken": csrf},
            )
            self.wait()
        answers = (
            {**date_fields("visited_on", server_day(form) - timedelta(days=1)), "seen": "alone"}
            | {"note": text}
            if kind == "visit"
            else {"text": text}
        )
        answers["idempotency_key"] = field(IDEMPOTENCY, form.text)
        with self.client.post(
            f"{base}{kind}s/new/",
            {"csrfmiddlewaretoken": csrf, **answers},
            name=f"record {kind}",
            catch_response=True,
        ) as saved:
            if saved.status_code != 200 or not (saved.url or "").endswith(base):
                saved.failure(f"{kind} not saved: {saved.status_code} at {saved.url}")
            else:
                acknowledged(kind, child=child, marker=marker)


class MashWorker(StaffUser):
    """The MASH queue, a contact, a search for the family, a record."""

    weight = 2
    kind = "mash"

    @task
    def triage(self) -> None:
        if not self.signed_in:
            self.sign_in_again()
            return
        reference = random.choice(PLAN["contacts"])
        self.round_of_pages(
            [
                lambda: self.page("/mash/", "MASH queue"),
                lambda: self.page(f"/mash/contacts/{reference}/", "contact page"),
                self.search_and_open,
            ]
        )

    def search_and_open(self) -> None:
        page = self.search()
        self.think()
        person = re.search(r'href="/people/(\d+)/"', page.text or "")
        if person:
            self.page(f"/people/{person.group(1)}/", "person page")


class PartnerFeed(FastSafeHubUser):
    """A partner agency's system sending its events by API token, a few at a time."""

    weight = 1

    def on_start(self) -> None:
        feeds = PLAN["partners"]
        feed = feeds[next(_next["partners"]) % len(feeds)]
        self.authorization = f"Bearer {feed['token']}"
        self.username = feed["username"]

    @task
    def send_events(self) -> None:
        today = datetime.now().date()  # noqa: DTZ005 - the sender's clock, as a real feed's
        events = [
            {
                "event_id": f"load-{uuid.uuid4().hex}",
                "type": "dsl_welfare_concern",
                "occurred_at": today.isoformat(),
                "nhs_number": random.choice(PLAN["nhs_numbers"]),
                "summary": "Came to school without a coat again; said the heating is off.",
                "significance": "medium",
            }
            for _ in range(random.randint(1, 5))
        ]
        with self.client.post(
            "/api/v1/partner-events",
            json={"events": events},
            headers={"Authorization": self.authorization},
            name="partner events API",
            catch_response=True,
        ) as answer:
            if answer.status_code != 200:
                answer.failure(f"{answer.status_code}: {answer.text[:200]}")
                return
            try:
                results = answer.json()["results"]
            except (ValueError, KeyError):
                answer.failure(f"not the API's answer: {answer.text[:200]}")
                return
            if any(r["outcome"] != "accepted" for r in results):
                answer.failure(f"not every event accepted: {results}")
                return
            for event in events:
                acknowledged("partner_event", event_id=event["event_id"], sender=self.username)


class _FromAddress(HTTPAdapter):
    """Connections from one loopback address: each member of the public is somewhere else,
    as the public form's per-address rate limits expect."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


# The public form's answers, page by page (as scripts/smoke_prod.py sends them).
PUBLIC_PAGES = [
    (
        "child",
        lambda: {
            "given_name": random.choice(["Ava", "Leo", "Maya", "Noah", "Isla", "Kai"]),
            "family_name": random.choice(["Brook", "Hale", "Marsh", "Okoro", "Patel", "Quinn"]),
            **date_fields(
                "date_of_birth", date(2012, 1, 1) + timedelta(days=random.randint(0, 3000))
            ),
            "age_description": "",
        },
    ),
    (
        "address",
        lambda: {"address_line_1": "1 Test Row", "town": "Testford", "postcode": "TE1 4AB"},
    ),
    (
        "what-happened",
        lambda: {"concern_summary": "Heard shouting and a child crying late at night."},
    ),
    ("danger", lambda: {"in_danger_now": "no"}),
    ("about-you", lambda: {"relationship": "acquaintance", "give_name": "no"}),
]


class PublicReporter(SafeHubUser):
    """A member of the public reporting a worry on /report/, from their own address."""

    weight = 1
    wait_time = between(THINK[0] * 2, THINK[1] * 2)

    @task
    def report_a_worry(self) -> None:
        self.client.cookies.clear()
        address = f"127.{random.randint(1, 254)}.{random.randint(0, 255)}.{random.randint(1, 254)}"
        self.client.mount("https://", _FromAddress(address))
        self.client.get("/report/", name="public form page")
        for page, answers in PUBLIC_PAGES:
            form = self.client.get(f"/report/{page}/", name="public form page")
            with self.client.post(
                f"/report/{page}/",
                {"csrfmiddlewaretoken": field(CSRF, form.text), **answers()},
                name="public form page",
                catch_response=True,
            ) as answered:
                if (answered.url or f"/report/{page}/").endswith(f"/report/{page}/"):
                    answered.failure(f"/report/{page}/ did not take its answers")
            self.wait()
        check = self.client.get("/report/check-your-answers/", name="public form page")
        token = re.search(r'name="token" value="([^"]+)"', check.text)
        with self.client.post(
            "/report/send/",
            {
                "csrfmiddlewaretoken": field(CSRF, check.text),
                "token": token.group(1) if token else "",
            },
            name="public report sent",
            catch_response=True,
        ) as sent:
            reference = field(REFERENCE, sent.text or "")
            if not (sent.url or "").endswith("/report/sent/") or not reference:
                sent.failure(f"no reference: {sent.status_code} at {sent.url}")
            else:
                acknowledged("report", reference=reference)
