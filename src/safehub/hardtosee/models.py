from django.db import models
from django.db.models import Q

from safehub.core.models import TimeStampedModel, VersionedModel


class EheOfficer(TimeStampedModel):
    """The council's officer for a child educated at home: who the family and the register
    name as the child's contact. One current assignment per child; a new one ends the last."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    officer = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")
    assigned_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_on__isnull=True),
                name="ehe_officer_one_current",
            ),
        ]


# --- Contextual safeguarding -------------------------------------------------------------


class ContextKind(models.TextChoices):
    PLACE = "place", "A place"
    PEER_GROUP = "peer_group", "A peer group"
    SCHOOL = "school", "A school"
    ONLINE = "online", "An online space"


class Context(VersionedModel):
    """Somewhere or something outside the family where children come to harm: a park, a
    group of young people, a school, a chat group. It has its own chronology and the
    children and adults linked to it; MACE panels discuss it."""

    kind = models.CharField(max_length=12, choices=ContextKind.choices)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, default="")
    # Where it is, as the council describes it (an area, a postcode district, an app).
    location = models.CharField(max_length=120, blank=True, default="")
    created_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, related_name="+"
    )

    def __str__(self) -> str:
        return self.name


class ContextPerson(TimeStampedModel):
    """A child or adult linked to a context, and why; unlinking ends the link (kept)."""

    context = models.ForeignKey(Context, on_delete=models.CASCADE, related_name="links")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=200)
    linked_on = models.DateField()
    linked_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["context", "person"],
                condition=Q(ended_on__isnull=True),
                name="context_person_one_current",
            ),
        ]


class ContextEntry(models.Model):
    """A chronology entry on a context's own timeline (as ChronologyLink puts one on a
    person's): `occurred_at` is copied so the timeline is one index range scan."""

    context = models.ForeignKey(Context, on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(
        "chronology.ChronologyEntry", on_delete=models.CASCADE, related_name="+"
    )
    occurred_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(
                fields=["context", "-occurred_at", "-entry"], name="context_entry_time_idx"
            ),
        ]


# --- MACE panels -------------------------------------------------------------------------


class RiskLevel(models.TextChoices):
    """Exploitation risk as the panel grades it."""

    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    VERY_HIGH = "very_high", "Very high"


class MacePanel(VersionedModel):
    """A multi-agency child exploitation (MACE) panel meeting."""

    held_on = models.DateField()
    chair = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(blank=True, default="")
    recorded_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["-held_on"], name="mace_panel_held_idx")]


class MaceAttendee(models.Model):
    panel = models.ForeignKey(MacePanel, on_delete=models.CASCADE, related_name="attendees")
    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120)


class MaceDiscussion(models.Model):
    """A child or a context the panel discussed, and the risk it graded."""

    panel = models.ForeignKey(MacePanel, on_delete=models.CASCADE, related_name="discussions")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    context = models.ForeignKey(
        Context, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    risk = models.CharField(max_length=10, choices=RiskLevel.choices)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, context__isnull=True)
                | Q(person__isnull=True, context__isnull=False),
                name="mace_discussion_child_or_context",
            ),
        ]


class MaceAction(VersionedModel):
    """What the panel asked someone to do, by when; tracked until it is done."""

    panel = models.ForeignKey(MacePanel, on_delete=models.CASCADE, related_name="actions")
    # The child or context the action is about, of those the panel discussed; none for
    # an action about the panel's work as a whole.
    about = models.ForeignKey(
        MaceDiscussion, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    description = models.CharField(max_length=500)
    owner = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(
                fields=["owner", "due_on"],
                name="mace_action_open_idx",
                condition=Q(done_on__isnull=True),
            ),
        ]


# --- The registers' stored last professional contact (ADR 0033) -------------------------


class LastProfessionalContact(models.Model):
    """When a professional was last with the person, as the chronology says: the latest
    `occurred_at` of their entries of `selectors.PROFESSIONAL_CONTACT` codes, whenever
    recorded. Kept by `services.last_contact_on_append` where entries are appended and
    rebuilt from the chronology by `last_contact_refresh` (a cache of the chronology, never
    a second truth). A register for a day before this time reads the chronology instead."""

    person = models.OneToOneField(
        "people.Person",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="last_professional_contact",
    )
    occurred_at = models.DateTimeField(db_index=True)


class FirstServiceEvent(models.Model):
    """When a service first recorded something about the person, as the chronology says:
    the earliest `occurred_at` of their entries other than keeping the record itself
    (`selectors.RECORD_KEEPING`), whenever recorded. "Known to a service" on a day by the
    chronology is then this time being on or before the day: the earliest can only move
    earlier, so it answers for every day, past ones too (ADR 0057). Kept by
    `services.first_service_on_append` where entries are appended and rebuilt by
    `first_service_refresh`: a cache of the chronology, never a second truth."""

    person = models.OneToOneField(
        "people.Person",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="first_service_event",
    )
    occurred_at = models.DateTimeField()


# --- The education registers' stored status (ADR 0053) -----------------------------------


class EducationRegister(models.TextChoices):
    """The registers whose membership is the latest of a set of chronology events."""

    EHE = "ehe", "Elective home education"
    CME = "cme", "Children missing education"


class RegisterStatus(models.Model):
    """Per person and education register, the chronology event that decides membership:
    their latest entry (by `occurred_at`, then entry id) among the register's codes
    (`selectors.REGISTER_EVENTS`), whenever recorded. On the register while it is the
    register's own code (registered for home education; missing education). Kept beside the
    last professional contact (`services.register_status_on_append`, rebuilt by
    `register_status_refresh`): a cache of the chronology, never a second truth. A register
    for a day before `occurred_at` reads the chronology instead."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="register_statuses"
    )
    register = models.CharField(max_length=3, choices=EducationRegister.choices)
    event_type = models.CharField(max_length=64)
    occurred_at = models.DateTimeField()
    # Two events at the same moment: the later appended decides, as the chronology rule does.
    entry = models.ForeignKey(
        "chronology.ChronologyEntry", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "register"], name="register_status_one_per_register"
            ),
        ]
        indexes = [
            # "On the register on the day": one range of the index.
            models.Index(
                fields=["register", "event_type", "occurred_at"], name="register_status_on_idx"
            ),
            # Rows changed after a past day, which that day's register reads from the chronology.
            models.Index(fields=["register", "occurred_at"], name="register_status_time_idx"),
        ]


# --- The registers' stored row per child (ADR 0060) -------------------------------------

# The columns each register's count reads besides its own: kept in its index so that the
# count (and the page's order) is read from the index alone on PostgreSQL.
_ROW_COLUMNS = [
    "date_of_birth",
    "person",
    "date_of_death",
    "is_restricted",
    "last_contact",
    "first_service",
    "involved_from",
    "involved_until",
    "involved_since",
    "district",
]

# `RegisterFacts.district` when a child's open addresses lie in more than one postcode
# district: the district filter then asks the addresses themselves.
SEVERAL_DISTRICTS = "*"


class RegisterFacts(models.Model):
    """Per child, everything a register filters and sorts on, so that a register page reads
    one narrow row per member (an index) instead of each member's person, stored facts and
    involvements by key. Copies of: the person's date of birth, date of death and
    restriction; the stored last professional contact, first service event and education
    register statuses (ADRs 0033, 0053, 0057, with the same "latest / earliest ever"
    meaning); the person's involvements as one span (`involved_from` to `involved_until`,
    open when None) and `involved_since`, where the last unbroken stretch began: only a day
    before that (a past day, where the spans may leave a gap) asks the involvements
    themselves. Facts that pass with the clock (a birthday,
    an involvement's end date) are stored as dates and compared with the register's day.

    Kept by `services.register_facts_on_append`, the chronology listener after the other
    stored facts' (every write that changes one of these appends to the person's
    chronology in the same transaction), and rebuilt by `register_facts_refresh`: a cache,
    never a second truth. Only people of kind child have a row."""

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    date_of_birth = models.DateField(null=True)
    date_of_death = models.DateField(null=True)
    is_restricted = models.BooleanField()
    last_contact = models.DateTimeField(null=True)
    first_service = models.DateTimeField(null=True)
    ehe_event = models.CharField(max_length=64, null=True)  # None: no status stored
    ehe_at = models.DateTimeField(null=True)
    cme_event = models.CharField(max_length=64, null=True)
    cme_at = models.DateTimeField(null=True)
    involved_from = models.DateField(null=True)
    involved_until = models.DateField(null=True)
    # The start of the last unbroken stretch of involvement (`involved_from` when there is
    # no gap): a day on or after it is involved exactly when it is before `involved_until`.
    involved_since = models.DateField(null=True)
    # The postcode district (outward code) of the child's open address, as the district
    # filter reads it: "" with none, SEVERAL_DISTRICTS when open addresses differ.
    district = models.CharField(max_length=8, default="")

    class Meta:
        indexes = [
            models.Index(
                fields=["ehe_event", "ehe_at"],
                include=_ROW_COLUMNS,
                name="register_facts_ehe_idx",
                condition=Q(ehe_event__isnull=False),
            ),
            models.Index(
                fields=["cme_event", "cme_at"],
                include=_ROW_COLUMNS,
                name="register_facts_cme_idx",
                condition=Q(cme_event__isnull=False),
            ),
            # Babies: a range of dates of birth.
            models.Index(
                fields=["date_of_birth"], include=_ROW_COLUMNS[1:], name="register_facts_born_idx"
            ),
            # Children known to a service by an involvement.
            models.Index(
                fields=["involved_from"],
                include=[c for c in _ROW_COLUMNS if c != "involved_from"],
                name="register_facts_involved_idx",
                condition=Q(involved_from__isnull=False),
            ),
        ]
