from safehub.chronology.registry import EventType

NEGLECT_PROFILE_STARTED = "NEGLECT_PROFILE_STARTED"
NEGLECT_PROFILE_COMPLETED = "NEGLECT_PROFILE_COMPLETED"
NEGLECT_PROFILE_SIGNED_OFF = "NEGLECT_PROFILE_SIGNED_OFF"

EVENT_TYPES = [
    EventType(NEGLECT_PROFILE_STARTED, "Neglect profile started", "social_care"),
    EventType(NEGLECT_PROFILE_COMPLETED, "Neglect profile completed", "social_care"),
    EventType(NEGLECT_PROFILE_SIGNED_OFF, "Neglect profile signed off", "social_care"),
]
