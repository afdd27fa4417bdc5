from typing import ClassVar

from django import forms

from safehub.access.roles import Role
from safehub.organisations.models import EmploymentType, Team
from safehub.ui.forms_util import GovukForm


class TeamChoiceField(forms.ModelChoiceField):
    """A team picker naming each team with its agency (26 schools each have a team called
    "Safeguarding")."""

    def label_from_instance(self, obj: Team) -> str:
        return obj.label


class UserForm(GovukForm):
    error_names: ClassVar[dict[str, str]] = {"employment_type": "the type of employment"}
    first_name = forms.CharField(
        label="First name", max_length=150, error_messages={"required": "Enter a first name"}
    )
    last_name = forms.CharField(
        label="Last name", max_length=150, error_messages={"required": "Enter a last name"}
    )
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter an email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    job_title = forms.CharField(label="Job title", max_length=200, required=False)
    swe_registration = forms.CharField(
        label="Social Work England registration number (social workers)",
        max_length=20,
        required=False,
        help_text="SW followed by digits, like SW123456",
    )
    role = forms.ChoiceField(
        label="Role", choices=Role.choices, error_messages={"required": "Select a role"}
    )
    team = TeamChoiceField(
        label="Team",
        queryset=Team.objects.select_related("agency").order_by("agency__name", "name"),
        empty_label="Choose a team",
        error_messages={
            "required": "Select a team",
            "invalid_choice": "Select a team from the list",
        },
    )
    employment_type = forms.ChoiceField(
        label="Employment", choices=EmploymentType.choices, widget=forms.RadioSelect
    )
    is_active = forms.BooleanField(label="Account is active", required=False, initial=True)


class NewUserForm(UserForm):
    username = forms.RegexField(
        label="Username",
        regex=r"^[a-z0-9._-]{3,150}$",
        error_messages={
            "required": "Enter a username",
            "invalid": "Username must be 3 or more "
            "lower-case letters, numbers, "
            "dots, hyphens or underscores",
        },
    )
    password = forms.CharField(
        label="Temporary password",
        widget=forms.PasswordInput,
        strip=False,
        max_length=128,
        help_text="At least 12 characters. The user sets up their "
        "authenticator app at first sign-in.",
        error_messages={"required": "Enter a temporary password"},
    )
    # As the page asks them, so the error summary lists problems in that order.
    field_order = ["username", *UserForm.base_fields, "password"]
