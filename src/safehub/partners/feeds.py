"""Watching the partner feeds: each agency's events of one type are a feed. The MASH's
managers and the partnership see when each feed's last event arrived and its volume on the
last working day against the same weekday over the previous four weeks; when a feed has
gone without an event for more whole working days than it is allowed, they are told, once
for that quiet spell, and the spell ends when events resume.

How long a feed is allowed follows its usual rate (ADR 0073), unless a watcher sets a
limit: a police force's domestic-abuse notifications, several a day, are quiet after two
working days; a school's exclusions, a few a term, are too rare for silence to mean
anything, so they are shown but not watched until someone sets a limit.

Everything here takes `as_of`: the scheduler's command and the tests say what "now" is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min, Q
from django.urls import reverse
from django.utils import timezone

from safehub.access.policy import can_watch_partner_feeds, feed_watcher_roles
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_list, audit_record
from safehub.core.exceptions import PermissionDeniedError
from safehub.core.workdays import LONDON, is_working_day, working_days_between
from safehub.notifications.services import notify_team
from safehub.organisations.models import Agency, User
from safehub.partners.codes import BY_CODE, type_label
from safehub.partners.models import DEFAULT_QUIET_AFTER, FeedWatch, PartnerEvent, QuietSpell

BASELINE_WEEKS = 4
LOW_SHARE = 0.5  # below half its usual volume, a feed is flagged
USUAL_WEEKS = 12  # a feed's usual rate is its events per working day over this long
HISTORY_NEEDED = 20  # working days of history before a feed has a usual rate
CHANCE = 0.01  # a limit the feed would pass by chance less often than this
MAX_QUIET_AFTER = 20
# An agency's events of every type, watched as one more feed: a partner's system that stops
# altogether is seen at the rate of everything it sends, sooner than its rarest type shows.
ANY_TYPE = "any"
ANY_TYPE_LABEL = "Every type of event"


def usual_quiet_after(events: int, working_days: int) -> int | None:
    """The limit a feed's usual rate gives it: the fewest whole working days without an
    event that a feed sending `events` in `working_days` would go by chance less than one
    time in a hundred (events arriving independently at that rate, a working day passes
    with none with chance e^-rate). Never less than DEFAULT_QUIET_AFTER. None when the
    history is too short to know the rate, or the rate so low that even MAX_QUIET_AFTER
    days of silence would be unremarkable."""
    if events <= 0 or working_days < HISTORY_NEEDED:
        return None
    rate = events / working_days
    days = max(DEFAULT_QUIET_AFTER, math.ceil(math.log(1 / CHANCE) / rate))
    return days if days <= MAX_QUIET_AFTER else None


def usual_rate(row: dict[str, Any], as_of: datetime) -> tuple[float | None, int | None]:
    """A feed's usual rate (events a working day) and the limit it gives, from the grouped
    row `feeds` reads: its events over the last USUAL_WEEKS up to its last event, or over
    its whole history if that is too short a stretch (a feed that stopped weeks ago keeps
    the rate it had). (None, None) for a feed with under HISTORY_NEEDED working days of
    history."""
    first, last = row.get("first"), row.get("last")
    if first is None or last is None:
        return None, None
    since = max(first, as_of - timedelta(weeks=USUAL_WEEKS))
    events, span = row["recent"], _working_days_from(since, last)
    if span < HISTORY_NEEDED:
        events, span = row["total"], _working_days_from(first, last)
    if span < HISTORY_NEEDED:
        return None, None
    return events / span, usual_quiet_after(events, span)


def _working_days_from(start: datetime, end: datetime) -> int:
    """Working days from the day of `start` to the day of `end`, both counted."""
    day = start.astimezone(LONDON).date() - timedelta(days=1)
    return working_days_between(day, end.astimezone(LONDON).date())


def quiet_working_days(last_event_at: datetime, as_of: datetime) -> int:
    """Whole working days that have passed without an event: the working days after the
    day of the last event and before the day of `as_of` (which is not over yet)."""
    day = last_event_at.astimezone(LONDON).date() + timedelta(days=1)
    today = as_of.astimezone(LONDON).date()
    count = 0
    while day < today:
        count += is_working_day(day)
        day += timedelta(days=1)
    return count


def last_working_day_before(as_of: datetime) -> date:
    day = as_of.astimezone(LONDON).date() - timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def baseline_days(day: date) -> list[date]:
    """The same weekday in each of the previous weeks, where it was a working day."""
    earlier = (day - timedelta(weeks=n) for n in range(1, BASELINE_WEEKS + 1))
    return [d for d in earlier if is_working_day(d)]


def _day_range(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=LONDON)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=LONDON)


@dataclass(frozen=True)
class Feed:
    agency_id: int
    agency_name: str
    type: str
    label: str
    first_event_at: datetime | None
    last_event_at: datetime | None
    quiet_after: int | None  # None: not watched (too rare to tell, and no limit set)
    limit_set: bool  # a watcher set quiet_after; otherwise it is usual_after
    usual_rate: float | None  # events a working day, as read for the limit
    usual_after: int | None  # the limit the usual rate gives
    quiet_days: int
    quiet_since: datetime | None  # when the open quiet spell was noticed, if one is open
    day: date  # the last whole working day
    day_count: int
    usual: float | None  # mean events on the same weekday in previous weeks

    @property
    def quiet(self) -> bool:
        return (
            self.last_event_at is not None
            and self.quiet_after is not None
            and self.quiet_days >= self.quiet_after
        )

    @property
    def not_watched_because(self) -> str:
        """Why a feed with no limit set is not watched, in the page's words."""
        first = self.first_event_at
        if first is not None and first.astimezone(LONDON).date() > self.day - timedelta(weeks=4):
            return "Too new: under four weeks of events"
        return "Too rare: 20 working days without one would be nothing unusual"

    @property
    def below_usual(self) -> bool:
        return bool(self.usual and self.usual >= 1 and self.day_count < self.usual * LOW_SHARE)


def feeds(*, as_of: datetime) -> list[Feed]:
    """Every feed that has sent an event or has a threshold set, quiet ones first. Two
    grouped queries and two lookups, however many feeds."""
    day = last_working_day_before(as_of)
    before = baseline_days(day)
    windows = {"day": _day_range(day)} | {f"b{i}": _day_range(d) for i, d in enumerate(before)}
    counts = {
        key: Count("pk", filter=Q(received_at__gte=start, received_at__lt=end))
        for key, (start, end) in windows.items()
    }
    counts["recent"] = Count("pk", filter=Q(received_at__gte=as_of - timedelta(weeks=USUAL_WEEKS)))
    rows: dict[tuple[int, str], dict[str, Any]] = {
        (r["agency_id"], r["type"]): dict(r)
        for r in PartnerEvent.objects.filter(received_at__lt=as_of)
        .values("agency_id", "type")
        .annotate(last=Max("received_at"), first=Min("received_at"), total=Count("pk"), **counts)
        .order_by()
    }
    rows |= _every_type(rows, [*counts, "total"])
    thresholds = {(w.agency_id, w.type): w.quiet_after for w in FeedWatch.objects.all()}
    open_spells = {
        (s.agency_id, s.type): s.noticed_at for s in QuietSpell.objects.filter(ended_at=None)
    }
    keys = set(rows) | set(thresholds)
    names = dict(Agency.objects.filter(pk__in={a for a, _ in keys}).values_list("pk", "name"))
    found = []
    for agency_id, type_ in keys:
        row = rows.get((agency_id, type_), {})
        last = row.get("last")
        seen = [row.get(f"b{i}", 0) for i in range(len(before))]
        usual = sum(seen) / len(seen) if seen else None
        rate, usual_after = usual_rate(row, as_of)
        set_limit = thresholds.get((agency_id, type_))
        found.append(
            Feed(
                agency_id=agency_id,
                agency_name=names.get(agency_id, ""),
                type=type_,
                label=ANY_TYPE_LABEL if type_ == ANY_TYPE else type_label(type_),
                first_event_at=row.get("first"),
                last_event_at=last,
                quiet_after=set_limit or usual_after,
                limit_set=set_limit is not None,
                usual_rate=rate,
                usual_after=usual_after,
                quiet_days=quiet_working_days(last, as_of) if last else 0,
                quiet_since=open_spells.get((agency_id, type_)),
                day=day,
                day_count=row.get("day", 0),
                usual=usual,
            )
        )
    return sorted(
        found,
        key=lambda f: (not f.quiet, not f.below_usual, f.agency_name, f.type != ANY_TYPE, f.label),
    )


def _every_type(
    rows: dict[tuple[int, str], dict[str, Any]], counted: list[str]
) -> dict[tuple[int, str], dict[str, Any]]:
    """Each agency's feeds added up into one of every type (ANY_TYPE), for an agency that
    sends more than one type (for one, it would be the same feed twice)."""
    by_agency: dict[int, list[dict[str, Any]]] = {}
    for (agency_id, _), row in rows.items():
        by_agency.setdefault(agency_id, []).append(row)
    return {
        (agency_id, ANY_TYPE): {
            "first": min(r["first"] for r in feeds),
            "last": max(r["last"] for r in feeds),
        }
        | {key: sum(r[key] for r in feeds) for key in counted}
        for agency_id, feeds in by_agency.items()
        if len(feeds) > 1
    }


def feeds_for_page(*, actor: User, as_of: datetime) -> list[Feed]:
    """The feeds page's rows, for those who watch feeds; audited as a list (it names no
    person)."""
    if not can_watch_partner_feeds(actor):
        raise PermissionDeniedError()
    found = feeds(as_of=as_of)
    audit_list(actor=actor, listed="partners.feeds", person_ids=[], detail={"feeds": len(found)})
    return found


@dataclass
class WatchResult:
    opened: list[Feed]
    closed: int


def feeds_watch(*, as_of: datetime) -> WatchResult:
    """One pass of the watcher (`manage.py watch_feeds`): open a quiet spell for each feed
    newly quiet and tell the watchers, once; end the spell of each feed that has an event
    again. Safe to run as often as the scheduler likes, and by two at once."""
    opened = []
    for feed in feeds(as_of=as_of):
        if feed.quiet and feed.quiet_since is None and _open_spell(feed, as_of):
            opened.append(feed)
    closed = 0
    for spell in QuietSpell.objects.filter(ended_at=None):
        resumed = PartnerEvent.objects.filter(
            agency_id=spell.agency_id,
            received_at__gt=spell.last_event_at,
            received_at__lt=as_of,
        )
        if spell.type != ANY_TYPE:
            resumed = resumed.filter(type=spell.type)
        if resumed.exists():
            closed += QuietSpell.objects.filter(pk=spell.pk, ended_at=None).update(ended_at=as_of)
    return WatchResult(opened, closed)


def _open_spell(feed: Feed, as_of: datetime) -> bool:
    assert feed.last_event_at is not None
    try:
        with transaction.atomic():
            spell = QuietSpell.objects.create(
                agency_id=feed.agency_id,
                type=feed.type,
                last_event_at=feed.last_event_at,
                noticed_at=as_of,
            )
            _alert(feed, spell)
    except IntegrityError:
        return False  # another watcher opened this spell a moment ago
    return True


def _alert(feed: Feed, spell: QuietSpell) -> None:
    last = feed.last_event_at.astimezone(LONDON) if feed.last_event_at else None
    subject = f"Partner feed quiet: {feed.label} from {feed.agency_name}"
    what = "events of any type" if feed.type == ANY_TYPE else f"“{feed.label}” events"
    body = (
        f"SafeHub has received no {what} from {feed.agency_name} since "
        f"{last:%-d %B %Y at %H:%M}: {feed.quiet_days} whole working days, more than the "
        f"{feed.quiet_after} this feed may go quiet for. Check with {feed.agency_name} that "
        "their system is still sending. You will not be told again until events resume "
        "and stop once more."
    )
    link = reverse("partners:feeds")
    watchers = User.objects.filter(role__in=feed_watcher_roles(), is_active=True).order_by("pk")
    notify_team(users=watchers, key=f"feed-quiet:{spell.pk}", subject=subject, body=body, link=link)


@transaction.atomic
def feed_threshold_set(*, actor: User, agency_id: int, type: str, quiet_after: int) -> FeedWatch:
    """How many whole working days this feed may go without an event."""
    if not can_watch_partner_feeds(actor):
        raise PermissionDeniedError()
    if (type not in BY_CODE and type != ANY_TYPE) or not Agency.objects.filter(
        pk=agency_id
    ).exists():
        raise ValidationError("There is no such partner feed")
    if not 1 <= quiet_after <= 20:
        raise ValidationError({"quiet_after": "Enter a number of working days from 1 to 20"})
    watch, _ = FeedWatch.objects.update_or_create(
        agency_id=agency_id,
        type=type,
        defaults={"quiet_after": quiet_after, "changed_by": actor, "changed_at": timezone.now()},
    )
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        object_type="partners.FeedWatch",
        object_id=watch.pk,
        detail={"quiet_after": quiet_after},
    )
    return watch


@transaction.atomic
def feed_threshold_clear(*, actor: User, agency_id: int, type: str) -> None:
    """Take away a limit a watcher set: the feed goes back to the one its usual rate gives."""
    if not can_watch_partner_feeds(actor):
        raise PermissionDeniedError()
    watch = FeedWatch.objects.filter(agency_id=agency_id, type=type).first()
    if watch is None:
        return
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        object_type="partners.FeedWatch",
        object_id=watch.pk,
        detail={"quiet_after": None, "was": watch.quiet_after},
    )
    watch.delete()
