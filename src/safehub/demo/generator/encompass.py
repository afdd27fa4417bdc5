"""Operation Encompass in the demo council: the notices the police's domestic-abuse
notifications of the last fortnight made as they were filed (`encompass_from_event`, at the
moment each arrived), and those due more than two days ago acknowledged by a school's
safeguarding lead, as schools do. The bulk load of partner events bypasses filing, so
without this the Encompass pages of the demo would be empty."""

from datetime import date, datetime, time, timedelta

from safehub.core.workdays import LONDON
from safehub.organisations.models import User
from safehub.partners.encompass import (
    ENCOMPASS_TYPES,
    encompass_from_event,
    encompass_notice_acknowledge,
)
from safehub.partners.models import EncompassNotice, NoticeState, PartnerEvent

FORTNIGHT = 14
MAX_PERSONS = 20_000  # the demo's own councils; the bench's larger ones are left alone
READ_BEFORE_DUE = timedelta(minutes=30)  # a lead reads it as they arrive at school
READ_AFTER_SENT = timedelta(minutes=10)


def seed_encompass(*, today: date, persons: int) -> dict[str, int]:
    """The last fortnight's notices, and those due more than two days ago acknowledged."""
    if persons > MAX_PERSONS:
        return {"encompass_notices": 0}
    since = datetime.combine(today - timedelta(days=FORTNIGHT), time.min, tzinfo=LONDON)
    events = (
        PartnerEvent.objects.filter(
            type__in=list(ENCOMPASS_TYPES), person__isnull=False, received_at__gte=since
        )
        .select_related("agency", "sent_by", "person")
        .order_by("received_at", "pk")
    )
    for event in events:
        if event.person is not None:
            encompass_from_event(event, event.person, filed_by=event.sent_by, now=event.received_at)
    # The last two days' are still waiting, as some are on any morning.
    read_by = datetime.combine(today - timedelta(days=2), time.min, tzinfo=LONDON)
    for notice in EncompassNotice.objects.filter(
        state=NoticeState.SENT, due_at__lt=read_by
    ).select_related("school", "child"):
        lead = (
            User.objects.filter(team__agency=notice.school, is_active=True).order_by("pk").first()
        )
        if lead is not None and notice.due_at is not None and notice.sent_at is not None:
            encompass_notice_acknowledge(
                actor=lead,
                notice=notice,
                expected_version=notice.version,
                now=max(notice.sent_at + READ_AFTER_SENT, notice.due_at - READ_BEFORE_DUE),
            )
    return {"encompass_notices": EncompassNotice.objects.count()}
