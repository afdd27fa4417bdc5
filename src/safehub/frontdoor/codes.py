"""Front-door code sets. Referral source and assessment factors are the DfE CIN census codes
(shared/domain/reference.md 1.3); decisions follow the SSD `cin_referral_outcome` list."""

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
