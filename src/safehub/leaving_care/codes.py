"""The SSDA903 OC3 code lists (shared/domain/reference.md section 2) and the leaving-care
categories. Closed lists: the services refuse anything else."""

from django.db import models


class Category(models.TextChoices):
    """Children (Leaving Care) Act 2000 and the Care Leavers (England) Regulations 2010.
    Worked out from the periods of care by `eligibility.category_on`, never typed."""

    ELIGIBLE = "eligible", "Eligible"
    RELEVANT = "relevant", "Relevant"
    FORMER_RELEVANT = "former_relevant", "Former relevant"
    QUALIFYING = "qualifying", "Qualifying"


class InTouch(models.TextChoices):  # 903 IN_TOUCH
    YES = "YES", "In touch"
    NO = "NO", "Not in touch"
    DIED = "DIED", "Died"
    REFU = "REFU", "Refuses contact"
    NREQ = "NREQ", "No longer needs services"
    RHOM = "RHOM", "Returned home to parents for 6 months or more"


class Activity(models.TextChoices):  # 903 ACTIV ("0" when not in touch)
    F1 = "F1", "Full-time higher education"
    P1 = "P1", "Part-time higher education"
    F2 = "F2", "Full-time education other than higher education"
    P2 = "P2", "Part-time education other than higher education"
    # F3/P3 ("training or employment") were retired when the DfE split apprenticeships out;
    # a record still holding one is reported by the census check (903 rule 132) to be redone.
    F4 = "F4", "Full-time apprenticeship"
    P4 = "P4", "Part-time apprenticeship"
    F5 = "F5", "Full-time training or employment other than an apprenticeship"
    P5 = "P5", "Part-time training or employment other than an apprenticeship"
    G4 = "G4", "Not in education, training or employment: illness or disability"
    G5 = "G5", "Not in education, training or employment: other reasons"
    G6 = "G6", "Not in education, training or employment: pregnancy or parenting"


# In education, employment or training (the EET measure).
IN_EET = frozenset({"F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5"})


class Accommodation(models.TextChoices):
    """903 ACCOM is this letter followed by 1 (suitable) or 2 (not suitable); "0" when the
    council is not in touch."""

    B = "B", "With parents or relatives"
    C = "C", "Community home or other residential care"
    D = "D", "Semi-independent, transitional or self-contained accommodation"
    E = "E", "Supported lodgings"
    G = "G", "Gone abroad"
    H = "H", "Deported"
    K = "K", "Ordinary lodgings, without formal support"
    R = "R", "Residence not known"
    S = "S", "No fixed abode or homeless"
    T = "T", "Foyer or similar supported accommodation"
    U = "U", "Independent living, for example a flat or tenancy"
    V = "V", "Emergency accommodation, for example a night shelter or hostel"
    W = "W", "Bed and breakfast"
    X = "X", "In custody"
    Y = "Y", "Other accommodation"
    Z = "Z", "With former foster carers (staying put)"


NOT_KNOWN = "0"  # ACTIV and ACCOM when the council is not in touch


def accom_code(accommodation: str, suitable: bool | None) -> str:
    if not accommodation:
        return NOT_KNOWN
    return f"{accommodation}{1 if suitable else 2}"
