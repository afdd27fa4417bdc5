"""Page numbers as they come from the address bar (`?page=`). A paged list always answers
with a page that exists: past the end is the last page; zero, negative, or anything that is
not a plain whole number (`abc`, `1.5`, `1e30`, `٣`) is the first. Selectors take the raw
value and clamp it here, so every page and caller gets the same answer, never an error."""

import re
from typing import Any

_DIGITS = re.compile(r"[0-9]+")
# Far beyond any list's last page, and small enough for any database's OFFSET arithmetic.
_FAR = 10**12


def requested_page(raw: Any) -> int:
    """The page asked for: 1 or more, and at most _FAR (any longer number is past the end)."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return min(max(1, raw), _FAR)
    text = str(raw if raw is not None else "").strip()
    if not _DIGITS.fullmatch(text):
        return 1
    digits = text.lstrip("0") or "0"
    return _FAR if len(digits) > len(str(_FAR)) else min(max(1, int(digits)), _FAR)


def page_number(raw: Any, *, pages: int) -> int:
    """The page to show of `pages` (a list with none still has one, empty, page)."""
    return min(requested_page(raw), max(1, pages))
