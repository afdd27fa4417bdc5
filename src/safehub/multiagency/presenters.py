"""Turns the multi-agency chronology's selectors into what its pages show: timeline items
with their key-event tag, analysis and notes link, (pagination is `ui.pagination`).
Display only; no queries."""

from typing import Any
from urllib.parse import urlencode

from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

from safehub.multiagency.selectors import Line
from safehub.people.presenters import occurred_text, recorded_text


def timeline_items(
    lines: list[Line], *, person_id: int, with_notes: bool, return_to: str = ""
) -> list[dict[str, Any]]:
    return [_item(line, person_id, with_notes, return_to) for line in lines]


def _item(line: Line, person_id: int, with_notes: bool, return_to: str) -> dict[str, Any]:
    entry = line.entry
    when = localtime(entry.occurred_at)
    title = entry.type_label
    return {
        "title": f"Key event: {title}" if line.key_event else title,
        "byline": ", ".join(p for p in (entry.doer, entry.source_agency_name) if p) or None,
        "datetime": when.isoformat() if entry.time_known else when.date().isoformat(),
        "date_text": occurred_text(entry),
        "description_html": _description(line, person_id, with_notes, return_to),
    }


def _description(line: Line, person_id: int, with_notes: bool, return_to: str) -> SafeString:
    entry = line.entry
    parts = [
        format_html(
            '{}{}<p class="govuk-body">{}</p><p class="govuk-body-s">Significance: {}<br>{}</p>',
            format_html(
                '<p class="govuk-body-s"><strong>Concerns: {}</strong></p>', ", ".join(line.whose)
            )
            if line.whose
            else "",
            mark_safe('<strong class="govuk-tag govuk-tag--red">Restricted</strong>')
            if entry.restricted
            else "",
            linebreaksbr(line.summary),
            entry.significance_label,
            recorded_text(entry),
        )
    ]
    if with_notes:
        if line.analyses:
            parts.append(
                format_html(
                    '<div class="govuk-inset-text">{}</div>',
                    format_html_join(
                        "",
                        '<p class="govuk-body-s"><strong>Analysis by {}</strong><br>{}</p>',
                        ((n.author_name, linebreaksbr(n.analysis)) for n in line.analyses),
                    ),
                )
            )
        note_url = reverse("multiagency:entry-note", args=[person_id, entry.id])
        if return_to:
            note_url = f"{note_url}?{urlencode({'next': return_to})}"
        parts.append(
            format_html(
                '<p class="govuk-body-s"><a class="govuk-link" href="{}">'
                'Mark as key event or add analysis<span class="govuk-visually-hidden">'
                " for {} on {}</span></a></p>",
                note_url,
                entry.type_label,
                occurred_text(entry),
            )
        )
    return format_html_join("", "{}", ((p,) for p in parts))


def hidden_text(count: int, what: str) -> str:
    """'3 entries hidden' in words a reader understands."""
    return f"{count} entr{'y' if count == 1 else 'ies'} hidden: {what}"
