from django import forms

from safehub.ui.fields import GovukDateField


class AuditFilterForm(forms.Form):
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
    date_from = GovukDateField(label="From", required=False)
    date_to = GovukDateField(label="To", required=False)

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if not self.errors and not (data.get("person_id") or data.get("username")):
            raise forms.ValidationError("Enter a SafeHub ID or a username")
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "The 'to' date must be the same as or after the 'from' date")
        return data


class ReviewForm(forms.Form):
    note = forms.CharField(
        label="Review note", max_length=2000, required=False, widget=forms.Textarea
    )
