"""Closed lists for proceedings and adoption. The 903 codes come from
shared/domain/reference.md section 2 (AD1, PlacedAdoption, PrevPerm, Episodes LS); the
labels for LS_ADOPTR, REASON_PLACED_CEASED and PREV_PERM are our reading of the DfE guidance
and are marked unverified in ADR 0036 until checked against the published 903 guide. The
pairings the 903 validator checks (rules 517, 518, 520, 524) are verified."""

from django.db import models


class Application(models.TextChoices):
    """What the council asked the court for."""

    CARE = "care", "Care order (Children Act 1989 section 31)"
    SUPERVISION = "supervision", "Supervision order (Children Act 1989 section 31)"
    EPO = "epo", "Emergency protection order (Children Act 1989 section 44)"


class HearingKind(models.TextChoices):
    EPO = "epo", "Emergency protection order hearing"
    INTERIM = "interim", "Interim hearing"
    CMH = "cmh", "Case management hearing"
    FCMH = "fcmh", "Further case management hearing"
    IRH = "irh", "Issues resolution hearing"
    FINAL = "final", "Final hearing"


class InterimOrder(models.TextChoices):
    """An order a hearing made before the final one; its 903 legal status where it makes
    the child looked after."""

    NONE = "none", "No interim order"
    ICO = "ico", "Interim care order"
    ISO = "iso", "Interim supervision order"
    EPO = "epo", "Emergency protection order"


INTERIM_LEGAL_STATUS = {InterimOrder.ICO: "C1", InterimOrder.EPO: "L2"}


class FinalOrder(models.TextChoices):
    CARE = "care", "Care order"
    CARE_AND_PLACEMENT = "care_placement", "Care order and placement order"
    SUPERVISION = "supervision", "Supervision order"
    SGO = "sgo", "Special guardianship order"
    CAO = "cao", "Child arrangements order"
    NO_ORDER = "no_order", "No order"
    WITHDRAWN = "withdrawn", "Application withdrawn"


# The 903 legal status (LS) a final order gives a looked-after child; the others end or
# never began the child's being looked after by order.
FINAL_LEGAL_STATUS = {FinalOrder.CARE: "C2", FinalOrder.CARE_AND_PLACEMENT: "E1"}


class PreProceedingsOutcome(models.TextChoices):
    """How pre-proceedings ended without the court (the census PPOutcome's sense)."""

    STEPPED_DOWN = "stepped_down", "Concerns reduced: stepped down"
    ISSUED = "issued", "Proceedings issued"
    OTHER = "other", "Other"


class AdopterSexes(models.TextChoices):  # 903 AD1 SEX_ADOPTR
    M1 = "M1", "One male adopter"
    F1 = "F1", "One female adopter"
    MM = "MM", "Two male adopters"
    FF = "FF", "Two female adopters"
    MF = "MF", "A male and a female adopter"


SINGLE = (AdopterSexes.M1, AdopterSexes.F1)


class AdopterLegalStatus(models.TextChoices):  # 903 AD1 LS_ADOPTR (labels unverified)
    L0 = "L0", "Single adopter"
    L11 = "L11", "Married couple of different genders"
    L12 = "L12", "Married couple or civil partners of the same gender"
    L2 = "L2", "Civil partners"
    L3 = "L3", "Unmarried couple of different genders"
    L4 = "L4", "Unmarried couple of the same gender"


# 903 rules 517, 518, 520 and 524: the adopters' legal status and their genders agree.
LEGAL_STATUS_SEXES = {
    AdopterLegalStatus.L11: {AdopterSexes.MF},
    AdopterLegalStatus.L3: {AdopterSexes.MF},
    AdopterLegalStatus.L12: {AdopterSexes.MM, AdopterSexes.FF},
    AdopterLegalStatus.L4: {AdopterSexes.MM, AdopterSexes.FF},
    AdopterLegalStatus.L0: set(SINGLE),
}


class ReversalReason(models.TextChoices):  # 903 REASON_PLACED_CEASED (labels unverified)
    RD1 = "RD1", "The child's needs changed after the decision"
    RD2 = "RD2", "The court did not make a placement order"
    RD3 = "RD3", "Prospective adopters could not be found"
    RD4 = "RD4", "Any other reason"


class PreviousPermanence(models.TextChoices):  # 903 PREV_PERM (labels unverified)
    P1 = "P1", "Adoption"
    P2 = "P2", "Special guardianship order"
    P3 = "P3", "Residence order"
    P4 = "P4", "Child arrangements order naming who the child lives with"
    Z1 = "Z1", "Not known"
