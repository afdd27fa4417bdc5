"""Input shapes for the insight pages: the quarter a committee report is for, and the
director's commentary. Each form carries a one-time token (core.once), so a double click
queues one report and saves the commentary once."""

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from safehub.core.once import TOKEN_FIELD, OneTimeTokenField, new_token, token_key
from safehub.insight.models import Commentary
from safehub.insight.report_pdf import quarter_name
from safehub.insight.services import quarter_start
from safehub.ui.forms_util import GovukForm


class _OnceForm(GovukForm):
    idempotency_key = OneTimeTokenField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault(TOKEN_FIELD, new_token())
        super().__init__(*args, **kwargs)

    def once_key(self, user: Any) -> str | None:
        token = self.cleaned_data.get(TOKEN_FIELD)
        return token_key("insight", user, token) if token else None


def ended_quarters(today: date, count: int = 8) -> list[tuple[str, str]]:
    """The last `count` quarters that have ended, newest first: (first day, name)."""
    start = quarter_start(quarter_start(today) - timedelta(days=1))
    out = []
    for _ in range(count):
        out.append((start.isoformat(), quarter_name(start)))
        start = quarter_start(start - timedelta(days=1))
    return out


class QuarterForm(_OnceForm):
    quarter = forms.ChoiceField(
        label="Quarter",
        choices=[],
        error_messages={
            "required": "Choose a quarter",
            "invalid_choice": "Choose a quarter from the list",
        },
    )

    def __init__(
        self, *args: Any, quarters: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["quarter"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = quarters or ended_quarters(timezone.localdate())


class CommentaryForm(_OnceForm):
    text = forms.CharField(
        label="The director's commentary",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="What the committee should read beside the figures: what has changed, why, "
        "and what is being done. It appears in the report as written.",
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    error_names = {"text": "commentary"}

    @classmethod
    def for_commentary(cls, commentary: Commentary | None) -> "CommentaryForm":
        if commentary is None:
            return cls()
        return cls(initial={"text": commentary.text, "version": commentary.version})


class RefreshForm(_OnceForm):
    """Work the dashboard's figures out again: a button, and its one-time token."""
