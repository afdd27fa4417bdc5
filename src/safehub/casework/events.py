from safehub.chronology.registry import EventType

EPISODE_OPENED = "EPISODE_OPENED"
EPISODE_CLOSED = "EPISODE_CLOSED"
PRIMARY_NEED_CHANGED = "PRIMARY_NEED_CHANGED"
ASSESSMENT_STARTED = "ASSESSMENT_STARTED"
ASSESSMENT_CHILD_SEEN = "ASSESSMENT_CHILD_SEEN"
ASSESSMENT_COMPLETED = "ASSESSMENT_COMPLETED"
ASSESSMENT_AUTHORISED = "ASSESSMENT_AUTHORISED"
STRATEGY_DISCUSSION = "STRATEGY_DISCUSSION"
SECTION_47_STARTED = "SECTION_47_STARTED"
SECTION_47_CONCLUDED = "SECTION_47_CONCLUDED"
CONFERENCE_HELD = "CONFERENCE_HELD"
CP_PLAN_STARTED = "CP_PLAN_STARTED"
CP_PLAN_ENDED = "CP_PLAN_ENDED"
CORE_GROUP = "CORE_GROUP"
CIN_PLAN_STARTED = "CIN_PLAN_STARTED"
CIN_PLAN_REVIEWED = "CIN_PLAN_REVIEWED"
CIN_PLAN_ENDED = "CIN_PLAN_ENDED"
CARE_STARTED = "CARE_STARTED"
PLACEMENT_CHANGED = "PLACEMENT_CHANGED"
CARE_REVIEW = "CARE_REVIEW"
CARE_PLAN = "CARE_PLAN"
CARE_ENDED = "CARE_ENDED"
MISSING_EPISODE = "MISSING_EPISODE"
VISIT = "VISIT"
CASE_NOTE = "CASE_NOTE"
ALLOCATED = "ALLOCATED"
OVERSIGHT = "OVERSIGHT"
HEALTH_ASSESSMENT = "HEALTH_ASSESSMENT"
HEALTH_CHECK = "HEALTH_CHECK"
SDQ_RECORDED = "SDQ_RECORDED"
SUBSTANCE_MISUSE = "SUBSTANCE_MISUSE"
OFFENCE_OUTCOME = "OFFENCE_OUTCOME"
EDUCATION_PLAN = "EDUCATION_PLAN"
UASC_STATUS = "UASC_STATUS"
RECOMMENDATION_DONE = "RECOMMENDATION_DONE"

EVENT_TYPES = [
    EventType(EPISODE_OPENED, "Episode opened", "social_care"),
    EventType(EPISODE_CLOSED, "Episode closed", "social_care"),
    EventType(PRIMARY_NEED_CHANGED, "Primary need changed", "social_care"),
    EventType(ASSESSMENT_STARTED, "Assessment started", "social_care"),
    EventType(ASSESSMENT_CHILD_SEEN, "Child seen for the assessment", "social_care"),
    EventType(ASSESSMENT_COMPLETED, "Assessment completed", "social_care"),
    EventType(ASSESSMENT_AUTHORISED, "Assessment authorised", "social_care"),
    EventType(STRATEGY_DISCUSSION, "Strategy discussion", "social_care"),
    EventType(SECTION_47_STARTED, "Section 47 enquiry started", "social_care"),
    EventType(SECTION_47_CONCLUDED, "Section 47 enquiry concluded", "social_care"),
    EventType(CONFERENCE_HELD, "Child protection conference", "social_care"),
    EventType(CP_PLAN_STARTED, "Child protection plan started", "social_care"),
    EventType(CP_PLAN_ENDED, "Child protection plan ended", "social_care"),
    EventType(CORE_GROUP, "Core group meeting", "social_care"),
    EventType(CIN_PLAN_STARTED, "Child in need plan started", "social_care"),
    EventType(CIN_PLAN_REVIEWED, "Child in need plan reviewed", "social_care"),
    EventType(CIN_PLAN_ENDED, "Child in need plan ended", "social_care"),
    EventType(CARE_STARTED, "Became looked after", "social_care"),
    EventType(PLACEMENT_CHANGED, "Placement changed", "social_care"),
    EventType(CARE_REVIEW, "Looked-after review", "social_care"),
    EventType(CARE_PLAN, "Care plan written", "social_care"),
    EventType(CARE_ENDED, "Ceased to be looked after", "social_care"),
    EventType(MISSING_EPISODE, "Missing from care or home", "social_care"),
    EventType(VISIT, "Statutory visit", "social_care"),
    EventType(CASE_NOTE, "Case note", "social_care"),
    EventType(ALLOCATED, "Case allocated", "social_care"),
    EventType(OVERSIGHT, "Management oversight", "social_care"),
    EventType(HEALTH_ASSESSMENT, "Health assessment (child in care)", "health"),
    EventType(HEALTH_CHECK, "Health check (child in care)", "health"),
    EventType(SDQ_RECORDED, "Strengths and difficulties questionnaire", "health"),
    EventType(SUBSTANCE_MISUSE, "Substance misuse identified", "health"),
    EventType(OFFENCE_OUTCOME, "Conviction, final warning or reprimand", "social_care"),
    EventType(EDUCATION_PLAN, "Personal education plan meeting", "education"),
    EventType(UASC_STATUS, "Unaccompanied asylum-seeking child status", "social_care"),
    EventType(RECOMMENDATION_DONE, "Looked-after review recommendation done", "social_care"),
]
