"""Writing the information-sharing log. The services where sharing happens call
`sharing_log_write` in their own transaction, after their own policy checks; a worker's
manual entry goes through `sharing_record_manual`, which asks the policy itself."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safehub.access.policy import Action, Decision, decide_sharing_log
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record
from safehub.core.exceptions import PermissionDeniedError
from safehub.organisations.models import Agency, User
from safehub.people.models import Person
from safehub.sharing.codes import Article6, Article9, Direction, Outcome, Schedule8, Source
from safehub.sharing.models import PURPOSE_MAX, REASON_MAX, WHAT_MAX, SharingRecord


def _text(value: Any, *, limit: int, label: str, errors: dict[str, str], key: str) -> str:
    text = " ".join(str(value or "").split())
    if len(text) > limit:
        errors[key] = f"{label} must be {limit:,} characters or fewer"
    return text


def _checked(data: dict[str, Any]) -> dict[str, Any]:
    """The entry's fields, cleaned, or a ValidationError naming each problem in plain
    English. Shared needs a purpose and an Article 6 basis; not shared needs a reason."""
    errors: dict[str, str] = {}
    outcome = data.get("outcome")
    if outcome not in Outcome.values:
        errors["outcome"] = "Select whether the information was shared"
    if data.get("direction") not in Direction.values:
        errors["direction"] = "Select which way the information went"
    if data.get("agency") is None:
        errors["agency"] = "Select the partner agency"
    purpose = _text(
        data.get("purpose"), limit=PURPOSE_MAX, label="The purpose", errors=errors, key="purpose"
    )
    what = _text(
        data.get("what"), limit=WHAT_MAX, label="What was shared", errors=errors, key="what"
    )
    reason = _text(
        data.get("reason_not_shared"),
        limit=REASON_MAX,
        label="The reason",
        errors=errors,
        key="reason_not_shared",
    )
    if not purpose:
        errors["purpose"] = "Enter why the information was asked for or offered"
    bases = {k: data.get(k) or "" for k in ("article6", "article9", "schedule8")}
    for key, codes in (("article6", Article6), ("article9", Article9), ("schedule8", Schedule8)):
        if bases[key] and bases[key] not in codes.values:
            errors[key] = "Select a lawful basis from the list"
    if outcome == Outcome.SHARED:
        if not bases["article6"]:
            errors["article6"] = "Select the Article 6 lawful basis for sharing"
        reason = ""
    elif outcome == Outcome.NOT_SHARED and not reason:
        errors["reason_not_shared"] = "Enter why the information was not shared"
    if errors:
        raise ValidationError(errors)
    return {**bases, "purpose": purpose, "what": what, "reason_not_shared": reason}


def sharing_log_write(
    *,
    actor: User,
    person: Person,
    agency: Agency,
    direction: str,
    outcome: str,
    purpose: str,
    what: str = "",
    article6: str = "",
    article9: str = "",
    schedule8: str = "",
    reason_not_shared: str = "",
    decided_at: datetime | None = None,
    source: str = Source.MANUAL,
    source_id: Any = "",
) -> SharingRecord:
    """Add one entry to the person's log and audit it. Call inside the transaction of the
    sharing it records; the caller has checked the actor may do what is being recorded."""
    cleaned = _checked(
        {
            "agency": agency,
            "direction": direction,
            "outcome": outcome,
            "purpose": purpose,
            "what": what,
            "article6": article6,
            "article9": article9,
            "schedule8": schedule8,
            "reason_not_shared": reason_not_shared,
        }
    )
    now = timezone.now()
    record = SharingRecord.objects.create(
        person=person,
        agency=agency,
        direction=direction,
        outcome=outcome,
        decided_at=decided_at or now,
        recorded_by=actor,
        recorded_at=now,
        source=source,
        source_id=str(source_id),
        **cleaned,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        person_id=person.pk,
        object_type="sharing.SharingRecord",
        object_id=record.pk,
        detail={"outcome": outcome, "direction": direction, "source": source},
    )
    return record


@transaction.atomic
def sharing_record_manual(*, actor: User, person: Person, data: dict[str, Any]) -> SharingRecord:
    """A worker records a disclosure made outside SafeHub (a phone call, a strategy
    meeting), or a decision not to share, with its basis or reason."""
    if decide_sharing_log(actor, person, Action.EDIT) is not Decision.ALLOW:
        raise PermissionDeniedError()
    decided_at = data.get("decided_at") or timezone.now()
    if decided_at > timezone.now():
        raise ValidationError({"decided_on": "The date must be today or in the past"})
    fields = {
        k: data.get(k, "")
        for k in (
            "direction",
            "outcome",
            "purpose",
            "what",
            "article6",
            "article9",
            "schedule8",
            "reason_not_shared",
        )
    }
    return sharing_log_write(
        actor=actor,
        person=person,
        agency=data.get("agency"),  # type: ignore[arg-type]  # None is refused by _checked
        decided_at=decided_at,
        source=Source.MANUAL,
        **fields,
    )
