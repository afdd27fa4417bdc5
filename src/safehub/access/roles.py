"""The roles a member of staff can hold. Rules about what each role may do live in
`access/policy.py`; this module only names them."""

from django.db import models


class Role(models.TextChoices):
    PARTNER_PRACTITIONER = "partner_practitioner", "Partner practitioner"
    MASH_WORKER = "mash_worker", "MASH worker"
    MASH_MANAGER = "mash_manager", "MASH manager"
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    CP_CHAIR_IRO = "cp_chair_iro", "Child protection chair / IRO"
    PERFORMANCE_ANALYST = "performance_analyst", "Performance analyst"
    PARTNERSHIP_OFFICER = "partnership_officer", "Safeguarding partnership officer"
    DATA_PROTECTION_OFFICER = "data_protection_officer", "Data protection officer"
    SYSTEM_ADMINISTRATOR = "system_administrator", "System administrator"
