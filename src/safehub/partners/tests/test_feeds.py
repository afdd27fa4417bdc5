"""Watching the partner feeds: a feed that stops sending for more whole working days than
its limit tells the watchers once, clears when events resume, and tells them again the next
time it goes quiet. A feed's limit follows its usual rate unless a watcher sets one. Every
date here is pinned; weekends and bank holidays do not count."""

from datetime import date, datetime
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from safehub.audit.models import AuditEvent
from safehub.core.workdays import LONDON
from safehub.notifications.models import Channel, OutboxMessage
from safehub.partners.feeds import (
    ANY_TYPE,
    baseline_days,
    feed_threshold_set,
    feeds,
    feeds_watch,
    quiet_working_days,
    usual_quiet_after,
)
from safehub.partners.models import QuietSpell
from safehub.partners.services import partner_events_receive
from safehub.partners.tests.conftest import event, history

pytestmark = pytest.mark.django_db

DA = "domestic_abuse_child_in_household"


def at(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=LONDON)


def send_at(sender: Any, when: datetime, event_id: str, type_: str = DA) -> None:
    with time_machine.travel(when, tick=False):
        outcomes = partner_events_receive(
            actor=sender,
            events=[event(event_id=event_id, type=type_, occurred_at="2026-11-01")],
        )
    assert outcomes[0].outcome == "accepted", outcomes[0].reasons


def quiet_alerts() -> list[OutboxMessage]:
    return list(
        OutboxMessage.objects.filter(
            channel=Channel.INBOX, subject__startswith="Partner feed quiet"
        ).order_by("pk")
    )


def test_whole_working_days_skip_weekends_and_bank_holidays():
    # Thursday 24 December 2026; Christmas (Fri 25) and Boxing Day's substitute (Mon 28)
    # are bank holidays, so Tuesday 29th is the first whole working day without an event.
    last = at(2026, 12, 24)
    assert quiet_working_days(last, at(2026, 12, 29, 9)) == 0
    assert quiet_working_days(last, at(2026, 12, 30, 9)) == 1
    assert quiet_working_days(last, at(2026, 12, 31, 9)) == 2
    # Friday to the next Tuesday morning: only Monday has passed.
    assert quiet_working_days(at(2026, 11, 20), at(2026, 11, 24, 9)) == 1


def test_a_quiet_feed_alerts_the_watchers_once_clears_and_alerts_again(senders, users, people):
    police = senders["police"]
    # Several a working day since mid-October: a limit of two working days.
    history(police, date(2026, 10, 12), date(2026, 11, 18), DA)
    send_at(police, at(2026, 11, 19), "P1")  # Thursday
    # Monday morning: only Friday has passed without an event. Not quiet.
    assert feeds_watch(as_of=at(2026, 11, 23, 9)).opened == []
    # Tuesday morning: Friday and Monday. Quiet; the MASH manager and the partnership are
    # told (the words), not team managers or analysts, who read the feeds page.
    result = feeds_watch(as_of=at(2026, 11, 24, 9))
    assert [(f.agency_name, f.type, f.quiet_days) for f in result.opened] == [
        ("Testshire Police", DA, 2)
    ]
    alerts = quiet_alerts()
    assert {m.recipient_user for m in alerts} == {
        users["mash_manager"],
        users["partnership_officer"],
    }
    assert (
        OutboxMessage.objects.filter(
            channel=Channel.EMAIL, subject__startswith="Partner feed quiet"
        ).count()
        == 2
    )
    assert "Testshire Police" in alerts[0].subject
    assert "19 November 2026" in alerts[0].body
    # Run again the same day and the next: the same quiet spell alerts nobody again.
    feeds_watch(as_of=at(2026, 11, 24, 10))
    feeds_watch(as_of=at(2026, 11, 25, 9))
    assert len(quiet_alerts()) == 2
    assert QuietSpell.objects.filter(ended_at=None).count() == 1
    # Events resume: the spell ends.
    send_at(police, at(2026, 11, 25, 11), "P2")
    result = feeds_watch(as_of=at(2026, 11, 25, 12))
    assert result.closed == 1
    assert result.opened == []
    assert QuietSpell.objects.filter(ended_at=None).count() == 0
    # Quiet again from Wednesday 25th: Thursday and Friday pass; Monday morning it fires again.
    feeds_watch(as_of=at(2026, 11, 27, 9))
    assert len(quiet_alerts()) == 2
    result = feeds_watch(as_of=at(2026, 11, 30, 9))
    assert len(result.opened) == 1
    assert len(quiet_alerts()) == 4
    assert QuietSpell.objects.count() == 2


def test_each_feed_has_its_own_limit(senders, users, people):
    police = senders["police"]
    history(police, date(2026, 10, 12), date(2026, 11, 18), DA)
    send_at(police, at(2026, 11, 19), "P1")
    send_at(police, at(2026, 11, 19), "M1", type_="missing_episode")
    feed_threshold_set(
        actor=users["team_manager"],
        agency_id=police.agency_id,
        type="missing_episode",
        quiet_after=3,
    )
    # Tuesday: domestic abuse at its usual rate's two days (and so the police's every
    # type, which is mostly domestic abuse); missing episodes, with their limit of three,
    # on Wednesday.
    opened = feeds_watch(as_of=at(2026, 11, 24, 9)).opened
    assert [f.type for f in opened] == [ANY_TYPE, DA]
    opened = feeds_watch(as_of=at(2026, 11, 25, 9)).opened
    assert [f.type for f in opened] == ["missing_episode"]


def test_a_limit_out_of_range_or_set_by_someone_else_is_refused(senders, users, people):
    from safehub.core.exceptions import PermissionDeniedError

    police = senders["police"]
    with pytest.raises(ValidationError) as error:
        feed_threshold_set(
            actor=users["team_manager"], agency_id=police.agency_id, type=DA, quiet_after=0
        )
    assert error.value.message_dict["quiet_after"] == [
        "Enter a number of working days from 1 to 20"
    ]
    with pytest.raises(PermissionDeniedError):
        feed_threshold_set(
            actor=users["mash_worker"], agency_id=police.agency_id, type=DA, quiet_after=3
        )


def test_volume_is_compared_with_the_same_weekday_in_working_weeks(senders, people):
    police = senders["police"]
    # Mondays 2, 9 and 16 November: 2, 4 and 3 events; Monday 23rd: one.
    for day, count in ((2, 2), (9, 4), (16, 3), (23, 1)):
        for n in range(count):
            send_at(police, at(2026, 11, day, 10, n), f"V{day}-{n}")
    [feed] = feeds(as_of=at(2026, 11, 24, 9))
    assert feed.day == date(2026, 11, 23)
    assert feed.day_count == 1
    assert feed.usual == pytest.approx(9 / 4)  # 26 October had none: four Mondays counted
    assert feed.below_usual
    # A bank holiday Monday is not a usual Monday: 28 December is left out for 4 January.
    assert date(2026, 12, 28) not in baseline_days(date(2027, 1, 4))
    assert len(baseline_days(date(2027, 1, 4))) == 3


def test_the_command_takes_the_moment_to_count_from(senders, users, people, capsys):
    history(senders["police"], date(2026, 10, 12), date(2026, 11, 19), DA)
    call_command("watch_feeds", "--as-of", "2026-11-24T09:00")
    out = capsys.readouterr().out
    assert "1 newly quiet" in out
    assert len(quiet_alerts()) == 2


def test_the_feeds_page_shows_each_feed_and_its_limit(senders, users, people, client_for):
    history(senders["police"], date(2026, 10, 12), date(2026, 11, 19), DA)
    url = reverse("partners:feed-threshold", args=[senders["police"].agency_id, DA])
    with time_machine.travel(at(2026, 11, 24, 9), tick=False):
        client = client_for("team_manager")
        page = client.get(reverse("partners:feeds")).content.decode()
        assert "Testshire Police" in page
        assert "Quiet for 2 working days" in page
        assert 'id="not-watched"' not in page
        response = client.post(url, {"quiet_after": "25"})
        assert "Enter a number of working days from 1 to 20" in response.content.decode()
        response = client.post(url, {"quiet_after": "4"})
        assert response.status_code == 302
        page = client.get(reverse("partners:feeds")).content.decode()
    assert "4 working days (set)" in page
    assert "Quiet for" not in page
    # Back to the limit its usual rate gives: quiet again.
    with time_machine.travel(at(2026, 11, 24, 9), tick=False):
        threshold = client.get(url).content.decode()
        assert "usually sends about 3.0 events a working day" in threshold
        assert "A limit of 4 working days is set." in threshold
        assert client.post(url, {"usual": "1"}).status_code == 302
        page = client.get(reverse("partners:feeds")).content.decode()
    assert "2 working days (usual rate)" in page
    assert "Quiet for 2 working days" in page
    audit = AuditEvent.objects.filter(object_type="partners.FeedWatch").order_by("pk")
    assert [e.detail for e in audit] == [{"quiet_after": 4}, {"quiet_after": None, "was": 4}]


# --- The limit a feed's usual rate gives it ----------------------------------------------


def test_the_usual_limit_is_the_silence_the_rate_would_have_by_chance_once_in_a_hundred():
    # Three a working day: a day passes empty with chance 1 in 20, two in a row 1 in 400.
    assert usual_quiet_after(180, 60) == 2
    # One a day: five empty days in a row is about 1 in 150, four about 1 in 55.
    assert usual_quiet_after(60, 60) == 5
    # One a week: silence of 20 working days is 1 in 55, so the feed is not watched.
    assert usual_quiet_after(12, 60) is None
    assert usual_quiet_after(15, 60) == 19
    # Under four weeks of history says nothing about a rate.
    assert usual_quiet_after(60, 19) is None
    assert usual_quiet_after(0, 60) is None


def test_a_rare_feed_is_shown_but_not_watched_until_a_limit_is_set(senders, users, people):
    school = senders["school"]
    # A school's suspensions: one every 20 working days from 7 September, the last on
    # 2 November; 27 working days without one is nothing unusual for it.
    history(school, date(2026, 9, 7), date(2026, 11, 5), type_="suspension", a_day=1, every=20)
    [feed] = feeds(as_of=at(2026, 12, 10, 9))
    assert feed.last_event_at == at(2026, 11, 2, 11)
    assert feed.quiet_days == 27
    assert (feed.usual_after, feed.quiet_after) == (None, None)
    assert feed.not_watched_because.startswith("Too rare")
    assert not feed.quiet
    assert feeds_watch(as_of=at(2026, 12, 10, 9)).opened == []
    feed_threshold_set(
        actor=users["team_manager"], agency_id=school.agency_id, type="suspension", quiet_after=20
    )
    assert [f.type for f in feeds_watch(as_of=at(2026, 12, 10, 9)).opened] == ["suspension"]


def test_a_new_feed_has_no_usual_rate_yet(senders, people):
    send_at(senders["police"], at(2026, 11, 2), "P1")
    [feed] = feeds(as_of=at(2026, 11, 24, 9))
    assert feed.quiet_days == 15
    assert (feed.usual_rate, feed.quiet_after, feed.quiet) == (None, None, False)
    assert feed.not_watched_because == "Too new: under four weeks of events"
    # Weeks later, one event is still no rate: too rare, not too new.
    [feed] = feeds(as_of=at(2027, 1, 25, 9))
    assert feed.not_watched_because.startswith("Too rare")


def test_a_feed_that_stopped_long_ago_keeps_the_rate_it_had(senders, people):
    # Daily through the summer, nothing since the end of July: still quiet in November,
    # though nothing arrived in the last 12 weeks to read a rate from.
    history(senders["police"], date(2026, 6, 1), date(2026, 7, 31), DA, a_day=1)
    [feed] = feeds(as_of=at(2026, 11, 24, 9))
    assert feed.usual_rate == pytest.approx(1.0)
    assert feed.quiet_after == 5
    assert feed.quiet


def test_an_agency_that_stops_altogether_is_seen_at_the_rate_of_everything_it_sends(
    senders, users, people
):
    police = senders["police"]
    # One a working day of each of two types: five working days' silence for either
    # alone, but two a day together, so three working days for the agency's every type.
    for type_ in (DA, "missing_episode"):
        history(police, date(2026, 10, 12), date(2026, 11, 19), type_, a_day=1)
    by_type = {f.type: f for f in feeds(as_of=at(2026, 11, 20, 9))}
    assert set(by_type) == {DA, "missing_episode", ANY_TYPE}
    assert by_type[ANY_TYPE].label == "Every type of event"
    assert by_type[ANY_TYPE].usual_rate == pytest.approx(2.0)
    assert [by_type[t].quiet_after for t in (DA, "missing_episode", ANY_TYPE)] == [5, 5, 3]
    # Thursday's events were the last: by Wednesday morning three working days have passed.
    assert feeds_watch(as_of=at(2026, 11, 24, 9)).opened == []
    opened = feeds_watch(as_of=at(2026, 11, 25, 9)).opened
    assert [f.type for f in opened] == [ANY_TYPE]
    assert "no events of any type from Testshire Police" in quiet_alerts()[0].body
    # Either type arriving ends the agency's quiet spell.
    send_at(police, at(2026, 11, 25, 10), "M-late", type_="missing_episode")
    assert feeds_watch(as_of=at(2026, 11, 25, 11)).closed == 1
    # A watcher may set the agency's limit too; an unknown type is refused.
    feed_threshold_set(
        actor=users["team_manager"], agency_id=police.agency_id, type=ANY_TYPE, quiet_after=4
    )
    with pytest.raises(ValidationError):
        feed_threshold_set(
            actor=users["team_manager"], agency_id=police.agency_id, type="nothing", quiet_after=4
        )


def test_an_agency_sending_one_type_has_no_second_feed_of_it(senders, people):
    history(senders["police"], date(2026, 10, 12), date(2026, 11, 19), DA)
    assert [f.type for f in feeds(as_of=at(2026, 11, 20, 9))] == [DA]


def test_the_watcher_runs_every_quarter_hour_on_the_job_queue(senders, users, people):
    from django_q.models import Schedule

    from safehub.partners.tasks import watch_feeds

    schedule = Schedule.objects.get(func="safehub.partners.tasks.watch_feeds")
    assert (schedule.schedule_type, schedule.minutes, schedule.repeats) == (
        Schedule.MINUTES,
        15,
        -1,
    )
    history(senders["police"], date(2026, 10, 12), date(2026, 11, 19), DA)
    with time_machine.travel(at(2026, 11, 24, 9), tick=False):
        assert watch_feeds() == 1  # as of now: Friday and Monday have passed
        assert watch_feeds() == 0  # told once
    assert len(quiet_alerts()) == 2
