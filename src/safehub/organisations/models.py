from django.contrib.auth.models import AbstractUser
from django.db import models

from safehub.access.roles import Role
from safehub.core.models import TimeStampedModel


class AgencyKind(models.TextChoices):
    COUNCIL = "council", "Council"
    SCHOOL = "school", "School"
    GP_PRACTICE = "gp_practice", "GP practice"
    HEALTH_TRUST = "health_trust", "Health trust"
    POLICE = "police", "Police"
    HOUSING = "housing", "Housing"
    # Services for the adults in a child's household: substance misuse, adult mental
    # health, probation.
    ADULT_SERVICES = "adult_services", "Adult services"
    VOLUNTARY = "voluntary", "Voluntary sector"
    OTHER = "other", "Other"


class Agency(TimeStampedModel):
    """An organisation whose staff use SafeHub or whose information reaches it."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=AgencyKind.choices)
    # Ofsted/DfE unique reference number, for schools.
    urn = models.CharField(max_length=8, blank=True, default="")
    # NHS Organisation Data Service code, for GP practices and health trusts.
    ods_code = models.CharField(max_length=10, blank=True, default="")

    class Meta:
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(fields=["name"], name="agency_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Team(TimeStampedModel):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="team_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The team as named wherever it is chosen or shown out of context: every school
        has a "Safeguarding" team, so the agency says which. Reads `agency`, so callers
        that list teams select it with them."""
        return team_label(self.name, self.agency.name)


def team_label(name: str, agency_name: str) -> str:
    """How a team is named beside others: its name and its agency. For lists that read
    these two columns rather than whole rows."""
    return f"{name} ({agency_name})"


class EmploymentType(models.TextChoices):
    PERMANENT = "permanent", "Permanent"
    AGENCY = "agency", "Agency (locum)"


def staff_name(first_name: str, last_name: str, username: str) -> str:
    """How a member of staff is named on a page: their full name, else their username.
    For lists that read these three columns rather than whole user rows."""
    return f"{first_name} {last_name}".strip() or username


class User(AbstractUser):
    """A member of staff, in the council or a partner agency. One role each."""

    role = models.CharField(max_length=32, choices=Role.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="staff")
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="members", null=True, blank=True
    )
    job_title = models.CharField(max_length=200, blank=True, default="")
    employment_type = models.CharField(
        max_length=16, choices=EmploymentType.choices, default=EmploymentType.PERMANENT
    )
    # Social Work England registration number ("SW" and digits): the 903 SW_ID.
    swe_registration = models.CharField(max_length=12, blank=True, default="")
    # Accounts made by the demo council; refused at sign-in unless DEMO_MODE is on.
    is_demo = models.BooleanField(default=False)

    REQUIRED_FIELDS = ["email"]

    class Meta(AbstractUser.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["swe_registration"],
                condition=~models.Q(swe_registration=""),
                name="user_swe_registration_unique",
            )
        ]

    def __str__(self) -> str:
        return staff_name(self.first_name, self.last_name, self.username)

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else ""


class GrantOutcome(models.TextChoices):
    PENDING = "pending", "Waiting for a second administrator"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


class AccessGrant(TimeStampedModel):
    """A change to a user's role, team or active status that would let them see records
    (or administer users, or review the audit trail), waiting for a second administrator.
    Until it is approved the user keeps the access they had; the administrator who asked
    may not approve it, and nobody decides a grant for themselves."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="access_grants")
    role = models.CharField(max_length=32, choices=Role.choices)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(
        max_length=10, choices=GrantOutcome.choices, default=GrantOutcome.PENDING
    )
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(outcome="pending"),
                name="access_grant_one_pending",
            ),
            models.CheckConstraint(
                condition=~models.Q(decided_by=models.F("requested_by")),
                name="access_grant_second_administrator",
            ),
            models.CheckConstraint(
                condition=~models.Q(decided_by=models.F("user"))
                & ~models.Q(requested_by=models.F("user")),
                name="access_grant_not_for_oneself",
            ),
        ]
