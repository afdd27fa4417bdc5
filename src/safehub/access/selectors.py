"""Reads for the data protection officer: the audit trail by person or member of staff,
and the break-glass review queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from safehub.access.models import BreakGlass
from safehub.access.policy import can_review_audit
from safehub.audit.models import AuditAction, AuditEvent
from safehub.audit.services import audit_record
from safehub.core.exceptions import PermissionDeniedError
from safehub.core.paging import page_number, requested_page

if TYPE_CHECKING:
    from safehub.core.users import User

PAGE_SIZE = 50


def staff_by_username(username: str) -> Any:
    return get_user_model().objects.filter(username=username).first()


@dataclass(frozen=True)
class AuditPage:
    events: list[AuditEvent]
    page: int
    has_next: bool


def _between(qs: QuerySet, date_from: date | None, date_to: date | None) -> QuerySet:
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(at__gte=datetime.combine(date_from, time.min, tzinfo=tz))
    if date_to:
        qs = qs.filter(at__lt=datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=tz))
    return qs


def _page(qs: QuerySet, page: int | str | None) -> AuditPage:
    """The first page needs no count; a later one is held to the pages there are."""
    page = requested_page(page)
    if page > 1:
        page = page_number(page, pages=-(-qs.count() // PAGE_SIZE))
    rows = list(
        qs.select_related("actor").order_by("-at", "-pk")[
            (page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1
        ]
    )
    return AuditPage(events=rows[:PAGE_SIZE], page=page, has_next=len(rows) > PAGE_SIZE)


def audit_events_for_person(
    *,
    actor: User,
    person_id: int,
    date_from: date | None = None,
    date_to: date | None = None,
    page: int | str | None = 1,
) -> AuditPage:
    """Who viewed, searched for (and found), changed or exported a person's record."""
    if not can_review_audit(actor):
        raise PermissionDeniedError()
    qs = AuditEvent.objects.filter(
        Q(person_id=person_id) | Q(subject_ids__contains=f",{person_id},")
    )
    result = _page(_between(qs, date_from, date_to), page)
    audit_record(
        actor=actor,
        action=AuditAction.AUDIT_VIEW,
        person_id=person_id,
        object_type="audit.person",
        object_id=person_id,
    )
    return result


def audit_events_for_user(
    *,
    actor: User,
    user_id: int,
    date_from: date | None = None,
    date_to: date | None = None,
    page: int | str | None = 1,
) -> AuditPage:
    """Everything one member of staff looked at, searched for and changed."""
    if not can_review_audit(actor):
        raise PermissionDeniedError()
    qs = AuditEvent.objects.filter(actor_id=user_id)
    result = _page(_between(qs, date_from, date_to), page)
    audit_record(
        actor=actor, action=AuditAction.AUDIT_VIEW, object_type="audit.user", object_id=user_id
    )
    return result


def user_admin_events(*, actor: User, page: int | str | None = 1) -> AuditPage:
    """Every user administration action, newest first: accounts made, roles and teams
    changed, access asked for, approved or refused, second factors reset, accounts
    unlocked, disabled and signed out."""
    if not can_review_audit(actor):
        raise PermissionDeniedError()
    result = _page(AuditEvent.objects.filter(action=AuditAction.USER_ADMIN), page)
    audit_record(actor=actor, action=AuditAction.AUDIT_VIEW, object_type="audit.user_admin")
    return result


def break_glass_queue(*, actor: User) -> list[BreakGlass]:
    """Break-glass openings waiting for review first, then the last 30 days' reviewed."""
    if not can_review_audit(actor):
        raise PermissionDeniedError()
    since = timezone.now() - timedelta(days=30)
    return list(
        BreakGlass.objects.filter(Q(reviewed_at__isnull=True) | Q(created_at__gte=since))
        .select_related("user", "user__team", "reviewed_by")
        .order_by("reviewed_at", "-created_at")[:200]
    )
