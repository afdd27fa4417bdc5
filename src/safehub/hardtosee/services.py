"""Writes for hard-to-see children: naming a child's EHE officer."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from safehub.access.guards import check_person_writes
from safehub.access.policy import can_open_registers
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record
from safehub.chronology.services import chronology_append
from safehub.core.exceptions import PermissionDeniedError
from safehub.hardtosee import events
from safehub.hardtosee.models import EheOfficer
from safehub.hardtosee.selectors import ehe_officer_choices
from safehub.organisations.models import User


def ehe_officer_assign(*, actor: User, person: Any, officer_id: Any, on: date) -> EheOfficer:
    """Name `officer_id` as the child's EHE officer from `on`, ending any earlier one. The
    actor must open the registers and may change the child's record; the officer must be an
    active member of the council's staff who sees records."""
    if not can_open_registers(actor):
        raise PermissionDeniedError("Only the MASH and team managers assign EHE officers.")
    officers = {str(u.pk): u for u in ehe_officer_choices()}
    officer = officers.get(str(officer_id))
    if officer is None:
        raise ValidationError({"officer": "Select the officer from the list"})
    with transaction.atomic():
        check_person_writes(actor, [person])
        current = (
            EheOfficer.objects.select_for_update()
            .filter(person=person, ended_on__isnull=True)
            .first()
        )
        if current is not None:
            if current.officer_id == officer.pk:
                raise ValidationError({"officer": f"{officer.get_full_name()} is already the officer"})
            current.ended_on = on
            current.save(update_fields=["ended_on", "updated_at"])
        assignment = EheOfficer.objects.create(
            person=person, officer=officer, assigned_on=on, assigned_by=actor
        )
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            person_id=person.pk,
            object_type="hardtosee.EheOfficer",
            object_id=assignment.pk,
            detail={"officer": officer.pk, "ended": current.pk if current else None},
        )
        chronology_append(
            actor=actor,
            persons=[person],
            event_type=events.EHE_OFFICER_ASSIGNED,
            summary=f"{officer.get_full_name()} is now the council's elective home education "
            "officer for this child.",
            occurred_on=on,
            source=assignment,
        )
    return assignment
