"""Legitimate Unicode is accepted, text-reordering controls are not. The zero-width
non-joiner and joiner (Persian and Indic spelling, emoji sequences), emoji of every kind
(families, professions with skin tones, rainbow and nation flags, variation selectors) are
kept as typed in free text, and the joiners between the letters of a name; the
bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) are refused
everywhere with one plain-English message. One rule, in core.text, for the free text of
every form and service, names, and the API's text fields."""

import json
import unicodedata

import emoji
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from safehub.access.models import ApiToken, hash_token
from safehub.core.text import clean_text
from safehub.people.validation import clean_name

FAST = settings(max_examples=300, deadline=None)
ZWNJ, ZWJ = "\u200c", "\u200d"
BIDI_CONTROLS = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
BIDI_MESSAGE = "contains hidden characters that change the direction of the text"
PERSIAN_NAMES = ["می\u200cخواهم", "علی\u200cاکبر", "امیر\u200cحسین", "مه\u200cلقا"]
EMOJI_SEQUENCES = [
    "👨\u200d👩\u200d👧\u200d👦",  # family
    "👩🏽\u200d⚕️",  # health worker, skin tone, variation selector
    "🏳️\u200d🌈",  # rainbow flag
    "❤️\u200d🩹",  # mending heart
    "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",  # England
    "🏴\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007f",  # Wales
    "🇬🇧",
    "👍🏿",
    "☺️",
]
letters = st.characters(categories=["Lu", "Ll", "Lo"])
word = st.text(letters, min_size=1, max_size=12)
free_text = st.text(
    st.characters(categories=["L", "N", "P", "Zs"], exclude_characters="<>=+-@"),
    min_size=1,
    max_size=40,
).filter(lambda t: t.strip() and t.strip()[0] not in "=+-@")
every_emoji = st.sampled_from(sorted(emoji.EMOJI_DATA))


def _stable(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


# --- Accepted ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", PERSIAN_NAMES)
def test_persian_names_with_the_non_joiner_are_accepted(name: str) -> None:
    assert clean_name(name, label="the first name") == name


@FAST
@given(first=word, second=word, joiner=st.sampled_from([ZWNJ, ZWJ]))
def test_a_joiner_between_the_letters_of_a_name_is_kept(
    first: str, second: str, joiner: str
) -> None:
    name = unicodedata.normalize("NFC", first + joiner + second)
    assert clean_name(name, label="the first name") == name


@pytest.mark.parametrize("sequence", EMOJI_SEQUENCES)
def test_emoji_sequences_are_kept_in_free_text(sequence: str) -> None:
    text = f"She drew {sequence} on her card"
    assert clean_text(text, label="the note", max_length=500, multiline=True) == text


@FAST
@given(before=free_text, symbol=every_emoji, after=free_text, joiner=st.sampled_from(["", ZWNJ]))
def test_any_emoji_in_free_text_is_kept(before: str, symbol: str, after: str, joiner: str) -> None:
    text = f"{before} {symbol}{joiner} {after}"
    assert clean_text(text, label="the note", max_length=500) == _stable(text)
    assert symbol in clean_text(text, label="the note", max_length=500, multiline=True)


# --- Refused -----------------------------------------------------------------------------


@FAST
@given(text=free_text, control=st.sampled_from(BIDI_CONTROLS), at=st.integers(0, 40))
def test_bidirectional_controls_are_refused_in_free_text(text: str, control: str, at: int) -> None:
    tampered = text[:at] + control + text[at:]
    for multiline in (False, True):
        with pytest.raises(ValidationError) as refused:
            clean_text(tampered, label="the note", max_length=500, multiline=multiline)
        assert refused.value.messages == [f"Note {BIDI_MESSAGE}. Type it again without them"]


@FAST
@given(first=word, second=word, control=st.sampled_from(BIDI_CONTROLS))
def test_bidirectional_controls_are_refused_in_names(first: str, second: str, control: str) -> None:
    with pytest.raises(ValidationError) as refused:
        clean_name(first + control + second, label="the first name")
    assert BIDI_MESSAGE in refused.value.messages[0]


@pytest.mark.parametrize("name", [ZWNJ + "Ali", "Ali" + ZWJ, "Ali" + ZWNJ + ZWNJ + "Reza"])
def test_a_joiner_must_sit_between_letters_in_a_name(name: str) -> None:
    with pytest.raises(ValidationError):
        clean_name(name, label="the first name")


@pytest.mark.parametrize(
    "hidden",
    [
        "\u200b",  # zero-width space
        "\u2060",  # word joiner
        "\ufeff",  # byte order mark
        "\U000e0041",  # a tag letter outside a flag: text hidden from the reader
        "\x00",
    ],
)
def test_other_hidden_characters_stay_refused(hidden: str) -> None:
    with pytest.raises(ValidationError) as refused:
        clean_text(f"He said{hidden} no", label="the note", max_length=500)
    assert refused.value.messages == ["Note contains characters that are not allowed"]


# --- Through the services and the API ----------------------------------------------------


def _bearer(user) -> dict[str, str]:
    secret = ApiToken.new_secret()
    ApiToken.objects.create(user=user, name="unicode", token_hash=hash_token(secret))
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_the_api_accepts_a_persian_name_and_refuses_a_bidi_override(client, users) -> None:
    headers = _bearer(users["mash_worker"])
    body = {"kind": "adult", "given_name": PERSIAN_NAMES[1], "family_name": "Rahimi"}
    created = client.post(
        reverse("api-v1:person_create_api"),
        json.dumps(body),
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 201, created.content
    assert created.json()["given_name"] == PERSIAN_NAMES[1]
    search = client.post(
        reverse("api-v1:person_search_api"),
        json.dumps({"name": "Har\u202etr"}),
        content_type="application/json",
        **headers,
    )
    assert search.status_code == 422
    assert BIDI_MESSAGE in json.dumps(search.json()["errors"])


def test_a_case_note_keeps_emoji_and_refuses_an_override(people, client_for) -> None:
    from safehub.casework.models import CaseNote

    client = client_for("social_worker")
    url = reverse("casework:note-record", args=[people["involved"].pk])
    text = f"Drew her family {EMOJI_SEQUENCES[0]} and the flag {EMOJI_SEQUENCES[4]}"
    assert client.post(url, {"text": text}).status_code == 302
    assert CaseNote.objects.get().text == text
    refused = client.post(url, {"text": "Mum said \u202eenod ti"})
    assert refused.status_code == 200
    assert BIDI_MESSAGE in refused.content.decode()
    assert CaseNote.objects.count() == 1
