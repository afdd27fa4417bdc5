"""Reading one partner event, from the API's JSON or a CSV row, into a clean event or a list
of plain-English problems. The API and the CSV upload both call `parse_event`, so an event
is judged the same whichever way it came.

Values may be anything JSON allows (a CSV row gives text throughout); nothing here raises
for bad input, it says what is wrong.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

from safehub.core.identifiers import clean_nhs_number, clean_postcode, clean_upn
from safehub.core.text import check_characters
from safehub.core.workdays import LONDON
from safehub.partners.codes import BY_CODE, SECTOR_LABELS, Needs, Significance, types_for_kind
from safehub.partners.models import EVENT_ID_MAX, REASON_MAX, SUMMARY_MAX

# Every field an event may carry, in the order the CSV template lists them.
FIELDS = (
    "event_id",
    "type",
    "occurred_at",
    "nhs_number",
    "upn",
    "given_name",
    "family_name",
    "date_of_birth",
    "postcode",
    "summary",
    "significance",
    "restricted",
    "period_start",
    "period_end",
    "attendance_percent",
    "reason",
)
MAX_BATCH = 1000  # events in one API call or one CSV file
REQUIRED = ("event_id", "type", "occurred_at", "summary", "significance")
NAME_MAX = 100
EARLIEST = date(1900, 1, 1)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0", ""}


@dataclass(frozen=True)
class CleanEvent:
    event_id: str
    type: str
    occurred_at: datetime
    time_known: bool
    nhs_number: str
    upn: str
    given_name: str
    family_name: str
    date_of_birth: date | None
    postcode: str
    summary: str
    significance: str
    restricted: bool
    period_start: date | None
    period_end: date | None
    attendance_percent: Decimal | None
    reason: str

    def content_hash(self) -> str:
        """The same event, sent again in any form (JSON or CSV, spaces or none in the NHS
        number), hashes the same; any change to what it says does not."""
        values = {k: (str(v) if v is not None else None) for k, v in self._values().items()}
        return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()

    def model_fields(self) -> dict[str, Any]:
        """The event as `PartnerEvent` keeps it (its id as the partner's event id)."""
        fields = self._values()
        fields["partner_event_id"] = fields.pop("event_id")
        return fields

    def _values(self) -> dict[str, Any]:
        # Every field is a plain value (text, a date, a number), so a shallow copy does what
        # `asdict` does without its deep copies, which were a tenth of receiving an event.
        return {f.name: getattr(self, f.name) for f in dataclass_fields(self)}


@dataclass(frozen=True)
class Parsed:
    event: CleanEvent | None
    problems: list[str]
    event_id: str  # as sent, if it could be read, for the answer ("" otherwise)


def _text(raw: dict[str, Any], field: str, label: str, problems: list[str], limit: int) -> str:
    value = raw.get(field)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        problems.append(f"{label} must be text")
        return ""
    text = " ".join(str(value).split()) if field != "summary" else str(value).strip()
    if len(text) > limit:
        problems.append(f"{label} must be {limit:,} characters or fewer")
        return ""
    try:
        check_characters(text, label=label.lower(), allowed="\t\n\r")
    except ValidationError as error:
        problems.append(error.messages[0])
        return ""
    return text


def _date(value: str, label: str, problems: list[str]) -> date | None:
    if not value:
        return None
    if not _DATE.match(value):
        problems.append(f"{label} must be a date like 2026-11-23")
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        problems.append(f"{label} must be a real date")
        return None
    if day < EARLIEST:
        problems.append(f"{label} must be after 1 January 1900")
        return None
    return day


def _when(value: str, problems: list[str]) -> tuple[datetime | None, bool]:
    """A date (the time not known) or a date and time; a time without an offset is UK time."""
    label = "The date it happened"
    if not value:
        return None, False
    if _DATE.match(value):
        day = _date(value, label, problems)
        return (datetime.combine(day, time(12), tzinfo=LONDON), False) if day else (None, False)
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        problems.append(
            f"{label} must be a date like 2026-11-23 or a date and time like 2026-11-23T14:30:00Z"
        )
        return None, False
    if moment.date() < EARLIEST:
        problems.append(f"{label} must be after 1 January 1900")
        return None, False
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LONDON)
    return moment, True


def _flag(value: Any, problems: list[str]) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    text = str(value).strip().lower() if isinstance(value, str | int) else None
    if text in _YES:
        return True
    if text in _NO:
        return False
    problems.append("Restricted must be yes or no")
    return False


def _percent(value: Any, problems: list[str]) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        problems.append("Attendance percent must be a number from 0 to 100")
        return None
    try:
        number = Decimal(str(value).strip().rstrip("%"))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or not Decimal(0) <= number <= Decimal(100):
        problems.append("Attendance percent must be a number from 0 to 100")
        return None
    return number.quantize(Decimal("0.1"))


def _identifier(value: str, cleaner: Any, problems: list[str]) -> str:
    if not value:
        return ""
    try:
        return str(cleaner(value))
    except ValidationError as error:
        problems.append(error.messages[0])
        return ""


def parse_event(raw: Any, *, agency_kind: str, now: datetime) -> Parsed:
    """One event as its sender gave it, checked against the vocabulary of the sender's kind
    of agency. Problems are whole sentences a partner's administrator can act on."""
    if not isinstance(raw, dict):
        return Parsed(None, ["Each event must be a set of named fields (a JSON object)"], "")
    problems: list[str] = []
    unknown = sorted(str(k)[:40] for k in raw if k not in FIELDS)
    if unknown:
        problems.append(f"SafeHub does not read these fields: {', '.join(unknown)}")
    event_id = _text(raw, "event_id", "The event id", problems, EVENT_ID_MAX)
    t = {f: _text(raw, f, label, problems, limit) for f, label, limit in _TEXT_FIELDS}
    for field in REQUIRED:
        if field == "event_id" and not event_id and raw.get("event_id") in (None, ""):
            problems.append("Enter the event id: your system's own reference for the event")
        elif field != "event_id" and not t.get(field) and raw.get(field) in (None, ""):
            problems.append(f"Enter {_REQUIRED_NAMES[field]}")
    event_type = _event_type(t["type"], agency_kind, problems)
    occurred_at, time_known = _when(t["occurred_at"], problems)
    significance = t["significance"].lower()
    if significance and significance not in Significance.values:
        problems.append("Significance must be low, medium or high")
    nhs_number = _identifier(t["nhs_number"], clean_nhs_number, problems)
    upn = _identifier(t["upn"], clean_upn, problems)
    postcode = _identifier(t["postcode"], clean_postcode, problems)
    born = _date(t["date_of_birth"], "The date of birth", problems)
    restricted = _flag(raw.get("restricted"), problems)
    percent = _percent(raw.get("attendance_percent"), problems)
    start = _date(t["period_start"], "The start of the period", problems)
    end = _date(t["period_end"], "The end of the period", problems)
    _check_identification(t, raw, nhs_number, upn, born, postcode, problems)
    today = now.astimezone(LONDON).date()
    if occurred_at is not None and not time_known and occurred_at.date() <= today:
        # A day without a time is filed at midday, but today's date sent before midday is
        # not in the future: it is filed at the moment it arrived instead.
        occurred_at = min(occurred_at, now)
    if occurred_at is not None and occurred_at > now:
        problems.append("The date it happened cannot be in the future")
    if born is not None and born > today:
        problems.append("The date of birth cannot be in the future")
    pre_birth = event_type is not None and event_type.pre_birth
    if occurred_at and born and not pre_birth and occurred_at.astimezone(LONDON).date() < born:
        problems.append("The date it happened is before the date of birth")
    if event_type is not None:
        _check_needs(event_type, start, end, percent, t["reason"], raw, today, problems)
    if problems or event_type is None or occurred_at is None:
        return Parsed(None, problems or ["The event could not be read"], event_id)
    return Parsed(
        CleanEvent(
            event_id=event_id,
            type=event_type.code,
            occurred_at=occurred_at,
            time_known=time_known,
            nhs_number=nhs_number,
            upn=upn,
            given_name=t["given_name"],
            family_name=t["family_name"],
            date_of_birth=born,
            postcode=postcode,
            summary=t["summary"],
            significance=significance,
            restricted=restricted,
            period_start=start if event_type.needs & Needs.PERIOD else None,
            period_end=end if event_type.needs & Needs.PERIOD else None,
            attendance_percent=percent if event_type.needs & Needs.PERIOD else None,
            reason=t["reason"] if event_type.needs & Needs.REASON else "",
        ),
        [],
        event_id,
    )


_TEXT_FIELDS = (
    ("type", "The type", 60),
    ("occurred_at", "The date it happened", 40),
    ("nhs_number", "The NHS number", 20),
    ("upn", "The UPN", 20),
    ("given_name", "The first name", NAME_MAX),
    ("family_name", "The last name", NAME_MAX),
    ("date_of_birth", "The date of birth", 20),
    ("postcode", "The postcode", 10),
    ("summary", "The summary", SUMMARY_MAX),
    ("significance", "The significance", 10),
    ("period_start", "The start of the period", 20),
    ("period_end", "The end of the period", 20),
    ("reason", "The reason", REASON_MAX),
)
_REQUIRED_NAMES = {
    "type": "the type of event",
    "occurred_at": "the date it happened",
    "summary": "a summary of what happened",
    "significance": "the significance: low, medium or high",
}


def _event_type(code: str, agency_kind: str, problems: list[str]) -> Any:
    if not code:
        return None
    found = BY_CODE.get(code.lower())
    if found is None:
        problems.append(
            f"The type '{code[:40]}' is not one SafeHub knows; the template lists the types"
        )
        return None
    if found not in types_for_kind(agency_kind):
        problems.append(
            f"Your agency cannot send '{found.label}': only "
            f"{SECTOR_LABELS[found.sector].lower()} agencies send it"
        )
        return None
    return found


def _check_identification(
    t: dict[str, str],
    raw: dict[str, Any],
    nhs_number: str,
    upn: str,
    born: date | None,
    postcode: str,
    problems: list[str],
) -> None:
    """Who it is about: an NHS number, a UPN, or a first and last name with date of birth
    and postcode. A bad identifier is already a problem of its own."""
    if nhs_number or upn or raw.get("nhs_number") or raw.get("upn"):
        return
    described = {
        "first name": t["given_name"],
        "last name": t["family_name"],
        "date of birth": born or raw.get("date_of_birth"),
        "postcode": postcode or raw.get("postcode"),
    }
    missing = [name for name, value in described.items() if not value]
    if len(missing) == len(described):
        problems.append(
            "Say who the event is about: an NHS number, a UPN, or their first name, last "
            "name, date of birth and postcode"
        )
    elif missing:
        problems.append(
            "Without an NHS number or UPN, give the first name, last name, date of birth and "
            f"postcode (missing: {', '.join(missing)})"
        )


def _check_needs(
    event_type: Any,
    start: date | None,
    end: date | None,
    percent: Decimal | None,
    reason: str,
    raw: dict[str, Any],
    today: date,
    problems: list[str],
) -> None:
    label = event_type.label
    if event_type.needs & Needs.PERIOD:
        if raw.get("period_start") in (None, "") or raw.get("period_end") in (None, ""):
            problems.append(f"{label} needs the start and end of the period")
        elif start and end and end < start:
            problems.append("The end of the period must be on or after its start")
        elif end and end > today:
            problems.append("The end of the period cannot be in the future")
        if raw.get("attendance_percent") in (None, ""):
            problems.append(f"{label} needs the attendance percent for the period")
        elif (
            percent is not None
            and event_type.attendance_at_most is not None
            and percent > Decimal(str(event_type.attendance_at_most))
        ):
            problems.append(
                f"{label} means attendance of {event_type.attendance_at_most:g}% or less; "
                f"{percent}% was sent"
            )
    if event_type.needs & Needs.REASON and not reason and raw.get("reason") in (None, ""):
        problems.append(f"{label} needs the reason for attending")
