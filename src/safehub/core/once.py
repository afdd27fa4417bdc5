"""One-time form tokens: a form sent twice (a double click, a retry, the back button and
Save again) does what it asks once.

Started by the front door (ADR 0008) and shared from here: a page issues a fresh token in a
hidden field (`OneTimeTokenField`, `new_token`); the key is the token namespaced by channel
and user (`token_key`), so nobody can spend another's; the answers are compared by their
hash (`payload_hash`): the same key with the same answers gets the first result, with
different answers it is refused; a unique index settles two sent at once. A contact keeps
its key on the contact itself; everything else (the casework forms) records its key here,
in `submit_once`, in the same transaction as what it records.
"""

import hashlib
import json
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from safehub.core.models import OneTimeToken

TOKEN_FIELD = "idempotency_key"  # noqa: S105 - a form field's name, not a secret
SENT_BEFORE = "This form was already sent with different answers"
T = TypeVar("T")


class OneTimeTokenField(forms.CharField):
    """The hidden field a form page carries its token in."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("max_length", 80)
        super().__init__(**kwargs)


def new_token() -> str:
    return uuid.uuid4().hex


def token_key(channel: str, user: Any, token: str) -> str:
    return f"{channel}:{user.pk}:{token}"


def payload_hash(answers: Any) -> str:
    return hashlib.sha256(json.dumps(answers, sort_keys=True, default=str).encode()).hexdigest()


def submit_once(*, key: str | None, answers: Any, record: Callable[[], T]) -> tuple[T | None, bool]:
    """Run `record` unless `key` has recorded already; returns (what it recorded, True) or
    (None, False) for a repeat. The key is taken before `record` runs, so a second request
    with the same key waits for the first (a row lock on PostgreSQL, the write lock on
    SQLite) and then finds it; if `record` refuses (ValidationError), the key is released
    with everything else, so the corrected form can be sent with the same token. The same
    key with different answers is refused (ValidationError, SENT_BEFORE)."""
    if not key:
        return record(), True
    digest = payload_hash(answers)
    with transaction.atomic():
        try:
            with transaction.atomic():
                token = OneTimeToken.objects.create(key=key, payload_hash=digest)
        except IntegrityError:
            if OneTimeToken.objects.get(key=key).payload_hash != digest:
                raise ValidationError(f"{SENT_BEFORE}. Check what was saved first") from None
            return None, False
        result = record()
        if isinstance(result, models.Model) and result.pk is not None:
            token.object_type = result._meta.label
            token.object_id = str(result.pk)
            token.save(update_fields=["object_type", "object_id"])
        return result, True


def recorded_once(key: str) -> str | None:
    """The id of what `key` recorded (None if it recorded nothing that has an id), for a
    caller that answers a repeat with the first result (the API's Idempotency-Key)."""
    object_id = OneTimeToken.objects.filter(key=key).values_list("object_id", flat=True).first()
    return object_id or None
