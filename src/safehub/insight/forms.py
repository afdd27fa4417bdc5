"""Input shapes for the insight pages: the quarter a committee report is for, and the
director's commentary. Each form carries a one-time token (core.once), so a double click
queues one report and saves the commentary once."""

from typing import Any

from django import forms

from safehub.core.once import TOKEN_FIELD, OneTimeTokenField, new_token, token_key
from safehub.insight.models import Commentary
from safehub.ui.forms_util import GovukForm


class _OnceForm(GovukForm):
    idempotency_key = OneTimeTokenField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault(TOKEN_FIELD, new_token())
        super().__init__(*args, **kwargs)

    def once_key(self, user: Any) -> str | None:
        token = self.cleaned_data.get(TOKEN_FIELD)
        return token_key("insight", user, token) if token else None


class QuarterForm(_OnceForm):
    quarter = forms.ChoiceField(
        label="Quarter",
        choices=[],
        error_messages={
            "required": "Choose a quarter",
            "invalid_choice": "Choose a quarter from the list",
        },
    )

    def __init__(self, *args: Any, quarters: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["quarter"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = quarters


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
