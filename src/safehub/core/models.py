"""Base model mixins every domain app builds on."""

from typing import Any, TypeVar

from django.db import models
from django.db.models import F
from django.utils import timezone

from safehub.core.exceptions import ConcurrentEditError


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


class VersionedModel(TimeStampedModel):
    """An editable aggregate with an optimistic-lock version.

    Updates go through `versioned_update`, which writes only if the row still has the version
    the editor started from, so two workers cannot silently overwrite each other.
    """

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


V = TypeVar("V", bound=VersionedModel)


def versioned_update(*, instance: V, expected_version: int, data: dict[str, Any]) -> V:
    """Write `data` onto `instance` if nobody saved since `expected_version`.

    One conditional UPDATE decides the race in the database itself, on SQLite and PostgreSQL
    alike; the loser gets ConcurrentEditError carrying the record as it now stands.
    """
    model = type(instance)
    now = timezone.now()
    updated = model._default_manager.filter(pk=instance.pk, version=expected_version).update(
        **data, version=F("version") + 1, updated_at=now
    )
    if updated != 1:
        raise ConcurrentEditError(current=model._default_manager.get(pk=instance.pk))
    for field, value in data.items():
        setattr(instance, field, value)
    instance.version = expected_version + 1
    instance.updated_at = now
    return instance


class OneTimeToken(models.Model):
    """A form's one-time token once spent (core.once.submit_once): the key, a hash of the
    answers sent with it, and what they recorded. Unique, so of two requests with the same
    key exactly one records."""

    key = models.CharField(max_length=120, unique=True)
    payload_hash = models.CharField(max_length=64)
    object_type = models.CharField(max_length=60, blank=True, default="")
    object_id = models.CharField(max_length=60, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
