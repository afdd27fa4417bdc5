"""Casework code sets: DfE CIN census and SSDA903 codes (shared/domain/reference.md 1.3, 2),
so the census and the 903 return can be produced from these records without re-keying."""

from django.db import models


class EpisodeKind(models.TextChoices):
    EARLY_HELP = "early_help", "Early help"
    CIN = "cin", "Child in need (children's social care)"


class PrimaryNeed(models.TextChoices):
    N0 = "N0", "Not stated"
    N1 = "N1", "Abuse or neglect"
    N2 = "N2", "Child's disability"
    N3 = "N3", "Parental disability or illness"
    N4 = "N4", "Family in acute stress"
    N5 = "N5", "Family dysfunction"
    N6 = "N6", "Socially unacceptable behaviour"
    N7 = "N7", "Low income"
    N8 = "N8", "Absent parenting"
    N9 = "N9", "Cases other than children in need"


class ClosureReason(models.TextChoices):
    RC1 = "RC1", "Adopted"
    RC2 = "RC2", "Died"
    RC3 = "RC3", "Child arrangements order"
    RC4 = "RC4", "Special guardianship order"
    RC5 = "RC5", "Transferred to another local authority"
    RC6 = "RC6", "Transferred to adult social care"
    RC7 = "RC7", "Services ceased for any other reason, including no longer in need"
    RC8 = "RC8", "Case closed after assessment, no further action"
    RC9 = "RC9", "Case closed after assessment, referred to early help"


# Closures after which nothing more may be recorded on the episode (census rule 2990).
NFA_CLOSURES = (ClosureReason.RC8, ClosureReason.RC9)


class EarlyHelpClosure(models.TextChoices):
    OUTCOMES_MET = "met", "Outcomes achieved"
    STEPPED_UP = "step_up", "Stepped up to children's social care"
    DECLINED = "declined", "Family declined further support"
    MOVED = "moved", "Moved out of the area"
    OTHER = "other", "Other"


class CategoryOfAbuse(models.TextChoices):
    NEG = "NEG", "Neglect"
    PHY = "PHY", "Physical abuse"
    SAB = "SAB", "Sexual abuse"
    EMO = "EMO", "Emotional abuse"
    MUL = "MUL", "Multiple (not recommended)"


class StrategyOutcome(models.TextChoices):
    SECTION_47 = "s47", "Start a section 47 enquiry"
    NO_SECTION_47 = "no_s47", "No section 47 enquiry; continue as child in need"
    NFA = "nfa", "No further action"


class Section47Outcome(models.TextChoices):
    ICPC = "icpc", "Concerns substantiated: hold an initial child protection conference"
    NO_ICPC = "no_icpc", "Concerns not substantiated or no conference needed"


class ConferenceKind(models.TextChoices):
    INITIAL = "initial", "Initial child protection conference"
    REVIEW = "review", "Review child protection conference"


class ConferenceOutcome(models.TextChoices):
    PLAN = "plan", "Child protection plan"
    NO_PLAN = "no_plan", "No child protection plan"
    CONTINUE = "continue", "Continue the plan"
    END = "end", "End the plan"


class VisitKind(models.TextChoices):
    CIN = "cin", "Child in need visit"
    CP = "cp", "Child protection visit"
    CLA = "cla", "Child in care visit (regulation 28)"


class LegalStatus(models.TextChoices):
    C1 = "C1", "Interim care order"
    C2 = "C2", "Full care order"
    D1 = "D1", "Freeing order"
    E1 = "E1", "Placement order"
    V2 = "V2", "Single period of accommodation under section 20"
    V3 = "V3", "Agreed series of short breaks, recorded per episode"
    V4 = "V4", "Short-break agreement recorded as one agreement"
    L1 = "L1", "Police protection in local authority accommodation"
    L2 = "L2", "Emergency protection order"
    L3 = "L3", "Child assessment order in local authority accommodation"
    J1 = "J1", "Remanded to local authority or youth detention accommodation"
    J2 = "J2", "PACE transfer to local authority accommodation"
    J3 = "J3", "Youth rehabilitation order with a residence or fostering requirement"


SHORT_BREAKS = (LegalStatus.V3, LegalStatus.V4)


class ReasonNewEpisode(models.TextChoices):
    S = "S", "Started to be looked after"
    L = "L", "Change of legal status only"
    P = "P", "Change of placement and carer"
    T = "T", "Change of placement, same carer"
    B = "B", "Change of legal status, placement and carer"
    U = "U", "Change of legal status and placement, same carer"


class PlacementType(models.TextChoices):
    A3 = "A3", "Placed for adoption with consent, with current foster carer"
    A4 = "A4", "Placed for adoption with consent, not with current foster carer"
    A5 = "A5", "Placed for adoption with placement order, with current foster carer"
    A6 = "A6", "Placed for adoption with placement order, not with current foster carer"
    H5 = "H5", "Semi-independent or supported accommodation"
    K1 = "K1", "Secure children's home"
    K2 = "K2", "Children's home"
    P1 = "P1", "With parents or another person with parental responsibility"
    P2 = "P2", "Independent living"
    P3 = "P3", "Residential employment"
    R1 = "R1", "Residential care home"
    R2 = "R2", "NHS or health establishment"
    R3 = "R3", "Family centre or mother and baby unit"
    R5 = "R5", "Young offender institution"
    S1 = "S1", "Residential school"
    T0 = "T0", "Temporary move"
    T1 = "T1", "Temporary: hospital"
    T2 = "T2", "Temporary: holiday"
    T3 = "T3", "Temporary: carer's holiday"
    T4 = "T4", "Temporary: other, 7 days or fewer"
    U1 = "U1", "Kinship foster carer: long term"
    U2 = "U2", "Kinship foster carer: fostering for adoption or concurrent"
    U3 = "U3", "Kinship foster carer: other"
    U4 = "U4", "Foster carer: long term"
    U5 = "U5", "Foster carer: fostering for adoption or concurrent"
    U6 = "U6", "Foster carer: other"
    Z1 = "Z1", "Other placement"


class PlacementProvider(models.TextChoices):
    PR0 = "PR0", "Parent or other person with parental responsibility"
    PR1 = "PR1", "Own local authority"
    PR2 = "PR2", "Other local authority"
    PR3 = "PR3", "Other public provision"
    PR4 = "PR4", "Private provision"
    PR5 = "PR5", "Voluntary or third sector provision"


class ReasonCeased(models.TextChoices):
    X1 = "X1", "Episode ends and a new one starts the same day"
    E11 = "E11", "Adopted: application unopposed"
    E12 = "E12", "Adopted: consent dispensed with"
    E2 = "E2", "Died"
    E3 = "E3", "Care taken over by another local authority"
    E4A = "E4A", "Returned home as part of the care plan"
    E4B = "E4B", "Returned home, not part of the care plan"
    E13 = "E13", "Left care to live with relatives or others without parental responsibility"
    E41 = "E41", "Child arrangements order"
    E45 = "E45", "Special guardianship order: former foster carer, relative or friend"
    E46 = "E46", "Special guardianship order: former foster carer, other"
    E47 = "E47", "Special guardianship order: other carer, relative or friend"
    E48 = "E48", "Special guardianship order: other carer, other"
    E5 = "E5", "Moved to independent living with formal support"
    E6 = "E6", "Moved to independent living without formal support"
    E7 = "E7", "Transferred to adult residential care"
    E9 = "E9", "Sentenced to custody"
    E14 = "E14", "Remand ended"
    E15 = "E15", "Age assessment found the young person to be 18 or over"
    E16 = "E16", "Moved abroad"
    E17 = "E17", "Aged 18 or over and stayed with carers"
    E8 = "E8", "Any other reason"


class PlacementChangeReason(models.TextChoices):
    CARPL = "CARPL", "Change to the care plan"
    CLOSE = "CLOSE", "Provider closed or resigned"
    ALLEG = "ALLEG", "Section 47 allegation"
    STAND = "STAND", "Concern about standards of care"
    APPRR = "APPRR", "Carer's approval removed"
    CREQB = "CREQB", "Carer asked: the child's behaviour"
    CREQO = "CREQO", "Carer asked: other reasons"
    CHILD = "CHILD", "The child asked for the placement to end"
    LAREQ = "LAREQ", "Responsible or area authority asked"
    PLACE = "PLACE", "Change of placement status only"
    CUSTOD = "CUSTOD", "Custody"
    OTHER = "OTHER", "Other"


class MissingKind(models.TextChoices):
    MISSING = "M", "Missing"
    AWAY = "A", "Away without authorisation"


class AllocationReason(models.TextChoices):
    """Why a case moved between social workers (903 SWEpisodes SW_REASON codes)."""

    NEW = "NEW", "First allocation"
    MANAGE = "MANAGE", "Management decision"
    FCONTA = "FCONTA", "Family asked for a change"
    LEFTRL = "LEFTRL", "Worker left the role"
    ORGRST = "ORGRST", "Organisational restructure"
    TSPROC = "TSPROC", "Moved between teams as the case progressed"
    ABSENC = "ABSENC", "Worker absent"
    CHCHAN = "CHCHAN", "Child asked for a change"
    PCCHAN = "PCCHAN", "Placement or circumstances changed"
    SWDIED = "SWDIED", "Worker died"
    OTHERS = "OTHERS", "Other"


# --- CIN census: where referrals come from, and the factors an assessment finds ----------


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


# --- Children in care: reviews, health and education (SSDA903 Reviews, UASC, OC2) --------


class Participation(models.TextChoices):
    """How the child took part in their looked-after review (903 REVIEW_CODE)."""

    PN0 = "PN0", "Child aged under 4 at the time of the review"
    PN1 = "PN1", "Child attended and spoke for themselves"
    PN2 = "PN2", "Child attended and an advocate spoke for them"
    PN3 = "PN3", "Child attended and conveyed their views without words"
    PN4 = "PN4", "Child attended but did not convey their views"
    PN5 = "PN5", "Child did not attend but briefed an advocate to speak for them"
    PN6 = "PN6", "Child did not attend but conveyed their views another way"
    PN7 = "PN7", "Child did not attend and their views were not conveyed"


class HealthCheckKind(models.TextChoices):
    INITIAL = "initial", "Initial health assessment"
    REVIEW = "review", "Review health assessment"
    DENTAL = "dental", "Dental check"
    DEVELOPMENTAL = "developmental", "Developmental check (under 5)"
    IMMUNISATIONS = "immunisations", "Immunisations checked"


HEALTH_ASSESSMENTS = (HealthCheckKind.INITIAL, HealthCheckKind.REVIEW)


class SDQReason(models.TextChoices):
    """Why there is no strengths and difficulties score (903 SDQ_REASON)."""

    SDQ1 = "SDQ1", "No form returned: the child was under 4 or over 16"
    SDQ2 = "SDQ2", "The carer refused to complete and return the questionnaire"
    SDQ3 = "SDQ3", "Not possible because of the severity of the child's disability"
    SDQ4 = "SDQ4", "Other reason"
    SDQ5 = "SDQ5", "The child or young person refused"


class OffenceOutcome(models.TextChoices):
    """What counts as CONVICTED in the 903 OC2 file."""

    CONVICTION = "conviction", "Convicted of an offence"
    FINAL_WARNING = "final_warning", "Final warning"
    REPRIMAND = "reprimand", "Reprimand"
