import hashlib
import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone

from safehub.core.models import TimeStampedModel


class InvolvementKind(models.TextChoices):
    ALLOCATED_WORKER = "allocated_worker", "Allocated worker"
    TEAM = "team", "Team"
    CONTRIBUTING_AGENCY = "contributing_agency", "Contributing agency"
    CONFERENCE_CHAIR = "conference_chair", "Conference chair / IRO"


class Involvement(TimeStampedModel):
    """Why someone has a need to know about a person: an allocated worker, a team, or a
    contributing agency. Casework and the front door fill these; the policy reads them."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="involvements"
    )
    kind = models.CharField(max_length=24, choices=InvolvementKind.choices)
    user = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey(
        "organisations.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agency = models.ForeignKey(
        "organisations.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    start_date = models.DateField(default=timezone.localdate)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["user", "person"],
                name="involvement_user_idx",
                condition=Q(end_date__isnull=True),
            ),
            models.Index(
                fields=["team", "person"],
                name="involvement_team_idx",
                condition=Q(end_date__isnull=True),
            ),
            models.Index(
                fields=["agency", "person"],
                name="involvement_agency_idx",
                condition=Q(end_date__isnull=True),
            ),
            models.Index(fields=["person", "end_date"], name="involvement_person_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(team__isnull=False) | Q(agency__isnull=False),
                name="involvement_has_party",
            ),
        ]


class RestrictedAccess(TimeStampedModel):
    """The allow-list of a restricted person: these users see it as if unrestricted."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="restricted_access"
    )
    user = models.ForeignKey("organisations.User", on_delete=models.CASCADE, related_name="+")
    granted_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "user"], name="restricted_access_unique"),
        ]


class BreakGlass(TimeStampedModel):
    """A time-limited opening of a restricted record by someone outside its allow-list, with
    the reason they gave. Each one waits in the data protection officer's review queue."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    expires_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(blank=True, default="")

    class Meta:
        indexes = [
            models.Index(fields=["user", "person", "expires_at"], name="breakglass_active_idx"),
            models.Index(fields=["reviewed_at", "created_at"], name="breakglass_queue_idx"),
        ]

    @property
    def is_active(self) -> bool:
        return self.expires_at > timezone.now()


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(TimeStampedModel):
    """A machine client's credential. Only its hash is stored; it acts as its user, under the
    same policy as that user's pages."""

    user = models.ForeignKey("organisations.User", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    @staticmethod
    def new_secret() -> str:
        return "shk_" + secrets.token_urlsafe(32)


class FormDraft(TimeStampedModel):
    """A form its author sent after their session had ended (ADR 0018). Kept so that once
    they sign in again the form is put back as they left it; only they can have it back,
    once, until `expires_at`. Passwords, codes and one-time tokens are never kept."""

    user = models.ForeignKey("organisations.User", on_delete=models.CASCADE, related_name="+")
    page = models.CharField(max_length=2000)  # where the form was shown: put back there
    action = models.CharField(max_length=2000)  # where it was sent
    fields = models.JSONField(default=dict)  # name -> the values sent, as sent
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "expires_at"], name="formdraft_user_idx")]
