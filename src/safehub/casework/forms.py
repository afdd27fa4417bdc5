"""Input shapes for the casework pages. Forms parse; the services decide what is valid, so
every rule (dates in order, census codes, nothing on a closed episode) is said once.

Each form lists its fields in the order the page shows them; `CaseworkForm.rows()` tells
the shared template which GOV.UK component draws each one."""

from typing import Any, ClassVar

from django import forms
from django.utils import timezone

from safehub.casework.codes import (
    ASSESSMENT_FACTORS,
    AllocationReason,
    CategoryOfAbuse,
    ClosureReason,
    EarlyHelpClosure,
    EpisodeKind,
    HealthCheckKind,
    LegalStatus,
    MissingKind,
    OffenceOutcome,
    Participation,
    PlacementChangeReason,
    PlacementProvider,
    PlacementType,
    ReasonCeased,
    ReferralSource,
    SDQReason,
    Section47Outcome,
    StrategyOutcome,
)
from safehub.casework.services import NEEDS_FOR_A_REFERRAL, NO_FACTORS
from safehub.core.once import TOKEN_FIELD, OneTimeTokenField, new_token, token_key
from safehub.ui.fields import GovukDateField
from safehub.ui.forms_util import GovukForm

_CHOOSE = [("", "Select one")]


def _date(
    label: str, *, required: bool = True, hint: str = "For example, 27 3 2025"
) -> GovukDateField:
    return GovukDateField(label=label, required=required, help_text=hint)


def _radios(label: str, choices: Any, required_message: str, **kwargs: Any) -> forms.ChoiceField:
    messages = {"required": required_message, "invalid_choice": required_message}
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={k: v for k, v in messages.items() if v},
        **kwargs,
    )


def _select(
    label: str, choices: Any, required_message: str = "", **kwargs: Any
) -> forms.ChoiceField:
    # Without a message of its own, GovukForm words it from the label ("Select … from the
    # list").
    messages = {"required": required_message, "invalid_choice": required_message}
    return forms.ChoiceField(
        label=label,
        choices=_CHOOSE + list(choices),
        required=bool(required_message),
        error_messages={k: v for k, v in messages.items() if v},
        **kwargs,
    )


def _text(
    label: str, *, required_message: str = "", hint: str = "", rows: int = 5, max_length: int = 5000
) -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        required=bool(required_message),
        max_length=max_length,
        help_text=hint,
        strip=False,
        error_messages={"required": required_message} if required_message else {},
    )


def _coded(choices: Any) -> list[tuple[str, str]]:
    return [(value, f"{label} ({value})") for value, label in choices]


class CaseworkForm(GovukForm):
    """Dates default to today, where "today" is the usual answer. Each opening of the form
    carries a fresh one-time token (core.once), so sending it twice records once."""

    idempotency_key = OneTimeTokenField(required=False)
    today_fields: tuple[str, ...] = ()
    # Per-field CSS classes for text inputs (for example a postcode's width).
    input_classes: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        initial = kwargs.setdefault("initial", {})
        for name in self.today_fields:
            initial.setdefault(name, timezone.localdate())
        initial.setdefault(TOKEN_FIELD, new_token())
        super().__init__(*args, **kwargs)

    def once_key(self, user: Any) -> str | None:
        """The one-time key of a valid POST (None if it came without a token)."""
        token = self.cleaned_data.get(TOKEN_FIELD)
        return token_key("casework", user, token) if token else None

    def answers(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != TOKEN_FIELD}

    def rows(self) -> list[tuple[str, Any, str]]:
        """(component, bound field, classes) for each field, for casework/form.html."""
        out = []
        for bound in self:
            if bound.name == TOKEN_FIELD:
                continue  # casework/form.html puts it in the form itself
            field, widget = bound.field, bound.field.widget
            if isinstance(field, GovukDateField):
                kind = "date"
            elif isinstance(widget, forms.CheckboxSelectMultiple):
                kind = "checkboxes"
            elif isinstance(widget, forms.RadioSelect):
                kind = "radios"
            elif isinstance(field, forms.BooleanField):
                kind = "checkbox"
            elif isinstance(widget, forms.Textarea):
                kind = "textarea"
            elif isinstance(widget, forms.Select):
                kind = "select"
            elif isinstance(widget, forms.HiddenInput):
                kind = "hidden"
            else:
                kind = "text"
            out.append((kind, bound, self.input_classes.get(bound.name, "")))
        return out


# --- Episodes ----------------------------------------------------------------------------


class EpisodeOpenForm(CaseworkForm):
    today_fields = ("referral_date",)
    error_names: ClassVar[dict[str, str]] = {"referral_source": "who referred the child"}
    kind = _radios(
        "What kind of episode?", EpisodeKind.choices, "Select early help or child in need"
    )
    referral_date = _date("Referral date")
    referral_source = _select("Who referred the child? (optional)", ReferralSource.choices)
    primary_need = _select(
        "Primary need",
        _coded((n.value, n.label) for n in NEEDS_FOR_A_REFERRAL),
        help_text="Needed for a child in need episode; you can change it as the work goes on",
    )


class PrimaryNeedForm(CaseworkForm):
    primary_need = _select(
        "Primary need",
        _coded((n.value, n.label) for n in NEEDS_FOR_A_REFERRAL),
        "Select the child's primary need",
    )


class EpisodeCloseForm(CaseworkForm):
    today_fields = ("closure_date",)
    closure_date = _date("Date the episode closed")
    reason = _radios("Why is it closing?", [], "Select the reason for closing")
    referral_nfa = _radios(
        "Did the referral end with no further action?",
        [("yes", "Yes: nothing more was done after the referral"), ("no", "No")],
        "Select whether the referral ended with no further action",
        help_text="The children in need census asks this of a referral with no assessment",
    )

    def __init__(self, *args: Any, kind: str, ask_referral_nfa: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reasons = ClosureReason if kind == EpisodeKind.CIN else EarlyHelpClosure
        field = self.fields["reason"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (c.value, f"{c.label}" + (f" ({c.value})" if reasons is ClosureReason else ""))
            for c in reasons
        ]
        if not ask_referral_nfa:
            del self.fields["referral_nfa"]

    def nfa_answer(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("referral_nfa", ""))


# --- Assessment --------------------------------------------------------------------------


class AssessmentStartForm(CaseworkForm):
    today_fields = ("start_date",)
    start_date = _date("Date the assessment started")


class AssessmentSeenForm(CaseworkForm):
    today_fields = ("seen_date",)
    seen_date = _date("Date the child was seen")
    seen_alone = forms.BooleanField(label="The child was seen alone", required=False)


FACTOR_CHOICES = [
    *((code, f"{label} ({code})") for code, label in ASSESSMENT_FACTORS.items()),
    (NO_FACTORS, f"No factors identified ({NO_FACTORS})"),
]


class AssessmentCompleteForm(CaseworkForm):
    today_fields = ("completed_date",)
    completed_date = _date("Date the assessment was completed")
    factors = forms.MultipleChoiceField(
        label="Factors identified at the end of the assessment",
        choices=FACTOR_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply, or 'No factors identified'",
        error_messages={
            "required": "Select the factors identified, or 'No factors identified'",
            "invalid_choice": "Select the factors from the list",
        },
    )
    summary = _text(
        "Summary of the assessment",
        rows=8,
        required_message="Enter the assessment summary",
        hint="What you found, and what should happen next",
    )


class AssessmentAuthoriseForm(CaseworkForm):
    today_fields = ("authorised_date",)
    authorised_date = _date("Date you authorised the assessment")


# --- Child protection --------------------------------------------------------------------


class StrategyForm(CaseworkForm):
    today_fields = ("held_on",)
    error_names: ClassVar[dict[str, str]] = {"participants": "the list of who took part"}
    held_on = _date("Date of the strategy discussion")
    participants = _text(
        "Who took part?",
        rows=3,
        required_message="Enter who took part in the discussion",
        hint="Names and agencies, for example police, health and school",
        max_length=2000,
    )
    outcome = _radios(
        "What was decided?", StrategyOutcome.choices, "Select the outcome of the discussion"
    )
    notes = _text("Notes (optional)", rows=5)


class Section47ConcludeForm(CaseworkForm):
    today_fields = ("end_date",)
    end_date = _date("Date the enquiry concluded")
    outcome = _radios(
        "Outcome of the enquiry", Section47Outcome.choices, "Select the outcome of the enquiry"
    )


CATEGORY_CHOICES = [(c.value, c.label) for c in CategoryOfAbuse]


class ChairedForm(CaseworkForm):
    """A conference form: who chaired it, from the independent chairs (the one recording
    it, where they chair)."""

    error_names: ClassVar[dict[str, str]] = {"chair": "who chaired the conference"}
    # Not required by the form: a chair recording their own conference may leave it; the
    # service asks anyone else to choose.
    chair = _select("Who chaired the conference?", [])

    def __init__(self, *args: Any, chairs: list[tuple[int, str]], me: Any, **kwargs: Any) -> None:
        if me in {pk for pk, _ in chairs}:
            kwargs.setdefault("initial", {}).setdefault("chair", me)
        super().__init__(*args, **kwargs)
        field = self.fields["chair"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _CHOOSE + [(str(pk), label) for pk, label in chairs]


class ConferenceInitialForm(ChairedForm):
    field_order = ["held_on", "chair", "outcome", "category"]
    today_fields = ("held_on",)
    held_on = _date("Date of the conference")
    outcome = _radios(
        "Does the child need a child protection plan?",
        [("plan", "Yes: child protection plan"), ("no_plan", "No child protection plan")],
        "Select whether the child needs a plan",
    )
    category = _radios(
        "Category of abuse",
        CATEGORY_CHOICES,
        "",
        required=False,
        help_text="Only when the child needs a plan",
    )


class CoreGroupForm(CaseworkForm):
    today_fields = ("held_on",)
    held_on = _date("Date of the core group meeting")
    notes = _text("Notes (optional)", rows=5)


class ConferenceReviewForm(ChairedForm):
    field_order = ["held_on", "chair", "outcome", "latest_category"]
    today_fields = ("held_on",)
    held_on = _date("Date of the review conference")
    outcome = _radios(
        "Does the plan continue?",
        [("continue", "Yes: continue the plan"), ("end", "No: end the plan")],
        "Select whether the plan continues",
    )
    latest_category = _select(
        "Category of abuse now (optional)", CATEGORY_CHOICES, help_text="Only if it has changed"
    )


# --- Child in need plans -----------------------------------------------------------------


class CINPlanStartForm(CaseworkForm):
    today_fields = ("start_date",)
    start_date = _date("Date the plan started")


class CINPlanReviewForm(CaseworkForm):
    today_fields = ("held_on",)
    held_on = _date("Date of the review")


class CINPlanEndForm(CaseworkForm):
    today_fields = ("end_date",)
    end_date = _date("Date the plan ended")


# --- Children in care --------------------------------------------------------------------


class PlacementForm(CaseworkForm):
    input_classes = {
        "home_postcode": "govuk-input--width-10",
        "placement_postcode": "govuk-input--width-10",
    }
    legal_status = _select("Legal status", _coded(LegalStatus.choices), "Select the legal status")
    placement_type = _select(
        "Placement type", _coded(PlacementType.choices), "Select the placement type"
    )
    provider = _select(
        "Who provides the placement?",
        _coded(PlacementProvider.choices),
        "Select who provides the placement",
    )
    carer_name = forms.CharField(label="Carer or home (optional)", max_length=120, required=False)
    home_postcode = forms.CharField(
        label="Postcode the child lived at (optional)", max_length=10, required=False
    )
    placement_postcode = forms.CharField(
        label="Placement postcode (optional)", max_length=10, required=False
    )

    PLACEMENT = (
        "legal_status",
        "placement_type",
        "provider",
        "carer_name",
        "home_postcode",
        "placement_postcode",
    )

    def placement(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in self.PLACEMENT}


class CareStartForm(PlacementForm):
    today_fields = ("start_date",)
    start_date = _date("Date the child became looked after")
    field_order = ["start_date", *PlacementForm.PLACEMENT]


class CareChangeForm(PlacementForm):
    today_fields = ("change_date",)
    error_names: ClassVar[dict[str, str]] = {
        "reason_place_change": "why the placement changed",
    }
    change_date = _date("Date of the change")
    reason_place_change = _select(
        "Why did the placement change?",
        PlacementChangeReason.choices,
        help_text="Not needed when only the legal status changed",
    )
    field_order = ["change_date", *PlacementForm.PLACEMENT, "reason_place_change"]


class CarePlanForm(CaseworkForm):
    today_fields = ("plan_date",)
    plan_date = _date("Date the care plan was written")


class CareReviewForm(CaseworkForm):
    today_fields = ("held_on",)
    held_on = _date("Date of the looked-after review")
    participation = _radios(
        "How did the child take part?",
        _coded(Participation.choices),
        "Select how the child took part in the review",
    )
    recommendations = _text(
        "The reviewing officer's recommendations (optional)",
        hint="One a line. Each goes on the social worker's list until it is done",
        rows=4,
    )
    complete_by = _date("Date the recommendations are to be done by", required=False)


class RecommendationDoneForm(CaseworkForm):
    today_fields = ("done_on",)
    done_on = _date("Date it was done")


# --- Health and education of children in care ---------------------------------------------


class HealthCheckForm(CaseworkForm):
    today_fields = ("held_on",)
    error_names: ClassVar[dict[str, str]] = {"up_to_date": "whether they are up to date"}
    kind = _radios("What was done?", HealthCheckKind.choices, "Select what was done")
    held_on = _date("Date it was done")
    up_to_date = _radios(
        "Immunisations only: are they up to date?",
        [("yes", "Yes"), ("no", "No")],
        "",
        required=False,
    )
    note = _text("Note (optional)", rows=3)

    def clean_up_to_date(self) -> bool | None:
        return yes_no(self.cleaned_data["up_to_date"])


class SDQForm(CaseworkForm):
    today_fields = ("completed_on",)
    error_names: ClassVar[dict[str, str]] = {"reason": "why there is no score"}
    completed_on = _date("Date the questionnaire was completed")
    score = forms.IntegerField(
        label="Total difficulties score (optional)",
        help_text="From 0 to 40. Leave empty if there is no score and say why below",
        required=False,
        error_messages={"invalid": "The score must be a whole number from 0 to 40"},
    )
    reason = _select("Why is there no score?", _coded(SDQReason.choices))
    input_classes = {"score": "govuk-input--width-3"}


class SubstanceMisuseForm(CaseworkForm):
    today_fields = ("identified_on",)
    identified_on = _date("Date the substance misuse problem was identified")
    intervention_offered = forms.BooleanField(label="An intervention was offered", required=False)
    intervention_received = forms.BooleanField(label="An intervention was received", required=False)
    note = _text("Note (optional)", rows=3)


class OffenceForm(CaseworkForm):
    today_fields = ("outcome_on",)
    outcome = _radios("What was the outcome?", OffenceOutcome.choices, "Select the outcome")
    outcome_on = _date("Date of the outcome")


class EducationPlanForm(CaseworkForm):
    today_fields = ("held_on",)
    held_on = _date("Date of the personal education plan meeting")
    virtual_school_involved = forms.BooleanField(
        label="The virtual school took part", required=False
    )
    note = _text("Note (optional)", rows=3)


class UASCForm(CaseworkForm):
    started_on = _date("Date the child became an unaccompanied asylum-seeking child")
    ceased_on = _date(
        "Date the status ceased (optional)",
        required=False,
        hint="At the latest the child's 18th birthday. Leave empty if it continues",
    )
    # The version of the status the form was opened at, so a later save by someone else
    # is not silently overwritten.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CareEndForm(CaseworkForm):
    today_fields = ("end_date",)
    end_date = _date("Date the child left care")
    reason = _select(
        "Why did the child leave care?",
        [c for c in _coded(ReasonCeased.choices) if c[0] != ReasonCeased.X1],
        "Select why the child left care",
    )


# --- Missing, visits, notes --------------------------------------------------------------

_YES_NO = [("yes", "Yes"), ("no", "No"), ("unknown", "Not known yet")]


def yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class MissingForm(CaseworkForm):
    error_names: ClassVar[dict[str, str]] = {
        "interview_offered": "whether a return interview was offered",
        "interview_accepted": "whether the return interview was accepted",
    }
    kind = _radios(
        "Was the child missing, or away without authorisation?",
        MissingKind.choices,
        "Select missing or away without authorisation",
    )
    start_date = _date("Date they went missing")
    end_date = _date(
        "Date they came back (optional)",
        required=False,
        hint="Leave empty if they have not come back yet",
    )
    interview_offered = _radios("Was a return interview offered?", _YES_NO, "", required=False)
    interview_accepted = _radios("Was the return interview accepted?", _YES_NO, "", required=False)


SEEN_CHOICES = [
    ("alone", "Yes, and seen alone"),
    ("with_others", "Yes, with someone else"),
    ("not_seen", "No, the child was not seen"),
]


class VisitForm(CaseworkForm):
    today_fields = ("visited_on",)
    error_names: ClassVar[dict[str, str]] = {"note": "what happened"}
    visited_on = _date("Date of the visit")
    seen = _radios("Did you see the child?", SEEN_CHOICES, "Select whether you saw the child")
    bedroom_seen = forms.BooleanField(label="I saw the child's bedroom", required=False)
    note = _text("What happened? (optional)", rows=8, max_length=20000)


class NoteForm(CaseworkForm):
    text = _text("Case note", rows=10, required_message="Enter the note", max_length=20000)
    significant = forms.BooleanField(
        label="Significant: add it to the child's chronology",
        required=False,
        help_text="Partner agencies who can see the child's chronology will see it",
    )


class DraftForm(GovukForm):
    kind = forms.ChoiceField(choices=[("note", "note"), ("visit", "visit")])
    text = forms.CharField(required=False, strip=False, max_length=20000)


# --- Allocation and oversight ------------------------------------------------------------


class AllocateForm(CaseworkForm):
    worker = forms.TypedChoiceField(
        label="Social worker",
        coerce=int,
        choices=[],
        error_messages={
            "required": "Select a social worker",
            "invalid_choice": "Select a social worker",
        },
    )
    reason = _select(
        "Why is the case moving?",
        [c for c in AllocationReason.choices if c[0] != AllocationReason.NEW],
        "Select why the case is being reallocated",
    )

    def __init__(self, *args: Any, workers: list[Any], reallocating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["worker"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _CHOOSE + [
            (w.pk, f"{w.get_full_name() or w.username}, {w.role_label.lower()}") for w in workers
        ]
        if not reallocating:
            del self.fields["reason"]


class OversightForm(CaseworkForm):
    today_fields = ("held_on",)
    error_names: ClassVar[dict[str, str]] = {"discussion": "what was discussed"}
    kind = _radios(
        "What kind of record is this?",
        [("supervision", "Supervision"), ("oversight", "Management oversight")],
        "Select supervision or management oversight",
    )
    held_on = GovukDateField(
        label="Date",
        subject="The date of the supervision or oversight",
        help_text="For example, 27 3 2025",
    )
    discussion = _text("What was discussed?", rows=6, required_message="Enter what was discussed")
    actions = _text("Actions agreed (optional)", rows=4)
