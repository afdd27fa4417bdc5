from safehub.chronology.registry import EventType

PRE_PROCEEDINGS = "PRE_PROCEEDINGS"
PRE_PROCEEDINGS_ENDED = "PRE_PROCEEDINGS_ENDED"
PROCEEDINGS_ISSUED = "PROCEEDINGS_ISSUED"
HEARING = "COURT_HEARING"
TIMETABLE_EXTENDED = "PROCEEDINGS_EXTENDED"
FINAL_ORDER = "FINAL_ORDER"
LIBERTY_ORDER = "DOL_ORDER"
LIBERTY_ORDER_ENDED = "DOL_ORDER_ENDED"
ADOPTION_DECISION = "ADOPTION_DECISION"
ADOPTION_STEP = "ADOPTION_STEP"
ADOPTION_REVERSED = "ADOPTION_REVERSED"
PREVIOUS_PERMANENCE = "PREVIOUS_PERMANENCE"

EVENT_TYPES = [
    EventType(PRE_PROCEEDINGS, "Pre-proceedings (Public Law Outline)", "social_care"),
    EventType(PRE_PROCEEDINGS_ENDED, "Pre-proceedings ended", "social_care"),
    EventType(PROCEEDINGS_ISSUED, "Care proceedings issued", "social_care"),
    EventType(HEARING, "Court hearing", "social_care"),
    EventType(TIMETABLE_EXTENDED, "Proceedings timetable extended", "social_care"),
    EventType(FINAL_ORDER, "Final order", "social_care"),
    EventType(LIBERTY_ORDER, "Deprivation of liberty order", "social_care"),
    EventType(LIBERTY_ORDER_ENDED, "Deprivation of liberty order ended", "social_care"),
    EventType(ADOPTION_DECISION, "Should be placed for adoption", "social_care"),
    EventType(ADOPTION_STEP, "Adoption: placement order, match, placement or order", "social_care"),
    EventType(ADOPTION_REVERSED, "Decision to place for adoption reversed", "social_care"),
    EventType(PREVIOUS_PERMANENCE, "Previous permanence recorded", "social_care"),
]
