"""Turns what selectors return into what the person page shows: labels, the timeline items
and the pagination links. Display only; no queries."""

from typing import Any

from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.html import format_html
from django.utils.timezone import localtime

from safehub.core.identifiers import format_nhs_number
from safehub.people.codes import INVERSE, Disability, RelationshipType, UpnUnknown
from safehub.ui.jinja2 import govuk_date, govuk_datetime


def person_page_context(person: Any, chronology: Any) -> dict[str, Any]:
    return {
        "nhs_display": format_nhs_number(person.nhs_number),
        "upn_unknown_label": UpnUnknown(person.upn_unknown).label if person.upn_unknown else "",
        "disability_labels": ", ".join(Disability(c).label for c in person.disabilities or []),
        "inverse_labels": {t: RelationshipType(INVERSE[t]).label for t in INVERSE},
        "timeline_items": [_timeline_item(e) for e in chronology.entries],
        "pagination": _pagination(person, chronology),
    }


def _timeline_item(entry: Any) -> dict[str, Any]:
    when = localtime(entry.occurred_at)
    return {
        "title": entry.type_label,
        # Who did it, for which agency; the timeline macro writes "by " before it.
        "byline": ", ".join(p for p in (entry.doer, entry.source_agency_name) if p) or None,
        "datetime": when.isoformat() if entry.time_known else when.date().isoformat(),
        "date_text": occurred_text(entry),
        "description_html": format_html(
            '<p class="govuk-body">{}</p><p class="govuk-body-s">Significance: {}<br>{}</p>',
            linebreaksbr(entry.summary),
            entry.significance_label,
            recorded_text(entry),
        ),
    }


def occurred_text(entry: Any) -> str:
    """When it happened, to the minute; an event known only by its date says so."""
    if entry.time_known:
        return govuk_datetime(entry.occurred_at)
    return f"{govuk_date(entry.occurred_at)} (time not recorded)"


def recorded_text(entry: Any) -> str:
    """Who entered it in SafeHub and when, apart from who did it."""
    by = f" by {entry.recorder_name}" if entry.recorder_name else ""
    return f"Recorded{by} on {govuk_datetime(entry.recorded_at)}"


def _pagination(person: Any, chronology: Any) -> dict[str, Any]:
    base = reverse("people:person-detail", args=[person.pk])

    def href(page: int) -> str:
        return f"{base}?page={page}#chronology"

    pages = chronology.pages
    shown = sorted({1, pages, chronology.page - 1, chronology.page, chronology.page + 1})
    items: list[dict[str, Any]] = []
    previous = 0
    for number in (n for n in shown if 1 <= n <= pages):
        if number - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": href(number), "current": number == chronology.page})
        previous = number
    context: dict[str, Any] = {"items": items, "landmarkLabel": "Chronology pages"}
    if chronology.page > 1:
        context["previous"] = {"href": href(chronology.page - 1)}
    if chronology.page < pages:
        context["next"] = {"href": href(chronology.page + 1)}
    return context


def timeline_items(chronology: Any) -> list[dict[str, Any]]:
    """One chronology page as MoJ timeline items (for pages other than the person's)."""
    return [_timeline_item(e) for e in chronology.entries]
