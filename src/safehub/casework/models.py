"""Casework records, shaped like the DfE returns they feed: an episode of need (CIN census
CINdetails) holds assessments, section 47 enquiries, conferences, child protection and
child-in-need plans; a period of care holds SSDA903 episodes. Every record points at the
child (`people.Person`). Rules between records live in the services (`services/`), not here."""

from datetime import date

from django.db import models
from django.db.models import Q

from safehub.casework.codes import (
    AllocationReason,
    CategoryOfAbuse,
    ConferenceKind,
    ConferenceOutcome,
    EpisodeKind,
    HealthCheckKind,
    LegalStatus,
    MissingKind,
    OffenceOutcome,
    Participation,
    PlacementChangeReason,
    PlacementProvider,
    PlacementType,
    PrimaryNeed,
    ReasonCeased,
    ReasonNewEpisode,
    SDQReason,
    Section47Outcome,
    StrategyOutcome,
    VisitKind,
)
from safehub.core.models import TimeStampedModel, VersionedModel


class Episode(VersionedModel):
    """An episode of need: from referral to closure (CIN) or an early-help episode."""

    kind = models.CharField(max_length=10, choices=EpisodeKind.choices)
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    contact = models.ForeignKey(
        "frontdoor.Contact", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    referral_date = models.DateField()
    referral_source = models.CharField(max_length=2, blank=True, default="")
    primary_need = models.CharField(
        max_length=2, choices=PrimaryNeed.choices, blank=True, default=""
    )
    closure_date = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=8, blank=True, default="")
    # Census ReferralNFA: the referral ended with no further action (recorded at closing).
    referral_nfa = models.BooleanField(default=False)
    opened_by = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(  # census 8805/8810: date and reason go together
                condition=Q(closure_date__isnull=True, closure_reason="")
                | (Q(closure_date__isnull=False) & ~Q(closure_reason="")),
                name="episode_closure_date_and_reason",
            ),
            models.UniqueConstraint(  # census 8815: one open episode of each kind
                fields=["child", "kind"],
                condition=Q(closure_date__isnull=True),
                name="episode_one_open_per_kind",
            ),
        ]
        indexes = [models.Index(fields=["child", "referral_date"], name="episode_child_idx")]

    @property
    def is_open(self) -> bool:
        return self.closure_date is None


class Assessment(VersionedModel):
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="assessments")
    start_date = models.DateField()
    due_date = models.DateField()  # 45 working days from the referral
    child_seen_date = models.DateField(null=True, blank=True)
    child_seen_alone = models.BooleanField(default=False)
    factors = models.JSONField(default=list, blank=True)
    completed_date = models.DateField(null=True, blank=True)
    # Who completed it, so someone else authorises it (access.policy.may_sign_off).
    completed_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    authorised_date = models.DateField(null=True, blank=True)
    authorised_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    summary = models.TextField(blank=True, default="")

    class Meta:
        indexes = [
            models.Index(
                fields=["due_date"],
                name="assessment_due_idx",
                condition=Q(authorised_date__isnull=True),
            )
        ]


class StrategyDiscussion(TimeStampedModel):
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="strategies")
    held_on = models.DateField()
    participants = models.TextField()
    outcome = models.CharField(max_length=8, choices=StrategyOutcome.choices)
    notes = models.TextField(blank=True, default="")
    recorded_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="+"
    )


class Section47(VersionedModel):
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="enquiries")
    strategy = models.ForeignKey(StrategyDiscussion, on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField()
    icpc_target = models.DateField()  # 15 working days from the strategy discussion
    end_date = models.DateField(null=True, blank=True)
    outcome = models.CharField(
        max_length=8, choices=Section47Outcome.choices, blank=True, default=""
    )


class CPPlan(VersionedModel):
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="cp_plans")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField()
    initial_category = models.CharField(max_length=3, choices=CategoryOfAbuse.choices)
    latest_category = models.CharField(max_length=3, choices=CategoryOfAbuse.choices)
    previous_plans = models.PositiveSmallIntegerField(default=0)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(end_date__isnull=True),
                name="cp_plan_one_open_per_child",
            ),  # census 8935
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="cp_plan_ends_after_start",
            ),  # census 8840
        ]


class Conference(TimeStampedModel):
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="conferences")
    kind = models.CharField(max_length=8, choices=ConferenceKind.choices)
    section47 = models.ForeignKey(
        Section47, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    plan = models.ForeignKey(
        CPPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="conferences"
    )
    held_on = models.DateField()
    outcome = models.CharField(max_length=8, choices=ConferenceOutcome.choices)
    category = models.CharField(
        max_length=3, choices=CategoryOfAbuse.choices, blank=True, default=""
    )
    chair = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="+"
    )


class CoreGroup(TimeStampedModel):
    plan = models.ForeignKey(CPPlan, on_delete=models.PROTECT, related_name="core_groups")
    held_on = models.DateField()
    notes = models.TextField(blank=True, default="")
    recorded_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="+"
    )


class CINPlan(VersionedModel):
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="cin_plans")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    review_notes = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(end_date__isnull=True),
                name="cin_plan_one_open_per_child",
            ),  # census 4004
        ]


class CINPlanReview(TimeStampedModel):
    plan = models.ForeignKey(CINPlan, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField()
    recorded_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="+"
    )


class PeriodOfCare(VersionedModel):
    """From becoming looked after to ceasing; made of 903 episodes (legal status and
    placement rows)."""

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="care_periods")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    reason_ceased = models.CharField(
        max_length=3, choices=ReasonCeased.choices, blank=True, default=""
    )
    care_plan_date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(end_date__isnull=True),
                name="care_one_open_period_per_child",
            ),
        ]

    def placement_began(self) -> date | None:
        """When the child's current placement began: a change of legal status alone (903
        RNE L) starts a new episode but not a new placement, so it does not restart the
        visiting clock."""
        began = None
        for start, reason in self.episodes.order_by("-start_date", "-pk").values_list(
            "start_date", "reason_new_episode"
        ):
            began = start
            if reason != ReasonNewEpisode.L:
                break
        return began


class CareEpisode(TimeStampedModel):
    """One SSDA903 episode: a stretch with one legal status and one placement."""

    period = models.ForeignKey(PeriodOfCare, on_delete=models.PROTECT, related_name="episodes")
    start_date = models.DateField()
    reason_new_episode = models.CharField(max_length=1, choices=ReasonNewEpisode.choices)
    legal_status = models.CharField(max_length=2, choices=LegalStatus.choices)
    placement_type = models.CharField(max_length=2, choices=PlacementType.choices)
    provider = models.CharField(max_length=3, choices=PlacementProvider.choices)
    carer_name = models.CharField(max_length=120, blank=True, default="")
    home_postcode = models.CharField(max_length=8, blank=True, default="")
    placement_postcode = models.CharField(max_length=8, blank=True, default="")
    urn = models.CharField(max_length=8, blank=True, default="")
    end_date = models.DateField(null=True, blank=True)
    reason_ceased = models.CharField(
        max_length=3, choices=ReasonCeased.choices, blank=True, default=""
    )
    reason_place_change = models.CharField(
        max_length=6, choices=PlacementChangeReason.choices, blank=True, default=""
    )


class CareReview(TimeStampedModel):
    period = models.ForeignKey(PeriodOfCare, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField()
    # 903 REVIEW_CODE; empty only on reviews recorded before it was asked.
    participation = models.CharField(
        max_length=3, choices=Participation.choices, blank=True, default=""
    )
    recorded_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="+"
    )


class ReviewRecommendation(TimeStampedModel):
    """What the independent reviewing officer recommended at a looked-after review, tracked
    until it is done (each open one is a `DueItem` on the worker's list)."""

    review = models.ForeignKey(CareReview, on_delete=models.PROTECT, related_name="recommendations")
    text = models.CharField(max_length=300)
    due_date = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )


class HealthCheck(TimeStampedModel):
    """A health assessment or check of a looked-after child (903 OC2: HEALTH_ASSESSMENT,
    TEETH_CHECK, HEALTH_CHECK, IMMUNISATIONS)."""

    period = models.ForeignKey(PeriodOfCare, on_delete=models.PROTECT, related_name="health_checks")
    kind = models.CharField(max_length=14, choices=HealthCheckKind.choices)
    held_on = models.DateField()
    # Immunisations only: whether they were up to date when checked.
    up_to_date = models.BooleanField(null=True, blank=True)
    note = models.TextField(blank=True, default="")
    recorded_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period"],
                condition=Q(kind=HealthCheckKind.INITIAL),
                name="health_one_initial_assessment_per_period",
            ),
        ]


class StrengthsAndDifficulties(TimeStampedModel):
    """A strengths and difficulties questionnaire: its total score, or why there is none."""

    period = models.ForeignKey(PeriodOfCare, on_delete=models.PROTECT, related_name="sdqs")
    completed_on = models.DateField()
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=4, choices=SDQReason.choices, blank=True, default="")
    recorded_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(  # a score (0-40) or a reason, never both
                condition=(Q(score__isnull=False, score__lte=40) & Q(reason=""))
                | (Q(score__isnull=True) & ~Q(reason="")),
                name="sdq_score_or_reason",
            ),
        ]


class SubstanceMisuse(TimeStampedModel):
    """A substance misuse problem identified, and the intervention offered or received."""

    period = models.ForeignKey(
        PeriodOfCare, on_delete=models.PROTECT, related_name="substance_misuse"
    )
    identified_on = models.DateField()
    intervention_offered = models.BooleanField()
    intervention_received = models.BooleanField()
    note = models.TextField(blank=True, default="")
    recorded_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(intervention_received=False) | Q(intervention_offered=True),
                name="substance_received_was_offered",
            ),
        ]


class Offence(TimeStampedModel):
    """A conviction, final warning or reprimand while looked after (903 OC2 CONVICTED)."""

    period = models.ForeignKey(PeriodOfCare, on_delete=models.PROTECT, related_name="offences")
    outcome = models.CharField(max_length=14, choices=OffenceOutcome.choices)
    outcome_on = models.DateField()
    recorded_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="+"
    )


class EducationPlan(TimeStampedModel):
    """A personal education plan (PEP) meeting, and whether the virtual school took part."""

    period = models.ForeignKey(
        PeriodOfCare, on_delete=models.PROTECT, related_name="education_plans"
    )
    held_on = models.DateField()
    virtual_school_involved = models.BooleanField()
    note = models.TextField(blank=True, default="")
    recorded_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="+"
    )


class UASCStatus(VersionedModel):
    """An unaccompanied asylum-seeking child (903 UASC file): when the status began and the
    date it ceased (DUC), at the latest the child's 18th birthday."""

    child = models.OneToOneField("people.Person", on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField()
    ceased_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="+"
    )


class MissingEpisode(TimeStampedModel):
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=1, choices=MissingKind.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    return_interview_offered = models.BooleanField(null=True, blank=True)
    return_interview_accepted = models.BooleanField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="+"
    )


class Visit(TimeStampedModel):
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="visits")
    kind = models.CharField(max_length=4, choices=VisitKind.choices)
    visited_on = models.DateField()
    child_seen = models.BooleanField()
    child_seen_alone = models.BooleanField(default=False)
    bedroom_seen = models.BooleanField(default=False)
    note = models.TextField(blank=True, default="")
    recorded_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["child", "visited_on"], name="visit_child_idx")]


class CaseNote(TimeStampedModel):
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField()
    text = models.TextField()
    significant = models.BooleanField(default=False)


class NoteDraft(TimeStampedModel):
    """What a worker is typing, saved as they type so a closed tab loses nothing."""

    author = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, default="note")  # note | visit
    text = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["author", "child", "kind"], name="note_draft_unique")
        ]


class Allocation(TimeStampedModel):
    """Who holds the case. Opening one opens the worker's involvement, which is what grants
    access (access.Involvement); ending it ends that."""

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("organisations.Team", on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=6, choices=AllocationReason.choices)
    involvement = models.ForeignKey(
        "access.Involvement", on_delete=models.PROTECT, related_name="+"
    )
    allocated_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(end_date__isnull=True),
                name="allocation_one_open_per_child",
            ),
        ]
        indexes = [
            models.Index(
                fields=["worker"],
                name="allocation_worker_open_idx",
                condition=Q(end_date__isnull=True),
            ),
            models.Index(
                fields=["team"], name="allocation_team_open_idx", condition=Q(end_date__isnull=True)
            ),
        ]


class Oversight(TimeStampedModel):
    """Supervision or management oversight of a child's case."""

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(
        max_length=12,
        choices=[("supervision", "Supervision"), ("oversight", "Management oversight")],
    )
    held_on = models.DateField()
    discussion = models.TextField()
    actions = models.TextField(blank=True, default="")
    manager = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")


class DueItem(TimeStampedModel):
    """A piece of statutory work with its due date, registered by the service that opens
    it and closed by the service that completes it. "My work", the team's overdue list and
    the timeliness figures all read from here."""

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20)
    label = models.CharField(max_length=120)
    due_date = models.DateField()
    source_type = models.CharField(max_length=40)
    source_id = models.CharField(max_length=40)
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["child", "due_date"],
                name="due_open_child_idx",
                condition=Q(done_on__isnull=True),
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id", "kind"],
                condition=Q(done_on__isnull=True),
                name="due_one_open_per_source_kind",
            ),
        ]
