from safehub.chronology.registry import EventType

ADVISER_ALLOCATED = "PERSONAL_ADVISER_ALLOCATED"
SUPPORT_TO_25 = "LEAVING_CARE_SUPPORT_TO_25"
PATHWAY_PLAN = "PATHWAY_PLAN"
STAYING_PUT_STARTED = "STAYING_PUT_STARTED"
STAYING_PUT_ENDED = "STAYING_PUT_ENDED"
BIRTHDAY_RECORD = "CARE_LEAVER_BIRTHDAY"

EVENT_TYPES = [
    EventType(ADVISER_ALLOCATED, "Personal adviser allocated", "social_care"),
    EventType(SUPPORT_TO_25, "Leaving-care support to 25 asked for", "social_care"),
    EventType(PATHWAY_PLAN, "Pathway plan written or reviewed", "social_care"),
    EventType(STAYING_PUT_STARTED, "Staying put began", "social_care"),
    EventType(STAYING_PUT_ENDED, "Staying put ended", "social_care"),
    EventType(BIRTHDAY_RECORD, "Care leaver's birthday record", "social_care"),
]
