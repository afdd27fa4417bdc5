from safehub.chronology.registry import EventType

EHE_OFFICER_ASSIGNED = "EHE_OFFICER_ASSIGNED"

EVENT_TYPES = [
    EventType(EHE_OFFICER_ASSIGNED, "Elective home education officer assigned", "education"),
]
