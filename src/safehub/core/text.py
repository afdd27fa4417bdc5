"""Free text from outside (the public form, partners, the API), checked before it is kept.

Refused in plain English, never silently altered: text we could not decode, characters
that reorder how text is shown, other control and hidden characters, anything that looks
like web markup, and single-line answers that a spreadsheet would run as a formula.

Which characters are allowed is decided here, once, for free text (`clean_text`), names
(`people.validation`) and the API's text fields: emoji of every kind (the `emoji` package
knows the sequences, including the tag sequences of the England, Scotland and Wales flags)
and the zero-width joiners are legitimate text; the bidirectional controls are not.
"""

import re
import unicodedata
from typing import Any

import emoji
from django.core.exceptions import ValidationError

# The zero-width non-joiner and joiner: part of how Persian, Urdu and the Indic scripts are
# spelt, and of emoji sequences (a family, a health worker with a skin tone).
JOINERS = "\u200c\u200d"
# Bidirectional embeddings, overrides and isolates. Invisible, they make text display in a
# different order from the one it was written in, so what a reader sees is not what is kept.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Control, hidden format, surrogate and private-use characters.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co"})

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
    check_characters(text, label=label, allowed="\n\t" if multiline else "")
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


def check_characters(text: str, *, label: str, allowed: str = "") -> None:
    """Refuse, in plain English, text we could not decode, bidirectional controls, and any
    other control or hidden character outside an emoji sequence, but the joiners and the
    whitespace in `allowed`. `label` reads in a sentence: "the note"."""
    if "\ufffd" in text:
        raise ValidationError(f"{_cap(label)} contains characters we could not read. Type it again")
    refuse_bidi_controls(text, label=label)
    if _hidden(text, allowed) and _hidden(emoji.replace_emoji(text, replace=""), allowed):
        raise ValidationError(f"{_cap(label)} contains characters that are not allowed")


def refuse_bidi_controls(text: str, *, label: str) -> None:
    if not BIDI_CONTROLS.isdisjoint(text):
        raise ValidationError(
            f"{_cap(label)} contains hidden characters that change the direction of the text. "
            "Type it again without them"
        )


def _hidden(text: str, allowed: str) -> bool:
    if text.isascii() and text.isprintable():  # most text: no hidden character possible
        return False
    return any(
        unicodedata.category(c) in _HIDDEN_CATEGORIES and c not in JOINERS and c not in allowed
        for c in text
    )


def _cap(label: str) -> str:
    label = label.removeprefix("the ").removeprefix("a ").removeprefix("an ")
    return label[:1].upper() + label[1:]
