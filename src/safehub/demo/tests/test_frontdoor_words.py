"""The demo's referrers say what could be said of a child that age: a toddler is not quoted
and does not self-harm; a baby is not found drunk in town; a teenager is not at a health
visitor's review."""

import re

import pytest

from safehub.demo.generator import frontdoor_text as text

# The child as the one speaking, or doing what only an older child does, in one sentence.
QUOTES_THE_CHILD = re.compile(r"\{child\}[^.]*\b(said|told|described|would not say)\b")
TEENAGE = re.compile(r"\{child\}[^.]*\b(drunk|forearms|overdose|older (men|teenagers)|cars)\b")
BABY_CARE = re.compile(r"nappy|centile|safe sleep|holding \{child\}|-month review")


@pytest.mark.parametrize("words", list(text.CONCERNS))
def test_every_worry_fits_the_age_it_is_said_of(words: str) -> None:
    for age in range(18):
        for template, _, _, (youngest, oldest) in text.concerns_for(words, age):
            if not youngest <= age <= oldest:
                continue  # nothing of this kind fits: the fallback, checked below
            speaks = QUOTES_THE_CHILD.search(template) or words == text.SELF
            assert not (speaks and age < 4), (age, template)
            assert not (TEENAGE.search(template) and age < 10), (age, template)
            assert not (BABY_CARE.search(template) and age > 4), (age, template)


def test_a_two_year_old_at_school_is_spoken_of_only_as_a_two_year_old_can_be() -> None:
    offered = [t for t, *_ in text.concerns_for(text.SCHOOL, 2)]
    assert offered == [t for t, *_ in text.CONCERNS[text.SCHOOL]]  # none fits: all, not none
    said_of_a_toddler = [t for t, *_ in text.concerns_for(text.POLICE, 2)]
    assert not [t for t in said_of_a_toddler if "drunk" in t and "{child}" in t.split("drunk")[0]]
    assert all("forearms" not in t for t, *_ in text.concerns_for(text.PUBLIC, 2))


def test_the_mash_decides_as_the_worry_it_heard_deserves() -> None:
    """ "Scared to go home tonight" is not answered with early help where the school has a
    routine worry to tell instead, nor a strategy discussion held on a routine one."""
    for decision in ("nfa", "advice", "early_help"):
        assert {c[2] for c in text.concerns_for(text.SCHOOL, 9, decision)} == {"routine"}
    assert "routine" not in {c[2] for c in text.concerns_for(text.SCHOOL, 9, "strategy")}
    assert {c[2] for c in text.concerns_for(text.SCHOOL, 9)} == {"routine", "urgent"}
