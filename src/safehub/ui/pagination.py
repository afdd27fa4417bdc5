"""GOV.UK pagination for a paged list: the first and last pages, the pages either side of the
current one, ellipses between, and previous and next; every link keeps the reader's filter."""

from typing import Any
from urllib.parse import urlencode


def pagination(
    base: str, query: dict[str, Any], *, page: int, pages: int, label: str = "Pages"
) -> dict[str, Any]:
    """GOV.UK pagination whose links keep the reader's filter; `label` names the landmark."""

    def href(number: int) -> str:
        return f"{base}?{urlencode({**query, 'page': number}, doseq=True)}"

    shown = sorted({1, pages, page - 1, page, page + 1})
    items: list[dict[str, Any]] = []
    previous = 0
    for number in (n for n in shown if 1 <= n <= pages):
        if number - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": href(number), "current": number == page})
        previous = number
    context: dict[str, Any] = {"items": items, "landmarkLabel": label}
    if page > 1:
        context["previous"] = {"href": href(page - 1)}
    if page < pages:
        context["next"] = {"href": href(page + 1)}
    return context
