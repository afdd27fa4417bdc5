"""What every SafeHub form shares: GOV.UK-style error messages in place of Django's own, a
form put back as its author sent it after their session ended, and service errors shown on
the form."""

import re
from contextvars import ContextVar
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.http import QueryDict

# A form sent after its author's session ended, being put back in its page (ADR 0018). Set
# by access.middleware.SessionLimitsMiddleware for that one request; read by GovukForm.
restored_form: ContextVar[QueryDict | None] = ContextVar("restored_form", default=None)

# Errors on a hidden field are not about anything the user typed or can see.
HIDDEN_FIELD_ERROR = "Something went wrong with this page. Open it again and try once more"
# Fields whose answer is picked, not typed: "Select …" rather than "Enter …".
PICKED = (forms.ChoiceField, forms.BooleanField, forms.ModelChoiceField)


def form_restored() -> bool:
    """True while a page is being shown with a form put back after sign-in (base.html)."""
    return restored_form.get() is not None


class GovukForm(forms.Form):
    """The base of every SafeHub form.

    Error messages follow the GOV.UK Design System ("Enter your first name", "Case note must
    be 20,000 characters or fewer"), never Django's own ("This field is required."). A
    field's own messages win; the rest are made from how messages name the field: its
    `error_name` attribute, else `error_names[name]`, else its label when that reads as a
    noun ("Last name" is named "last name"). A label that is a question needs one of the
    first two; tests/architecture/test_form_errors.py checks every form.
    """

    error_names: ClassVar[dict[str, str]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        data = args[0] if args else kwargs.get("data")
        restored = restored_form.get() if data is None else None
        super().__init__(*args, **kwargs)
        if restored is not None and self._was_sent(restored):
            self._put_back(restored)

    def full_clean(self) -> None:
        for name, field in self.fields.items():
            govuk_messages(self, name, field)
        super().full_clean()

    # By name, not through bound fields: those keep the label they had when first made,
    # and a subclass may still change labels after this __init__.
    def _was_sent(self, data: QueryDict) -> bool:
        """This form is the one that was sent if a field it shows was in it."""
        return any(
            self.add_prefix(name) in data or f"{self.add_prefix(name)}-day" in data
            for name, field in self.fields.items()
            if not field.widget.is_hidden
        )

    def _put_back(self, data: QueryDict) -> None:
        """Show what was sent, as sent, without judging it yet: it was never checked. Hidden
        fields that were not kept (one-time tokens) take this page's fresh values."""
        merged = data.copy()
        for name, field in self.fields.items():
            if field.widget.is_hidden and self.add_prefix(name) not in merged:
                value = self.get_initial_for_field(field, name)
                if value is not None:
                    merged[self.add_prefix(name)] = str(value)
        self.data, self.is_bound = merged, True
        self._errors = ErrorDict()
        self.cleaned_data = {}


def error_name(form: forms.Form, name: str, field: forms.Field) -> str | None:
    """How messages name this field ("the child's first name"), or None if its label is a
    question and nobody said."""
    explicit = getattr(field, "error_name", None) or getattr(form, "error_names", {}).get(name)
    if explicit:
        return str(explicit)
    label = re.sub(r"\s*\((optional|if returning it)\)\s*$", "", str(field.label or "")).strip()
    if not label or label.endswith("?") or ":" in label or "…" in label:
        return None
    first = label.split()[0]
    # "Last name" reads "last name" mid-sentence; "NHS number" and "SafeHub ID" stay.
    return label[0].lower() + label[1:] if first[1:] == first[1:].lower() else label


def _capital(text: str) -> str:
    return text[0].upper() + text[1:]


def govuk_messages(form: forms.Form, name: str, field: forms.Field) -> None:
    """Replace each of Django's own messages this field would give with a GOV.UK one."""
    if isinstance(field, forms.MultiValueField):
        return  # the GOV.UK date field words its own
    defaults: dict[str, Any] = {}
    for cls in reversed(type(field).__mro__):
        defaults.update(getattr(cls, "default_error_messages", {}))
    messages = field.error_messages
    if field.widget.is_hidden:
        for code in {*defaults, "max_length", "min_length", "min_value", "max_value"}:
            messages[code] = HIDDEN_FIELD_ERROR
        return
    named = error_name(form, name, field) or "your answer"
    picked = isinstance(field, PICKED)
    from_list = f"Select {named} from the list"  # noqa: S608 - words for people, not SQL
    ours = {
        "required": f"Select {named}" if picked else f"Enter {named}",
        "invalid_choice": from_list,
        "invalid_list": from_list,
        "invalid_pk_value": from_list,
        "invalid": _invalid(field, named),
        "max_length": f"{_capital(named)} must be {getattr(field, 'max_length', 0) or 0:,} "
        "characters or fewer",
        "min_length": f"{_capital(named)} must be {getattr(field, 'min_length', 0) or 0:,} "
        "characters or more",
        "min_value": f"{_capital(named)} must be {getattr(field, 'min_value', '')} or more",
        "max_value": f"{_capital(named)} must be {getattr(field, 'max_value', '')} or less",
        "null_characters_not_allowed": f"{_capital(named)} contains characters that are not "
        "allowed",
    }
    for code, message in ours.items():
        current = messages.get(code)
        if not current or current == defaults.get(code):
            messages[code] = message


def _invalid(field: forms.Field, named: str) -> str:
    if isinstance(field, forms.EmailField):
        return f"Enter {named} in the correct format, like name@example.com"
    if isinstance(field, forms.IntegerField):
        return f"{_capital(named)} must be a whole number, like 12"
    return f"Enter {named} in the correct format"


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: keyed messages on their fields (or at the
    top when the form has no such field), the rest at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
