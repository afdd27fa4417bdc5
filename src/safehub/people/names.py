"""Normalised and phonetic name keys, written on save and compared at search time.

A stored name is reachable by its spellings (`spelling_lookups`): the key itself, the key
with any one letter left out, three sound codes, and each part of a double-barrelled name.
What a worker types is looked up the same way (`typed_lookups`), so one slip anywhere in a
name (first letters included), a name spelt as it sounds, or one half of a hyphenated name
meets the stored name in one indexed lookup, whatever the names are.
"""

import re
import unicodedata
from functools import cache

import jellyfish
from nicknames import NickNamer

_NOT_LETTER = re.compile(r"[^a-z]")
_SEPARATOR = re.compile(r"[^a-z]+")
_VOWELS_AND_SOFT = re.compile(r"[aeiouhwy]")
_REPEATS = re.compile(r"(.)\1+")
SOUND = "~"  # sound codes are stored with this mark so they never equal a spelling
MIN_DELETION_LENGTH = 3  # shorter keys would reach a letter or two: everything


def _ascii_lower(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name or "")
    return decomposed.encode("ascii", "ignore").decode().lower()


def name_key(name: str) -> str:
    """Lower case, accents dropped, letters only: "O'Brien-Ña" -> "obrienna"."""
    return _NOT_LETTER.sub("", _ascii_lower(name))


def name_parts(name: str) -> list[str]:
    """The keys of each part of a name: "Smith-Jones" -> ["smith", "jones"]."""
    return [part for part in _SEPARATOR.split(_ascii_lower(name)) if part]


def name_sound(name: str) -> str:
    """Metaphone code, so "Jonson" and "Johnson" meet."""
    key = name_key(name)
    return jellyfish.metaphone(key)[:20] if key else ""


def skeleton(key: str) -> str:
    """First letter and the consonants after it, doubles merged, h, w and y dropped:
    "Aisha" and "Ayesha" -> "as"; "Jayden", "Jaden" and "Jaiden" -> "jdn"."""
    if not key:
        return ""
    return _REPEATS.sub(r"\1", key[0] + _VOWELS_AND_SOFT.sub("", key[1:]))


def sound_codes(key: str) -> set[str]:
    """Three independent ways a name can sound the same (metaphone, NYSIIS, the consonant
    skeleton): a spelling variant usually keeps at least one of them."""
    if not key:
        return set()
    codes = {jellyfish.metaphone(key)[:20], jellyfish.nysiis(key)[:20], skeleton(key)[:20]}
    return {f"{SOUND}{code}" for code in codes if code}


def deletions(key: str) -> set[str]:
    """The key with each one letter left out. Two keys one slip apart (a letter wrong,
    missing, extra, or two swapped) always share one of these or each other."""
    if len(key) < MIN_DELETION_LENGTH:
        return set()
    return {key[:i] + key[i + 1 :] for i in range(len(key))}


def spelling_lookups(name: str) -> set[str]:
    """Everything a stored name is found by (see the module docstring)."""
    key = name_key(name)
    if not key:
        return set()
    parts = name_parts(name)
    found = {key} | deletions(key) | sound_codes(key)
    if len(parts) > 1:
        found |= {part for part in parts if len(part) >= 2}
    return found


def typed_lookups(key: str) -> set[str]:
    """What to look up for a typed name key (its parts are typed tokens of their own)."""
    if not key:
        return set()
    return {key} | deletions(key) | sound_codes(key)


@cache
def _nicknamer() -> NickNamer:
    return NickNamer()


@cache
def given_variants(given: str) -> frozenset[str]:
    """The name itself, its nicknames and the names it is short for ("bill" -> william,
    billy, will ...). Keys only, lower case."""
    key = name_key(given)
    if not key:
        return frozenset()
    namer = _nicknamer()
    variants = {key} | namer.nicknames_of(key) | namer.canonicals_of(key)
    for canonical in namer.canonicals_of(key):
        variants |= namer.nicknames_of(canonical)
    return frozenset(name_key(v) for v in variants if name_key(v))
