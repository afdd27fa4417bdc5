"""How views obtain one context, MACE panel or MACE action for a user: fetch, decide,
audit. Missing and not allowed are the same NotFound, and a refusal is audited. (The people
on each are decided one by one by the selectors and services.)"""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from safehub.access.policy import can_open_registers, may_complete_mace_action
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record, audit_refusal
from safehub.core.exceptions import NotFound
from safehub.core.identifiers import record_pk
from safehub.hardtosee.models import Context, ContextPerson, MaceAction, MacePanel
from safehub.organisations.models import User


def _refuse(actor: User, label: str, raw: Any) -> NotFound:
    audit_refusal(actor=actor, object_type=label, object_id=str(raw)[:60])
    return NotFound()


def _fetch(actor: User, model: type[Model], raw: Any, *, audit_view: bool) -> Any:
    label = model._meta.label
    found = model._default_manager.filter(pk=record_pk(raw)).first()
    if found is None or not can_open_registers(actor):
        raise _refuse(actor, label, raw)
    if audit_view:
        audit_record(actor=actor, action=AuditAction.VIEW, object_type=label, object_id=found.pk)
    return found


def access_context(*, actor: User, context_id: Any, audit_view: bool = True) -> Context:
    return _fetch(actor, Context, context_id, audit_view=audit_view)


def access_context_link(*, actor: User, context: Context, link_id: Any) -> ContextPerson:
    link = (
        ContextPerson.objects.select_related("person", "context")
        .filter(pk=record_pk(link_id), context=context)
        .first()
    )
    if link is None:
        raise _refuse(actor, "hardtosee.ContextPerson", link_id)
    return link


def access_panel(*, actor: User, panel_id: Any, audit_view: bool = True) -> MacePanel:
    return _fetch(actor, MacePanel, panel_id, audit_view=audit_view)


def access_mace_action(*, actor: User, action_id: Any) -> MaceAction:
    """An action, for its owner or those who run the panels."""
    action = MaceAction.objects.select_related("panel").filter(pk=record_pk(action_id)).first()
    if action is None or not may_complete_mace_action(actor, action):
        raise _refuse(actor, "hardtosee.MaceAction", action_id)
    return action
