"""A smoke test of a running SafeHub through its proxy, as a browser without JavaScript
would use it: readiness, a staff sign-in (password, then the current TOTP code), a page and
its assets, and a report from the public form. tests/deploy runs it against `make
serve-prod`'s stack; against any demo deployment:

    python scripts/smoke_prod.py https://127.0.0.1:8443/ --cafile var/prod/tls/cert.pem \\
        --username social.worker --password ... --code 123456

Prints what it checked and exits non-zero at the first thing that is wrong."""

import argparse
import http.cookiejar
import json
import re
import ssl
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from typing import Any

# The public form's answers, page by page (as src/safehub/frontdoor/tests/test_public_report.py
# gives them); a page the answers skip is not asked.
PUBLIC_REPORT = {
    "child": {
        "given_name": "Smoke",
        "family_name": "Test",
        "date_of_birth-day": "3",
        "date_of_birth-month": "4",
        "date_of_birth-year": "2015",
        "age_description": "",
    },
    "address": {"address_line_1": "1 Proxy Lane", "town": "Testford", "postcode": "TE1 4AB"},
    "what-happened": {"concern_summary": "A smoke test of the production stack, not a worry."},
    "danger": {"in_danger_now": "no"},
    "about-you": {"relationship": "acquaintance", "give_name": "no"},
}


class SmokeFailure(AssertionError):
    pass


@dataclass
class Page:
    status: int
    url: str
    headers: Message
    text: str

    def json(self) -> dict[str, Any]:
        return dict(json.loads(self.text))

    def field(self, name: str) -> str:
        found = re.search(rf'name="{re.escape(name)}" value="([^"]+)"', self.text)
        if not found:
            raise SmokeFailure(f"{self.url} has no {name} field")
        return found.group(1)


class Browser:
    """Cookies, TLS against the stack's certificate, redirects followed."""

    def __init__(self, base: str, cafile: str | None) -> None:
        self.base = base.rstrip("/")
        context = ssl.create_default_context(cafile=cafile)
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=context),
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
        )

    def get(self, path: str) -> Page:
        return self._open(urllib.request.Request(self.base + path))  # noqa: S310

    def post(self, path: str, data: dict[str, str]) -> Page:
        body = urllib.parse.urlencode(data).encode()
        # Django checks a secure POST's Origin against the host it was sent to.
        headers = {"Origin": self.base, "Content-Type": "application/x-www-form-urlencoded"}
        request = urllib.request.Request(  # noqa: S310
            self.base + path, body, headers, method="POST"
        )
        return self._open(request)

    def _open(self, request: urllib.request.Request) -> Page:
        try:
            with self.opener.open(request, timeout=30) as response:
                return Page(response.status, response.url, response.headers, _text(response))
        except urllib.error.HTTPError as error:
            return Page(error.code, error.url, error.headers, _text(error))


def _text(response: object) -> str:
    return response.read().decode(errors="replace")  # type: ignore[attr-defined]


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


def check_ready(browser: Browser) -> Page:
    page = browser.get("/readyz")
    expect(page.status == 200, f"/readyz answered {page.status}: {page.text[:500]}")
    body = page.json()
    for check in ("database", "cache", "queue"):
        expect(body.get(check, {}).get("status") == "ok", f"/readyz: {check} is not ok: {body}")
    return page


def sign_in(browser: Browser, username: str, password: str, code: Callable[[], str]) -> Page:
    form = browser.get("/sign-in/")
    expect(form.status == 200, f"the sign-in page answered {form.status}")
    token = form.field("csrfmiddlewaretoken")
    step = browser.post(
        "/sign-in/", {"csrfmiddlewaretoken": token, "username": username, "password": password}
    )
    expect(step.url.endswith("/sign-in/code/"), f"password not accepted: {step.url} {step.status}")
    home = browser.post(
        "/sign-in/code/", {"csrfmiddlewaretoken": step.field("csrfmiddlewaretoken"), "code": code()}
    )
    expect(home.status == 200, f"after the code: {home.status} at {home.url}")
    expect("/sign-in/" not in home.url, f"the code was not accepted: {home.url}")
    expect("Sign out" in home.text, f"{home.url} does not look signed in")
    return home


def check_assets(browser: Browser, page: Page) -> str:
    """A stylesheet the page links to, from WhiteNoise's hashed copies: cached for a year."""
    found = re.search(r'href="(/static/[^"]+\.css)"', page.text)
    expect(found is not None, f"{page.url} links no stylesheet")
    assert found is not None
    asset = browser.get(found.group(1))
    expect(asset.status == 200, f"{found.group(1)} answered {asset.status}")
    cache = asset.headers.get("Cache-Control", "")
    expect("immutable" in cache, f"{found.group(1)} is not served as immutable: {cache!r}")
    return found.group(1)


def send_public_report(browser: Browser) -> str:
    start = browser.get("/report/")
    expect(start.status == 200, f"/report/ answered {start.status}")
    expect("Report a worry about a child" in start.text, "/report/ is not the public form")
    for page_name, answers in PUBLIC_REPORT.items():
        form = browser.get(f"/report/{page_name}/")
        token = form.field("csrfmiddlewaretoken")
        after = browser.post(f"/report/{page_name}/", {"csrfmiddlewaretoken": token, **answers})
        expect(after.status == 200, f"/report/{page_name}/ answered {after.status}")
        expect(
            not after.url.endswith(f"/report/{page_name}/"),
            f"/report/{page_name}/ did not accept its answers: {after.text[:1500]}",
        )
    check = browser.get("/report/check-your-answers/")
    sent = browser.post(
        "/report/send/",
        {"csrfmiddlewaretoken": check.field("csrfmiddlewaretoken"), "token": check.field("token")},
    )
    expect(sent.url.endswith("/report/sent/"), f"the report was not sent: {sent.url}")
    reference = re.search(r'class="sh-reference">([^<]+)<', sent.text)
    expect(reference is not None, "the confirmation page gives no reference")
    assert reference is not None
    return reference.group(1)


def smoke(
    base: str, *, cafile: str | None, username: str, password: str, code: Callable[[], str]
) -> dict[str, str]:
    """Run every check; returns what it saw (request ids, the report's reference)."""
    staff = Browser(base, cafile)
    ready = check_ready(staff)
    home = sign_in(staff, username, password, code)
    asset = check_assets(staff, home)
    reference = send_public_report(Browser(base, cafile))
    return {
        "ready_request_id": ready.headers.get("X-Request-ID", ""),
        "home_url": home.url,
        "home_request_id": home.headers.get("X-Request-ID", ""),
        "asset": asset,
        "reference": reference,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("--cafile", help="the certificate to trust (a self-signed stack's)")
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--code", required=True, help="the account's current TOTP code")
    args = parser.parse_args()
    try:
        seen = smoke(
            args.url,
            cafile=args.cafile,
            username=args.username,
            password=args.password,
            code=lambda: str(args.code),
        )
    except SmokeFailure as failure:
        print(f"smoke test failed: {failure}", file=sys.stderr)
        return 1
    for key, value in seen.items():
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
