from safehub.chronology.registry import EventType

PERSON_CREATED = "PERSON_CREATED"
PERSON_DETAILS_CHANGED = "PERSON_DETAILS_CHANGED"
ADDRESS_CHANGED = "ADDRESS_CHANGED"
RELATIONSHIP_RECORDED = "RELATIONSHIP_RECORDED"
RELATIONSHIP_ENDED = "RELATIONSHIP_ENDED"
DEATH_RECORDED = "DEATH_RECORDED"

EVENT_TYPES = [
    EventType(PERSON_CREATED, "Record created", "record"),
    EventType(PERSON_DETAILS_CHANGED, "Personal details changed", "record"),
    EventType(ADDRESS_CHANGED, "Moved address", "family"),
    EventType(RELATIONSHIP_RECORDED, "Relationship recorded", "family"),
    EventType(RELATIONSHIP_ENDED, "Relationship ended", "family"),
    EventType(DEATH_RECORDED, "Death recorded", "record"),
]
