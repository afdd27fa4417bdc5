"""Front-door code sets. Referral source and assessment factors are the DfE CIN census codes
(shared/domain/reference.md 1.3); decisions follow the SSD `cin_referral_outcome` list."""

import re

from django.db import models

# Referral sources and assessment factors are CIN census codes that casework records too;
# they are defined with the other census codes in casework.codes and named here as well.
from safehub.casework.codes import ASSESSMENT_FACTORS as ASSESSMENT_FACTORS
from safehub.casework.codes import ReferralSource as ReferralSource


class Channel(models.TextChoices):
    PUBLIC = "public", "Online, member of the public"
    PROFESSIONAL = "professional", "Online, professional"
    API = "api", "Partner system"
    PHONE = "phone", "Telephone (recorded by the MASH)"


class Urgency(models.TextChoices):
    IMMEDIATE = "immediate", "Immediate: the child may be at risk of significant harm now"
    URGENT = "urgent", "Urgent: today"
    ROUTINE = "routine", "Routine"


URGENCY_RANK = {Urgency.IMMEDIATE: 0, Urgency.URGENT: 1, Urgency.ROUTINE: 2}


class FamilyAware(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_SURE = "not_sure", "Not sure"


class Consent(models.TextChoices):
    GIVEN = "given", "The family consented to this referral"
    REFUSED = "refused", "The family refused consent"
    NOT_SOUGHT = "not_sought", "Consent was not sought"


class ConsentDecision(models.TextChoices):
    """What the MASH decided about sharing and seeking information."""

    CONSENT_GIVEN = "given", "Consent given by the family"
    CONSENT_REFUSED = "refused", "Consent refused by the family"
    OVERRIDE = "override", "Proceed without consent: risk of significant harm"
    NOT_NEEDED = "not_needed", "Consent not needed (information already held)"


class Status(models.TextChoices):
    NEW = "new", "New"
    IN_TRIAGE = "in_triage", "In triage"
    AWAITING_SIGN_OFF = "awaiting_sign_off", "Awaiting manager sign-off"
    DECIDED = "decided", "Decided"


OPEN_STATUSES = (Status.NEW, Status.IN_TRIAGE, Status.AWAITING_SIGN_OFF)


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class LevelOfNeed(models.TextChoices):
    UNIVERSAL = "1", "Level 1: universal services"
    EARLY_HELP = "2", "Level 2: early help from one agency"
    TARGETED = "3", "Level 3: targeted multi-agency early help"
    SPECIALIST = "4", "Level 4: specialist or statutory (children's social care)"


class Decision(models.TextChoices):
    NFA = "nfa", "No further action"
    ADVICE = "advice", "Advice or signposting"
    EARLY_HELP = "early_help", "Early help"
    ASSESSMENT = "assessment", "Referral to children's social care for assessment"
    STRATEGY = "strategy", "Strategy discussion (section 47)"


# Decisions that make the contact a referral to children's social care (CIN census).
REFERRAL_DECISIONS = (Decision.ASSESSMENT, Decision.STRATEGY)


class RequestStatus(models.TextChoices):
    OPEN = "open", "Awaiting answer"
    ANSWERED = "answered", "Answered"
    CANCELLED = "cancelled", "Cancelled"


class SubjectRole(models.TextChoices):
    CHILD = "child", "Child"
    ADULT = "adult", "Adult in the household"


class Described(models.TextChoices):
    """How the referrer said a person named in a contact is related to the first child named.
    Each becomes a suggested relationship in the people app's `RelationshipType` codes
    (`frontdoor.carry_over`); "mother" and "father" say more than "parent" (the record's
    sex), and a parent's partner is related through the parent, not to the child."""

    MOTHER = "mother", "Mother"
    FATHER = "father", "Father"
    STEP_PARENT = "step_parent", "Step-parent"
    PARENTS_PARTNER = "parents_partner", "Partner of the child's mother or father"
    GRANDPARENT = "grandparent", "Grandparent"
    CARER = "carer", "Carer or guardian"
    SIBLING = "sibling", "Brother or sister"
    HALF_SIBLING = "half_sibling", "Half-brother or half-sister"
    STEP_SIBLING = "step_sibling", "Stepbrother or stepsister"
    OTHER_RELATIVE = "other_relative", "Another relative"
    HOUSEHOLD_MEMBER = "household_member", "Lives with the child, not related"


# What may be said of an adult, and of another child, in relation to the first child.
ADULT_DESCRIBED = [
    Described.MOTHER,
    Described.FATHER,
    Described.STEP_PARENT,
    Described.PARENTS_PARTNER,
    Described.GRANDPARENT,
    Described.CARER,
    Described.SIBLING,
    Described.HALF_SIBLING,
    Described.STEP_SIBLING,
    Described.OTHER_RELATIVE,
    Described.HOUSEHOLD_MEMBER,
]
CHILD_DESCRIBED = [
    Described.SIBLING,
    Described.HALF_SIBLING,
    Described.STEP_SIBLING,
    Described.OTHER_RELATIVE,
    Described.HOUSEHOLD_MEMBER,
]


# The words referrers use, tried in this order (a "mum's partner" is not the mother, a
# "grandmother" not a mother, a "half-sister" not a sister). Older API clients and the
# telephone form send only words; the MASH sees what was inferred and confirms it.
_WORDS: list[tuple[Described, re.Pattern[str]]] = [
    (Described.PARENTS_PARTNER, re.compile(r"partner|boyfriend|girlfriend|husband|wife")),
    (Described.GRANDPARENT, re.compile(r"grand|\bnan\b|\bnana\b|\bnanny\b|\bgran\b|granny")),
    (Described.STEP_SIBLING, re.compile(r"step ?-?(brother|sister|sibling)")),
    (Described.STEP_PARENT, re.compile(r"step ?-?(mother|mum|mom|father|dad|parent)")),
    (Described.HALF_SIBLING, re.compile(r"half ?-?(brother|sister|sibling)")),
    (Described.MOTHER, re.compile(r"\b(mother|mum|mom|mam|mummy|mommy)\b")),
    (Described.FATHER, re.compile(r"\b(father|dad|daddy|papa)\b")),
    (Described.SIBLING, re.compile(r"\b(brother|sister|sibling|twin)\b")),
    (Described.CARER, re.compile(r"carer|guardian|foster|kinship|special guardian")),
    (Described.OTHER_RELATIVE, re.compile(r"\b(aunt|auntie|aunty|uncle|cousin|niece|nephew)\b")),
    (Described.HOUSEHOLD_MEMBER, re.compile(r"lodger|lives with|housemate|flatmate")),
]


_PAST = re.compile(r"\bformer\b|\bex[- ]?(partner|husband|wife|boyfriend|girlfriend)|\blate\b")


def described_in_words(text: str) -> str:
    """The closed code for a relationship a referrer wrote in words ("Mum", "mum's new
    boyfriend", "nan"), or "" when the words say nothing we recognise."""
    words = text.lower().replace("\u2019", "'")
    if _PAST.search(words):  # a former partner is not one now: nothing to suggest
        return ""
    for code, pattern in _WORDS:
        if pattern.search(words):
            return code
    return ""
