from safehub.chronology.registry import EventType

IRO_ALLOCATED = "IRO_ALLOCATED"
IRO_CONTACT = "IRO_CONTACT"
PLAN_SAVED = "CARE_PLANNING_PLAN_SAVED"
DELEGATED_AUTHORITY = "DELEGATED_AUTHORITY"

EVENT_TYPES = [
    EventType(IRO_ALLOCATED, "Independent reviewing officer allocated", "social_care"),
    EventType(IRO_CONTACT, "Independent reviewing officer's contact with the child", "social_care"),
    EventType(PLAN_SAVED, "Care, placement or permanence plan written or changed", "social_care"),
    EventType(DELEGATED_AUTHORITY, "Decision delegated to the carers, or withdrawn", "social_care"),
]
