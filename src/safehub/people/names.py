"""Normalised and phonetic name keys, written on save and compared at search time."""

import re
import unicodedata

import jellyfish

_NOT_LETTER = re.compile(r"[^a-z]")


def name_key(name: str) -> str:
    """Lower case, accents dropped, letters only: "O'Brien-Ña" -> "obrienna"."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    ascii_only = decomposed.encode("ascii", "ignore").decode()
    return _NOT_LETTER.sub("", ascii_only.lower())


def name_sound(name: str) -> str:
    """Metaphone code, so "Jonson" and "Johnson" meet."""
    key = name_key(name)
    return jellyfish.metaphone(key)[:20] if key else ""
