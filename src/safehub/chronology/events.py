"""Event types partners' information arrives as. Partner feeds (a later issue) and the demo
council append these."""

from safehub.chronology.registry import EventType

EVENT_TYPES = [
    EventType("SCHOOL_ATTENDANCE_CONCERN", "School attendance concern", "education"),
    EventType("SCHOOL_EXCLUSION", "Exclusion from school", "education"),
    EventType("EDUCATION_WELFARE_NOTE", "Education welfare note", "education"),
    EventType("HEALTH_VISITOR_CONTACT", "Health visitor contact", "health"),
    EventType("EMERGENCY_DEPARTMENT_ATTENDANCE", "Emergency department attendance", "health"),
    EventType("MISSED_HEALTH_APPOINTMENT", "Missed health appointment", "health"),
    EventType("GP_CONCERN", "GP concern", "health"),
    EventType("POLICE_DOMESTIC_ABUSE_NOTIFICATION", "Police domestic abuse notification", "police"),
    EventType("POLICE_CHILD_CONCERN", "Police child concern notification", "police"),
    EventType("MISSING_FROM_HOME", "Reported missing from home", "police"),
    EventType("HOUSING_NOTIFICATION", "Housing notification", "housing"),
    EventType("SOCIAL_CARE_NOTE", "Social care case note", "social_care"),
]
