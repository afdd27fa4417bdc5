"""A date field that reads the GOV.UK date input's three boxes (name-day, name-month,
name-year) and answers in plain English."""

import re
from datetime import date
from typing import Any

from django import forms


class GovukDateWidget(forms.MultiWidget):
    def __init__(self) -> None:
        super().__init__(
            widgets={
                "-day": forms.TextInput(),
                "-month": forms.TextInput(),
                "-year": forms.TextInput(),
            }
        )

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[Any]:
        # GOV.UK's date input names its boxes name-day, name-month, name-year.
        return [data.get(f"{name}-{part}") for part in ("day", "month", "year")]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return all(f"{name}-{part}" not in data for part in ("day", "month", "year"))

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    widget = GovukDateWidget

    def __init__(
        self, *, label: str, subject: str = "", required: bool = True, **kwargs: Any
    ) -> None:
        # How an error message names it, at the start of a sentence: "The date of birth".
        plain = re.sub(r"\s*\(optional\)\s*$", "", label)
        self.subject = subject or f"The {plain[0].lower()}{plain[1:]}"
        fields = (
            forms.CharField(max_length=2),
            forms.CharField(max_length=2),
            forms.CharField(max_length=4),
        )
        super().__init__(
            fields=fields, label=label, required=required, require_all_fields=False, **kwargs
        )
        self.error_messages["required"] = f"Enter {self.subject[0].lower()}{self.subject[1:]}"
        self.error_messages["incomplete"] = f"{self.subject} must include a day, month and year"

    def clean(self, value: Any) -> date | None:
        parts = [str(v or "").strip() for v in (value or ["", "", ""])]
        if not any(parts):
            if self.required:
                raise forms.ValidationError(self.error_messages["required"])
            return None
        if not all(parts):
            raise forms.ValidationError(self.error_messages["incomplete"])
        try:
            day, month, year = (int(p) for p in parts)
            if year < 1000:
                raise ValueError
            return date(year, month, day)
        except (ValueError, OverflowError):
            raise forms.ValidationError(f"{self.subject} must be a real date") from None

    def compress(self, data_list: list[Any]) -> Any:  # pragma: no cover - clean() overrides
        return data_list
