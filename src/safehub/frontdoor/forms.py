"""Input shapes for the MASH and partner pages. Forms parse; the services decide what is
valid, so pages and the API refuse the same things in the same words."""

from datetime import datetime, time
from typing import Any, ClassVar

from django import forms
from django.db.models import QuerySet

from safehub.casework.services import NEEDS_FOR_A_REFERRAL
from safehub.core.once import OneTimeTokenField
from safehub.core.workdays import LONDON
from safehub.frontdoor.codes import (
    ADULT_DESCRIBED,
    ASSESSMENT_FACTORS,
    CHILD_DESCRIBED,
    Channel,
    Consent,
    ConsentDecision,
    Decision,
    FamilyAware,
    LevelOfNeed,
    Rag,
    ReferralSource,
    Status,
    Urgency,
)
from safehub.frontdoor.services import DUE_OPTIONS, decision_timescales
from safehub.organisations.models import Agency
from safehub.ui.fields import GovukDateField
from safehub.ui.forms_util import GovukForm

_ANY = [("", "Any")]


class QueueFilterForm(GovukForm):
    error_names: ClassVar[dict[str, str]] = {"channel": "how the contact came in"}
    rag = forms.ChoiceField(
        label="RAG rating",
        required=False,
        choices=[*_ANY, ("none", "Not rated"), *list(Rag.choices)],
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=_ANY + [c for c in Status.choices if c[0] != Status.DECIDED],
    )
    urgency = forms.ChoiceField(
        label="Urgency",
        required=False,
        choices=_ANY + [(v, v.capitalize()) for v in Urgency.values],
    )
    channel = forms.ChoiceField(
        label="Came in by", required=False, choices=_ANY + list(Channel.choices)
    )
    mine = forms.BooleanField(label="Only contacts assigned to me", required=False)
    overdue = forms.BooleanField(label="Only contacts past the decision timescale", required=False)


class IdPrefixed(GovukForm):
    """Several forms share the contact page, so each gets its own element ids."""

    id_prefix = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if self.id_prefix:
            kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


class VersionedForm(IdPrefixed):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class RateForm(VersionedForm):
    id_prefix = "rate"
    rag = forms.ChoiceField(
        label="RAG rating",
        choices=Rag.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a RAG rating"},
    )
    level_of_need = forms.ChoiceField(
        label="Level of need",
        choices=LevelOfNeed.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the level of need"},
    )


class InformationRequestForm(IdPrefixed):
    id_prefix = "request"
    error_names: ClassVar[dict[str, str]] = {
        "question": "what you need to know",
        "due": "when you need the answer",
    }
    agency: "forms.ModelChoiceField[Agency]" = forms.ModelChoiceField(
        label="Agency to ask",
        queryset=None,
        empty_label="Select an agency",
        error_messages={
            "required": "Select the agency to ask",
            "invalid_choice": "Select the agency to ask",
        },
    )
    question = forms.CharField(
        label="What do you need to know?", widget=forms.Textarea, required=False, max_length=2000
    )
    due = forms.ChoiceField(
        label="When do you need the answer?",
        choices=list(DUE_OPTIONS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": "Select when the answer is needed"},
    )

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        agency.queryset = agencies


class ConsentForm(IdPrefixed):
    id_prefix = "consent"
    decision = forms.ChoiceField(
        label="Consent decision",
        choices=ConsentDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the consent decision"},
    )
    reason = forms.CharField(
        label="Reason for the consent decision",
        widget=forms.Textarea,
        required=False,
        max_length=2000,
    )


class DecideForm(VersionedForm):
    id_prefix = "decide"
    decision = forms.ChoiceField(
        label="Decision",
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a decision"},
    )
    primary_need = forms.ChoiceField(
        label="The child's primary need",
        choices=[("", "Select one")]
        + [(n.value, f"{n.label} ({n.value})") for n in NEEDS_FOR_A_REFERRAL],
        required=False,
        help_text="Needed when referring to children's social care. It can be changed later",
    )
    reasons = forms.CharField(
        label="Reasons for the decision", widget=forms.Textarea, required=False, max_length=5000
    )
    feedback = forms.CharField(
        label="Message to the referrer (optional)",
        widget=forms.Textarea,
        required=False,
        max_length=2500,
        help_text="Sent with the outcome. The reasons above stay within the council",
    )


class SignOffForm(VersionedForm):
    id_prefix = "sign-off"
    error_names: ClassVar[dict[str, str]] = {
        "approve": "whether you agree with the decision",
        "note": "what should change",
    }
    approve = forms.ChoiceField(
        label="Do you agree with this decision?",
        widget=forms.RadioSelect,
        choices=[("yes", "Yes, sign it off"), ("no", "No, return it to the worker")],
        error_messages={"required": "Select whether you agree with the decision"},
    )
    note = forms.CharField(
        label="What should change? (if returning it)",
        widget=forms.Textarea,
        required=False,
        max_length=2000,
    )


class AnswerForm(VersionedForm):
    answer = forms.CharField(
        label="Your answer",
        widget=forms.Textarea,
        required=False,
        max_length=5000,
        help_text="Share only what is relevant and proportionate to the question",
    )


def _text(label: str, error_name: str, max_length: int, **kwargs: Any) -> forms.CharField:
    """An optional line of text, named in error messages as `error_name`."""
    field = forms.CharField(label=label, required=False, max_length=max_length, **kwargs)
    field.error_name = error_name  # type: ignore[attr-defined]
    return field


CHILD_SLOTS = 3
ADULT_SLOTS = 2
FACTOR_CHOICES = sorted(ASSESSMENT_FACTORS.items(), key=lambda item: item[1])


class ProfessionalReferralForm(GovukForm):
    """A multi-agency referral. Up to three children and two adults per form; the service
    takes more through the API."""

    error_names: ClassVar[dict[str, str]] = {
        "referral_source": "the service you are referring from",
        "urgency": "how urgent this is",
        "concern_factors": "what you are worried about",
        "concern_summary": "what has happened and why you are worried",
        "what_tried": "what has been tried so far",
        "family_aware": "whether the family knows about this referral",
        "consent": "whether the family has consented",
        "consent_not_sought_reason": "why you did not seek consent",
    }
    idempotency_key = OneTimeTokenField()
    referral_source = forms.ChoiceField(
        label="Which service are you referring from?",
        choices=[("", "Select")]
        + [c for c in ReferralSource.choices if c[0] not in ("1A", "1B", "1C", "1D", "9", "10")],
        required=False,
    )
    urgency = forms.ChoiceField(
        label="How urgent is this?",
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    concern_factors = forms.MultipleChoiceField(
        label="What are you worried about?",
        choices=FACTOR_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply",
    )
    concern_summary = forms.CharField(
        label="What has happened, and why are you worried?",
        widget=forms.Textarea,
        required=False,
        max_length=6000,
        help_text="Include what the child has said, what you have seen, and dates",
    )
    what_tried = forms.CharField(
        label="What has been tried so far?", widget=forms.Textarea, required=False, max_length=6000
    )
    family_aware = forms.ChoiceField(
        label="Does the family know you are making this referral?",
        choices=FamilyAware.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    consent = forms.ChoiceField(
        label="Has the family consented to this referral?",
        choices=Consent.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    consent_not_sought_reason = forms.CharField(
        label="If you did not seek consent, why not?",
        widget=forms.Textarea,
        required=False,
        max_length=2500,
        help_text="For example, asking would put the child at greater risk",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["urgency"].help_text = decision_timescales()
        for i in range(CHILD_SLOTS):
            self._add_child(i)
        for i in range(ADULT_SLOTS):
            self._add_adult(i)
        self.order_fields(self.page_order())

    # The questions frontdoor/_referral_fields.html asks, in its order.
    SHARED_QUESTIONS = (
        "concern_factors",
        "concern_summary",
        "what_tried",
        "urgency",
        "family_aware",
        "consent",
        "consent_not_sought_reason",
    )

    def people_fields(self) -> list[str]:
        return [
            *(f"child_{i}_{name}" for i in range(CHILD_SLOTS) for name in _child_names(i)),
            *(f"adult_{i}_{name}" for i in range(ADULT_SLOTS) for name in ADULT_FIELDS),
        ]

    def page_order(self) -> list[str]:
        """The fields in the order the page shows them, so the error summary lists the
        problems in that order too."""
        return [*self.people_fields(), *self.SHARED_QUESTIONS, "referral_source"]

    def _add_child(self, i: int) -> None:
        which = "" if i == 0 else f" {i + 1}"
        whose = "the child's" if i == 0 else f"child {i + 1}'s"
        text = {
            "given_name": ("first name", 200),
            "family_name": ("last name", 200),
            "address_line_1": ("building and street", 200),
            "town": ("town or city", 120),
            "postcode": ("home postcode", 20),
            "school": ("school or nursery", 200),
            "nhs_number": ("NHS number (if known)", 20),
            "upn": ("unique pupil number (UPN, if known)", 20),
        }
        for name, (label, limit) in text.items():
            self.fields[f"child_{i}_{name}"] = _text(
                f"Child{which}: {label}", f"{whose} {label.split(' (')[0]}", limit
            )
        self.fields[f"child_{i}_date_of_birth"] = GovukDateField(
            label=f"Child{which}: date of birth",
            subject=f"{whose[0].upper()}{whose[1:]} date of birth",
            required=False,
            help_text="For example, 27 3 2015",
        )
        self.fields[f"child_{i}_expected_date_of_birth"] = GovukDateField(
            label=f"Child{which}: not born yet, due on",
            subject="The date the baby is due",
            required=False,
            help_text="For a pre-birth referral, instead of a date of birth. Name the mother "
            "as one of the adults",
        )
        if i:
            self.fields[f"child_{i}_relationship_to_child"] = forms.ChoiceField(
                label=f"Child{which}: relationship to the first child",
                choices=[("", "Select"), *[(d.value, d.label) for d in CHILD_DESCRIBED]],
                required=False,
            )
            self.fields[f"child_{i}_relationship_to_child"].error_name = (  # type: ignore[attr-defined]
                f"how child {i + 1} is related to the first child"
            )

    def _add_adult(self, i: int) -> None:
        whose = f"adult {i + 1}'s"
        self.fields[f"adult_{i}_given_name"] = _text(
            f"Adult {i + 1}: first name", f"{whose} first name", 200
        )
        self.fields[f"adult_{i}_family_name"] = _text(
            f"Adult {i + 1}: last name", f"{whose} last name", 200
        )
        self.fields[f"adult_{i}_relationship_to_child"] = forms.ChoiceField(
            label=f"Adult {i + 1}: how are they related to the first child?",
            choices=[("", "Select"), *[(d.value, d.label) for d in ADULT_DESCRIBED]],
            required=False,
        )
        self.fields[f"adult_{i}_relationship_to_child"].error_name = (  # type: ignore[attr-defined]
            f"how adult {i + 1} is related to the first child"
        )
        self.fields[f"adult_{i}_relationship"] = _text(
            f"Adult {i + 1}: relationship in your words (optional)",
            f"adult {i + 1}'s relationship in your words",
            200,
            help_text="For example, mother's partner since last year",
        )

    def child_fields(self, i: int) -> list[Any]:
        return [self[f"child_{i}_{name}"] for name in _child_names(i)]

    def adult_fields(self, i: int) -> list[Any]:
        return [self[f"adult_{i}_{name}"] for name in ADULT_FIELDS]

    def submission(self) -> dict[str, Any]:
        """The cleaned form as the one submission shape every channel uses."""
        data = self.cleaned_data
        children = []
        for i in range(CHILD_SLOTS):
            child = {f: data.get(f"child_{i}_{f}") for f in _child_names(i)}
            if i == 0 or any(child.values()):
                children.append(child)
        adults = [
            {f: data.get(f"adult_{i}_{f}") for f in ADULT_FIELDS}
            for i in range(ADULT_SLOTS)
            if any(data.get(f"adult_{i}_{f}") for f in ("given_name", "family_name"))
        ]
        keys = (
            "referral_source",
            "urgency",
            "concern_factors",
            "concern_summary",
            "what_tried",
            "family_aware",
            "consent",
            "consent_not_sought_reason",
        )
        return {
            "children": children,
            "adults": adults,
            "referrer": {},
            **{k: data.get(k) for k in keys},
        }


# In the order each child's and adult's questions are asked.
CHILD_FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "expected_date_of_birth",
    "address_line_1",
    "town",
    "postcode",
    "school",
    "nhs_number",
    "upn",
)
ADULT_FIELDS = ("given_name", "family_name", "relationship_to_child", "relationship")


def _child_names(i: int) -> tuple[str, ...]:
    return (*CHILD_FIELDS, "relationship_to_child") if i else CHILD_FIELDS


class PhoneContactForm(ProfessionalReferralForm):
    """A worry told to the MASH by telephone, typed in while or after the call: the same
    questions as an online referral, plus who called and when."""

    error_names: ClassVar[dict[str, str]] = {
        **ProfessionalReferralForm.error_names,
        "referral_source": "who the caller is",
        "concern_factors": "what the caller is worried about",
        "concern_summary": "what has happened and why the caller is worried",
        "family_aware": "whether the family knows about this call",
        "consent_not_sought_reason": "why the caller did not seek consent",
    }

    referral_source = forms.ChoiceField(
        label="Who is the caller?",
        choices=[("", "Select"), *ReferralSource.choices],
        required=False,
        help_text="The source recorded for the children in need census",
    )
    caller_anonymous = forms.BooleanField(
        label="The caller would not give their name", required=False
    )
    caller_name = forms.CharField(label="Caller's name", required=False, max_length=120)
    caller_relationship = forms.CharField(
        label="Caller's role or how they know the child",
        required=False,
        max_length=120,
        help_text="For example, class teacher at Elm Primary School, or grandmother",
    )
    caller_phone = forms.CharField(label="Caller's phone number", required=False, max_length=30)
    caller_email = forms.CharField(label="Caller's email address", required=False, max_length=254)
    caller_wants_contact = forms.BooleanField(
        label="The caller would like to hear what happens next", required=False
    )
    call_date = GovukDateField(label="Date of the call", required=False)
    call_time = forms.CharField(
        label="Time of the call",
        required=False,
        max_length=5,
        help_text="24-hour clock, for example 14:30",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The same questions, asked about the caller rather than the person filling it in.
        for name, label in (
            ("concern_factors", "What is the caller worried about?"),
            ("concern_summary", "What has happened, and why is the caller worried?"),
            ("family_aware", "Does the family know about this call?"),
            ("consent_not_sought_reason", "If the caller did not seek consent, why not?"),
        ):
            self.fields[name].label = label
        self.fields["concern_summary"].help_text = (
            "In the caller's words where you can: what the child said, what the caller saw, "
            "and when"
        )

    def page_order(self) -> list[str]:
        caller = [
            "call_date",
            "call_time",
            "referral_source",
            "caller_name",
            "caller_anonymous",
            "caller_relationship",
            "caller_phone",
            "caller_email",
            "caller_wants_contact",
        ]
        return [*caller, *self.people_fields(), *self.SHARED_QUESTIONS]

    def clean_call_time(self) -> time | None:
        text = self.cleaned_data.get("call_time", "").strip()
        if not text:
            return None
        hours, _, minutes = text.replace(".", ":").partition(":")
        try:
            return time(int(hours), int(minutes))
        except ValueError:
            raise forms.ValidationError("Enter the time of the call like 14:30") from None

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if bool(data.get("call_date")) != bool(data.get("call_time")) and not self.errors:
            self.add_error(
                "call_date" if data.get("call_time") else "call_time",
                "Enter both the date and the time of the call, or neither",
            )
        return data

    def received_at(self) -> datetime | None:
        """When the call came in, in UK time; None means just now."""
        day, at = self.cleaned_data.get("call_date"), self.cleaned_data.get("call_time")
        if not (day and at):
            return None
        return datetime.combine(day, at, tzinfo=LONDON)

    def submission(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **super().submission(),
            "referrer": {
                "anonymous": data.get("caller_anonymous"),
                "name": data.get("caller_name"),
                "relationship": data.get("caller_relationship"),
                "phone": data.get("caller_phone"),
                "email": data.get("caller_email"),
                "wants_contact": data.get("caller_wants_contact"),
            },
        }
