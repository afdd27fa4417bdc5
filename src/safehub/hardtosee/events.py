from safehub.chronology.registry import EventType

EHE_OFFICER_ASSIGNED = "EHE_OFFICER_ASSIGNED"
CONTEXT_NOTE = "CONTEXT_NOTE"
CONTEXT_LINKED = "CONTEXT_LINKED"
CONTEXT_UNLINKED = "CONTEXT_UNLINKED"
MACE_DISCUSSED = "MACE_DISCUSSED"

EVENT_TYPES = [
    EventType(EHE_OFFICER_ASSIGNED, "Elective home education officer assigned", "education"),
    EventType(CONTEXT_NOTE, "Information about a context", "other"),
    EventType(CONTEXT_LINKED, "Linked to a context of concern", "social_care"),
    EventType(CONTEXT_UNLINKED, "No longer linked to a context of concern", "social_care"),
    EventType(MACE_DISCUSSED, "Discussed at a MACE panel", "social_care"),
]
