"""DfE code sets used on the person record (CIN census 2024-25 and SSDA903)."""

from django.db import models


class PersonKind(models.TextChoices):
    CHILD = "child", "Child"
    UNBORN = "unborn", "Unborn child"
    ADULT = "adult", "Adult"


class Sex(models.TextChoices):
    """CIN census 2024-25 `Sex`: U for unknown, and always U for an unborn child."""

    MALE = "M", "Male"
    FEMALE = "F", "Female"
    UNKNOWN = "U", "Not known"


class GenderCurrent(models.TextChoices):
    """CIN census `GenderCurrent` (schemas up to 2024)."""

    NOT_RECORDED = "0", "Not known or not recorded"
    MALE = "1", "Male"
    FEMALE = "2", "Female"
    INDETERMINATE = "9", "Indeterminate"


class Ethnicity(models.TextChoices):
    WBRI = "WBRI", "White British"
    WIRI = "WIRI", "White Irish"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WOTH = "WOTH", "Any other White background"
    WROM = "WROM", "Gypsy/Roma"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Caribbean"
    BAFR = "BAFR", "African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class Disability(models.TextChoices):
    NONE = "NONE", "No disability"
    MOB = "MOB", "Mobility"
    HAND = "HAND", "Hand function"
    PC = "PC", "Personal care"
    INC = "INC", "Incontinence"
    COMM = "COMM", "Communication"
    LD = "LD", "Learning"
    HEAR = "HEAR", "Hearing"
    VIS = "VIS", "Vision"
    BEH = "BEH", "Behaviour"
    CON = "CON", "Consciousness"
    AUT = "AUT", "Autism or Asperger syndrome"
    DDA = "DDA", "Other disability"


class UpnUnknown(models.TextChoices):
    """Why a child has no unique pupil number (CIN census UPNunknown). UN6 is left out until
    its DfE wording is confirmed; UN7 belongs to a referral closed with no further action,
    which the census derives, so it is not chosen by hand."""

    UN1 = "UN1", "Not of school age and not yet given a UPN"
    UN2 = "UN2", "Has never attended a maintained school in England"
    UN3 = "UN3", "Educated outside England"
    UN4 = "UN4", "Newly referred or looked after: UPN not known yet"
    UN5 = "UN5", "The sources of UPNs disagree about this child"


class NameKind(models.TextChoices):
    CURRENT = "current", "Current name"
    BIRTH = "birth", "Name at birth"
    FORMER = "former", "Former name"
    ALIAS = "alias", "Also known as"


class RelationshipType(models.TextChoices):
    """Each type reads "subject is <type> of other"; `INVERSE` gives the other direction."""

    PARENT = "parent", "Parent"
    CHILD = "child", "Child"
    STEP_PARENT = "step_parent", "Step-parent"
    STEP_CHILD = "step_child", "Step-child"
    SIBLING = "sibling", "Sibling"
    HALF_SIBLING = "half_sibling", "Half-sibling"
    STEP_SIBLING = "step_sibling", "Step-sibling"
    GRANDPARENT = "grandparent", "Grandparent"
    GRANDCHILD = "grandchild", "Grandchild"
    CARER = "carer", "Carer"
    CARED_FOR = "cared_for", "Cared for by"
    PARTNER = "partner", "Partner"
    HOUSEHOLD_MEMBER = "household_member", "Household member"
    OTHER_RELATIVE = "other_relative", "Other relative"


# Keyed by the stored value: a row's `type` is a plain str.
INVERSE: dict[str, RelationshipType] = {
    RelationshipType.PARENT: RelationshipType.CHILD,
    RelationshipType.CHILD: RelationshipType.PARENT,
    RelationshipType.STEP_PARENT: RelationshipType.STEP_CHILD,
    RelationshipType.STEP_CHILD: RelationshipType.STEP_PARENT,
    RelationshipType.SIBLING: RelationshipType.SIBLING,
    RelationshipType.HALF_SIBLING: RelationshipType.HALF_SIBLING,
    RelationshipType.STEP_SIBLING: RelationshipType.STEP_SIBLING,
    RelationshipType.GRANDPARENT: RelationshipType.GRANDCHILD,
    RelationshipType.GRANDCHILD: RelationshipType.GRANDPARENT,
    RelationshipType.CARER: RelationshipType.CARED_FOR,
    RelationshipType.CARED_FOR: RelationshipType.CARER,
    RelationshipType.PARTNER: RelationshipType.PARTNER,
    RelationshipType.HOUSEHOLD_MEMBER: RelationshipType.HOUSEHOLD_MEMBER,
    RelationshipType.OTHER_RELATIVE: RelationshipType.OTHER_RELATIVE,
}

# Types where the subject is of an older generation than the other person.
OLDER_GENERATION = {
    RelationshipType.PARENT,
    RelationshipType.STEP_PARENT,
    RelationshipType.GRANDPARENT,
}
