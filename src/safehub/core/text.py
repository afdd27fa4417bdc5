"""Free text from outside (the public form, partners, the API), checked before it is kept.

Refused in plain English, never silently altered: text we could not decode, control
characters, anything that looks like web markup, and single-line answers that a spreadsheet
would run as a formula.
"""

import re
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError

_MARKUP = re.compile(r"<\s*[/!?]?\s*[a-zA-Z]")
_FORMULA_START = ("=", "+", "-", "@")
_MULTILINE_FORMULA_START = ("=", "+", "@")


def clean_text(
    value: Any, *, label: str, max_length: int, multiline: bool = False, required: bool = True
) -> str:
    """`label` reads in a sentence: "the name of the school". Returns the tidied text."""
    text = unicodedata.normalize("NFC", str(value or ""))
    if multiline:
        text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n"))
        text = text.strip()
    else:
        text = " ".join(text.split())
    if not text:
        if required:
            raise ValidationError(f"Enter {label}")
        return ""
    if "\ufffd" in text:
        raise ValidationError(f"{_cap(label)} contains characters we could not read. Type it again")
    allowed = "\n\t" if multiline else ""
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co") and c not in allowed for c in text):
        raise ValidationError(f"{_cap(label)} contains characters that are not allowed")
    if _MARKUP.search(text):
        raise ValidationError(
            f"{_cap(label)} must not include web code such as <script>. "
            "Describe it in your own words"
        )
    if text.startswith(_MULTILINE_FORMULA_START if multiline else _FORMULA_START):
        starts = "=, + or @" if multiline else "=, +, - or @"
        raise ValidationError(f"{_cap(label)} must not start with {starts}")
    if len(text) > max_length:
        raise ValidationError(f"{_cap(label)} must be {max_length:,} characters or fewer")
    return text


def _cap(label: str) -> str:
    label = label.removeprefix("the ").removeprefix("a ").removeprefix("an ")
    return label[:1].upper() + label[1:]
