from typing import Any, ClassVar

from django import forms

from safehub.ui.fields import GovukDateField
from safehub.ui.forms_util import GovukForm

CODE_ERROR = "Enter the 6-digit code from your authenticator app"


class SignInForm(GovukForm):
    username = forms.CharField(
        label="Username", max_length=150, error_messages={"required": "Enter your username"}
    )
    password = forms.CharField(
        label="Password",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": "Enter your password"},
    )


class CodeForm(GovukForm):
    code = forms.RegexField(
        label="Security code",
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        help_text="The 6-digit code shown in your authenticator app",
        error_messages={"required": CODE_ERROR, "invalid": CODE_ERROR},
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip()


class BreakGlassForm(CodeForm):
    error_names: ClassVar[dict[str, str]] = {"reason": "your reason"}
    reason = forms.CharField(
        label="Why do you need to open this record?",
        max_length=2000,
        widget=forms.Textarea,
        help_text="Your reason is recorded and reviewed by the data protection officer.",
        error_messages={"required": "Enter why you need to open this record"},
    )


class AuditFilterForm(GovukForm):
    person_id = forms.IntegerField(
        label="SafeHub ID of a person",
        required=False,
        min_value=1,
        max_value=2**62,
        error_messages={"invalid": "Enter a SafeHub ID, which is a number, for example 1042"},
    )
    username = forms.CharField(
        label="Username of a member of staff", max_length=150, required=False
    )
    date_from = GovukDateField(label="From", subject="The 'from' date", required=False)
    date_to = GovukDateField(label="To", subject="The 'to' date", required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not self.errors and not (data.get("person_id") or data.get("username")):
            raise forms.ValidationError("Enter a SafeHub ID or a username")
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "The 'to' date must be the same as or after the 'from' date")
        return data


class ReviewForm(GovukForm):
    note = forms.CharField(
        label="Review note", max_length=2000, required=False, widget=forms.Textarea
    )
