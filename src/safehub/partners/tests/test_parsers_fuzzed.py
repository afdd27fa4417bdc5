"""Whatever a partner sends, the event parser and the CSV reader never crash: an event is
either clean (and then saveable: within every limit, dated in the past) or refused with
plain-English problems. No database needed: both are pure."""

import csv
import io
import string
from datetime import date, datetime, timedelta

from conftest import TEST_NOW
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from safehub.partners.codes import BY_CODE, Significance, types_for_kind
from safehub.partners.models import SUMMARY_MAX
from safehub.partners.parsing import FIELDS, parse_event
from safehub.partners.uploads import read_csv

KINDS = ["school", "police", "gp_practice", "health_trust", "housing", "adult_services", "council"]
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(max_size=30)
    | st.sampled_from(
        [
            "9434765919",
            "943 476 5918",
            "H801200001001",
            "2026-11-20",
            "2026-11-20T10:00:00+14:00",
            "0001-01-01T00:00:00-12:00",
            "9999-12-31T23:59:59Z",
            "2026-02-30",
            "TE1 4AB",
            "=HYPERLINK(1)",
            "50.5",
            "1e309",
            "nan",
            "\u202e",
            "\x00",
            "\ud800",
            *BY_CODE,
            *Significance.values,
        ]
    ),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=5,
)
VALID = {
    "event_id": "E1",
    "type": "suspension",
    "occurred_at": "2026-11-18",
    "nhs_number": "9434765919",
    "summary": "Suspended for a day.",
    "significance": "low",
}
# A good school event with one field changed to anything at all, or dropped.
near_valid = st.builds(
    lambda field, value, drop: (
        {k: v for k, v in VALID.items() if k != field} if drop else {**VALID, field: value}
    ),
    st.sampled_from(FIELDS),
    json_values,
    st.booleans(),
)
events = st.one_of(
    near_valid,
    json_values,
    st.fixed_dictionaries(
        {},
        optional=dict.fromkeys((*FIELDS, "colour"), json_values),
    ),
)


def _plain(problem: str) -> bool:
    return bool(problem) and problem[0].isupper() and "Traceback" not in problem


@SETTINGS
@given(raw=events, kind=st.sampled_from([*KINDS, *["school"] * 6]))
def test_any_event_is_clean_or_refused_in_plain_english(raw, kind):
    parsed = parse_event(raw, agency_kind=kind, now=TEST_NOW)
    event("clean" if parsed.event is not None else "refused")
    if parsed.event is None:
        assert parsed.problems
        assert all(_plain(p) for p in parsed.problems), parsed.problems
        return
    clean = parsed.event
    assert not parsed.problems
    assert clean.occurred_at <= TEST_NOW
    assert clean.occurred_at.date() >= date(1899, 12, 31)
    assert clean.type in BY_CODE
    assert BY_CODE[clean.type] in types_for_kind(kind)
    assert clean.significance in Significance.values
    assert 0 < len(clean.summary) <= SUMMARY_MAX
    assert clean.nhs_number or clean.upn or (clean.given_name and clean.date_of_birth)
    clean.content_hash()  # always hashable, so always storable


cells = st.text(alphabet=string.printable + "é£\u202e\x00\"'", max_size=12) | st.sampled_from(
    ["suspension", "2026-11-18", "9434765919", "low", "S1", "x" * 600]
)


@st.composite
def csv_files(draw):
    columns = draw(
        st.lists(st.sampled_from([*FIELDS, "colour", ""]), max_size=len(FIELDS) + 2)
        | st.just(list(FIELDS))
    )
    rows = draw(st.lists(st.lists(cells, max_size=len(columns) + 1), max_size=5))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows(rows)
    text = out.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]))
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    # Sometimes break the file: cut it short, or scatter bytes through it.
    cut = draw(st.integers(min_value=0, max_value=len(data)))
    return draw(st.sampled_from([data, data[:cut], data[:cut] + b'"\xff\x00' + data[cut:]]))


@SETTINGS
@given(content=csv_files() | st.binary(max_size=200), kind=st.sampled_from(KINDS))
def test_any_file_is_read_into_good_rows_and_plain_problems(content, kind):
    preview = read_csv(content, agency_kind=kind, now=TEST_NOW)
    assert all(_plain(p) for p in preview.problems), preview.problems
    for row in preview.rows:
        assert all(_plain(p) for p in row.problems), row.problems
    if preview.problems:
        assert preview.good == []
    for values in preview.events():
        parsed = parse_event(values, agency_kind=kind, now=TEST_NOW)
        assert parsed.event is not None, parsed.problems
        assert parsed.event.occurred_at <= TEST_NOW


def test_dates_in_the_future_are_refused_by_the_pinned_clock_not_the_real_one():
    tomorrow = (TEST_NOW + timedelta(days=1)).date().isoformat()
    parsed = parse_event(
        {
            "event_id": "x",
            "type": "suspension",
            "occurred_at": tomorrow,
            "nhs_number": "9434765919",
            "summary": "s",
            "significance": "low",
        },
        agency_kind="school",
        now=TEST_NOW,
    )
    assert parsed.problems == ["The date it happened cannot be in the future"]
    assert isinstance(TEST_NOW, datetime)


def test_todays_date_without_a_time_is_accepted_before_midday_and_filed_no_later_than_now():
    assert TEST_NOW.hour < 12
    parsed = parse_event(
        {
            "event_id": "x",
            "type": "suspension",
            "occurred_at": TEST_NOW.date().isoformat(),
            "nhs_number": "9434765919",
            "summary": "s",
            "significance": "low",
        },
        agency_kind="school",
        now=TEST_NOW,
    )
    assert parsed.problems == []
    assert parsed.event is not None
    assert parsed.event.occurred_at == TEST_NOW
    assert parsed.event.time_known is False
