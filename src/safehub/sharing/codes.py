"""The closed code lists of the information-sharing log: which way the information went,
whether it was shared, and the lawful bases a disclosure may rest on.

The bases are UK GDPR Article 6(1) (every disclosure needs one), Article 9(2) (special
category data: health, ethnicity, religion, sex life) and, for the police's law-enforcement
processing under Part 3 of the Data Protection Act 2018, the Schedule 8 conditions for
sensitive processing. Labels are our own plain-English summaries, not the statute's text.
"""

from django.db import models


class Direction(models.TextChoices):
    TO_PARTNER = "to_partner", "Shared with a partner agency"
    FROM_PARTNER = "from_partner", "Received from a partner agency"


class Outcome(models.TextChoices):
    SHARED = "shared", "Shared"
    NOT_SHARED = "not_shared", "Decided not to share"


class Article6(models.TextChoices):
    CONSENT = "6_1_a", "Article 6(1)(a): the person consented"
    CONTRACT = "6_1_b", "Article 6(1)(b): needed for a contract with the person"
    LEGAL_OBLIGATION = "6_1_c", "Article 6(1)(c): a legal obligation on us"
    VITAL_INTERESTS = "6_1_d", "Article 6(1)(d): to protect someone's life"
    PUBLIC_TASK = "6_1_e", "Article 6(1)(e): our public task or official authority"
    LEGITIMATE_INTERESTS = "6_1_f", "Article 6(1)(f): legitimate interests (not public tasks)"


class Article9(models.TextChoices):
    EXPLICIT_CONSENT = "9_2_a", "Article 9(2)(a): explicit consent"
    SOCIAL_PROTECTION = (
        "9_2_b",
        "Article 9(2)(b): employment, social security or social protection law",
    )
    VITAL_INTERESTS = "9_2_c", "Article 9(2)(c): to protect someone's life when they cannot consent"
    SAFEGUARDING = (
        "9_2_g",
        "Article 9(2)(g): substantial public interest, safeguarding children and people at "
        "risk (DPA 2018 Schedule 1 paragraph 18)",
    )
    HEALTH_OR_SOCIAL_CARE = "9_2_h", "Article 9(2)(h): health or social care"


class Schedule8(models.TextChoices):
    STATUTORY = "s8_1", "Schedule 8 paragraph 1: statutory purposes"
    JUSTICE = "s8_2", "Schedule 8 paragraph 2: administration of justice"
    VITAL_INTERESTS = "s8_3", "Schedule 8 paragraph 3: protecting someone's vital interests"
    SAFEGUARDING = "s8_4", "Schedule 8 paragraph 4: safeguarding children and people at risk"
    PUBLIC_DOMAIN = "s8_5", "Schedule 8 paragraph 5: already made public by the person"
    LEGAL_CLAIMS = "s8_6", "Schedule 8 paragraph 6: legal claims"
    JUDICIAL = "s8_7", "Schedule 8 paragraph 7: courts acting judicially"


class Source(models.TextChoices):
    """Where an entry came from: the path in SafeHub where the sharing happened."""

    MANUAL = "manual", "Recorded by hand"
    INFORMATION_REQUEST = "information_request", "MASH information request"
    ENCOMPASS = "encompass", "Operation Encompass notice"
