from safehub.chronology.registry import EventType

CONTACT_RECEIVED = "CONTACT_RECEIVED"
PARTNER_INFORMATION = "PARTNER_INFORMATION"
CONTACT_DECISION = "CONTACT_DECISION"
CONTACT_DECISION_SIGNED_OFF = "CONTACT_DECISION_SIGNED_OFF"

EVENT_TYPES = [
    EventType(CONTACT_RECEIVED, "Contact received at the front door", "social_care"),
    EventType(PARTNER_INFORMATION, "Information shared by a partner agency", "social_care"),
    EventType(CONTACT_DECISION, "MASH decision", "social_care"),
    EventType(CONTACT_DECISION_SIGNED_OFF, "MASH decision signed off", "social_care"),
]
