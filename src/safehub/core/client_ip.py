"""The client's address, for the audit trail, the public form's rate limits and sign-in
lockouts: one answer for all three.

Behind reverse proxies the connection comes from the nearest proxy (REMOTE_ADDR) and the
client's address is in X-Forwarded-For, to which each proxy appends the address it was
connected from. Only the entries the council's own proxies appended can be believed:
everything to their left came from the client and may be invented. So with
TRUSTED_PROXY_COUNT = N the client is the N-th entry from the right, whatever the client
put before it. With 0 (the default, no proxy) the header is ignored and REMOTE_ADDR is the
client. The header is read by python-ipware, not by hand.

If the header is missing, shorter than N or cannot be read (a client can send a malformed
one that the proxy then appends to), the answer is REMOTE_ADDR, the nearest proxy: never an
address the client wrote. That is logged on `safehub.security`. Configuring the outermost
proxy to replace X-Forwarded-For rather than append to it removes the case.
"""

import logging
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from python_ipware import IpWare

logger = logging.getLogger("safehub.security")

HEADER = "HTTP_X_FORWARDED_FOR"


@lru_cache(maxsize=4)
def _ipware(trusted_proxies: int) -> IpWare:
    # python-ipware counts the proxies listed in the header, that is every trusted proxy
    # but the nearest one (whose address is REMOTE_ADDR); only this one header is read.
    return IpWare(precedence=(HEADER,), proxy_count=trusted_proxies - 1)


def client_ip(request: HttpRequest) -> str:
    """The client's address as a string ("" only if the server gave none)."""
    remote = request.META.get("REMOTE_ADDR") or ""
    trusted = int(settings.TRUSTED_PROXY_COUNT)
    if trusted <= 0:
        return remote
    found, _route = _ipware(trusted).get_client_ip(request.META, strict=False)
    if found is None:
        if request.META.get(HEADER):
            logger.warning(
                "X-Forwarded-For could not be read behind %d trusted proxies; using the "
                "nearest proxy's address %s (header %r)",
                trusted,
                remote,
                request.META[HEADER][:200],
            )
        return remote
    return str(found)
