"""Front-door code sets. Referral source and assessment factors are the DfE CIN census codes
(shared/domain/reference.md 1.3); decisions follow the SSD `cin_referral_outcome` list."""

from django.db import models


class ReferralSource(models.TextChoices):
    FAMILY = "1A", "Family member, relative or carer"
    ACQUAINTANCE = "1B", "Acquaintance (for example a neighbour or childminder)"
    SELF = "1C", "Self"
    OTHER_INDIVIDUAL = "1D", "Other individual"
    SCHOOLS = "2A", "School"
    EDUCATION_SERVICES = "2B", "Education services"
    GP = "3A", "GP"
    HEALTH_VISITOR = "3B", "Health visitor"
    SCHOOL_NURSE = "3C", "School nurse"
    OTHER_PRIMARY_HEALTH = "3D", "Other primary health services"
    A_AND_E = "3E", "A&E"
    OTHER_HEALTH = "3F", "Other health services"
    HOUSING = "4", "Housing"
    LA_SOCIAL_CARE = "5A", "Local authority social care (for example adults)"
    LA_OTHER = "5B", "Other internal local authority department"
    ANOTHER_LA = "5C", "Another local authority"
    LA_EARLY_HELP = "5D", "Local authority early help"
    POLICE = "6", "Police"
    LEGAL = "7", "Other legal agency"
    OTHER = "8", "Other"
    ANONYMOUS = "9", "Anonymous"
    UNKNOWN = "10", "Unknown"


ASSESSMENT_FACTORS: dict[str, str] = {
    "1A": "Alcohol misuse: child",
    "1B": "Alcohol misuse: parent or carer",
    "1C": "Alcohol misuse: another household member",
    "2A": "Drug misuse: child",
    "2B": "Drug misuse: parent or carer",
    "2C": "Drug misuse: another household member",
    "3A": "Domestic abuse: child",
    "3B": "Domestic abuse: parent or carer",
    "3C": "Domestic abuse: another household member",
    "4A": "Mental health: child",
    "4B": "Mental health: parent or carer",
    "4C": "Mental health: another household member",
    "5A": "Learning disability: child",
    "5B": "Learning disability: parent or carer",
    "5C": "Learning disability: another household member",
    "6A": "Physical disability or illness: child",
    "6B": "Physical disability or illness: parent or carer",
    "6C": "Physical disability or illness: another household member",
    "7A": "Young carer",
    "8B": "Privately fostered: overseas, intends to return",
    "8C": "Privately fostered: overseas, intends to stay",
    "8D": "Privately fostered: UK, educational placement",
    "8E": "Privately fostered: UK, alternative family arrangement",
    "8F": "Privately fostered: other",
    "9A": "Unaccompanied asylum-seeking child",
    "10A": "Going or being missing",
    "11A": "Child sexual exploitation",
    "12A": "Trafficking",
    "13A": "Gangs",
    "14A": "Socially unacceptable behaviour",
    "15A": "Self-harm",
    "16A": "Neglect",
    "17A": "Emotional abuse",
    "18B": "Physical abuse: child on child",
    "18C": "Physical abuse: adult on child",
    "19B": "Sexual abuse: child on child",
    "19C": "Sexual abuse: adult on child",
    "20": "Other",
    "22A": "Female genital mutilation",
    "23A": "Abuse linked to faith or belief",
    "24A": "Child criminal exploitation",
}
# Factor 21 ("no factors identified") is an assessment outcome, not a reason to refer.


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
