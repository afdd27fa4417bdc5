"""How views obtain one alert or one rule for a user: fetch, decide, audit. A missing alert
and one the user may not work are the same NotFound, and the refusal is audited."""

from typing import Any

from safehub.access.policy import (
    Action,
    Decision,
    can_manage_concern_rules,
    can_see_concern_rules,
    decide_concern_alert,
)
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record, audit_refusal
from safehub.concerns.models import Alert, ConcernRule
from safehub.core.exceptions import NotFound
from safehub.core.identifiers import record_pk
from safehub.organisations.models import User


def access_alert(*, actor: User, alert_id: Any, action: Action = Action.VIEW) -> Alert:
    """The alert if `actor` may see (VIEW) or work (EDIT) it; a VIEW is audited here, a
    change by the service that makes it."""
    alert = (
        Alert.objects.select_related("rule", "person", "lead_professional")
        .filter(pk=record_pk(alert_id))
        .first()
    )
    if alert is None or decide_concern_alert(actor, alert, action) is not Decision.ALLOW:
        audit_refusal(
            actor=actor,
            object_type="concerns.Alert",
            object_id=str(alert_id)[:60],
            detail={"action": action.value},
        )
        raise NotFound()
    if action is Action.VIEW:
        audit_record(
            actor=actor,
            action=AuditAction.VIEW,
            person_id=alert.person_id,
            object_type="concerns.Alert",
            object_id=alert.pk,
        )
    return alert


def access_rule(*, actor: User, rule_id: Any, action: Action = Action.VIEW) -> ConcernRule:
    """A rule (no person data: its definition, rationale and record in counts) for those who
    may read the rules, or change them for EDIT."""
    allowed = (
        can_manage_concern_rules(actor) if action is Action.EDIT else can_see_concern_rules(actor)
    )
    rule = ConcernRule.objects.filter(pk=record_pk(rule_id)).first() if allowed else None
    if rule is None:
        audit_refusal(
            actor=actor,
            object_type="concerns.ConcernRule",
            object_id=str(rule_id)[:60],
            detail={"action": action.value},
        )
        raise NotFound()
    return rule
