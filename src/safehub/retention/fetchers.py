"""The only way to a retention review or a legal hold for a user: fetch, decide, refuse as
"not found" (audited) for anyone the policy does not let review retention."""

from typing import Any

from safehub.access.policy import Decision, decide_retention
from safehub.audit.services import audit_refusal
from safehub.core.exceptions import NotFound
from safehub.organisations.models import User
from safehub.retention.models import LegalHold, RetentionReview


def _pk(value: Any) -> int | None:
    try:
        pk = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return pk if 0 < pk < 2**63 else None


def access_review(*, actor: User, review_id: Any) -> RetentionReview:
    pk = _pk(review_id)
    review = RetentionReview.objects.select_related("person").filter(pk=pk).first() if pk else None
    if review is None or decide_retention(actor, review.person) is not Decision.ALLOW:
        audit_refusal(
            actor=actor,
            person_id=review.person_id if review else None,
            object_type="retention.Review",
            object_id=str(review_id)[:60],
        )
        raise NotFound()
    return review


def access_hold(*, actor: User, hold_id: Any) -> LegalHold:
    pk = _pk(hold_id)
    hold = LegalHold.objects.select_related("person").filter(pk=pk).first() if pk else None
    if hold is None or decide_retention(actor, hold.person) is not Decision.ALLOW:
        audit_refusal(
            actor=actor,
            person_id=hold.person_id if hold else None,
            object_type="retention.LegalHold",
            object_id=str(hold_id)[:60],
        )
        raise NotFound()
    return hold
