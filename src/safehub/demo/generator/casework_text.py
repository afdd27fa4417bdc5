"""Words for Demoshire's casework records: assessment summaries, visit and case notes,
supervision, strategy participants, carers and homes. Placeholders: {child} (first name),
{parent} (the main carer's first name), {he}/{his} (the child's pronouns)."""

ASSESSMENT_SUMMARIES = {
    "nfa": [
        "{child} is well cared for. The worry raised was a one-off and has been resolved; "
        "{parent} accepted advice. No further action from children's social care.",
        "Needs are being met at home and school has no ongoing concerns. {parent} knows how to "
        "ask for help if things change.",
        "The family would benefit from support below the threshold for social care; they have "
        "agreed to work with the early help team.",
        "{child} was seen with {his} brothers and sisters; the home was warm and clean. The "
        "incident has been addressed and the family are getting support from their GP.",
    ],
    "cin": [
        "{child} has needs that the family cannot meet without help: a child in need plan is "
        "recommended, focusing on school attendance, routines and {parent}'s health.",
        "Parental mental health and debt are affecting the care {child} receives. {parent} "
        "wants help; a child in need plan will coordinate support from health and housing.",
        "{child}'s behaviour at home and school has deteriorated since the separation. Child in "
        "need plan agreed with the family and school.",
    ],
    "cp": [
        "Significant harm is likely: {child} has been exposed to repeated domestic abuse and "
        "{parent} has not been able to keep {him} safe. The threshold for a strategy discussion "
        "is met.",
        "Neglect is cumulative: missed health appointments, poor home conditions and {child} "
        "often hungry. The threshold for a section 47 enquiry is met.",
        "An injury {child} could not explain, with earlier similar concerns. Medical "
        "examination recommended; the threshold for a section 47 enquiry is met.",
    ],
}

# Notes say only what the child's records bear out on the day they are written: each is
# (text, what must be true of the child that day). SITUATIONS names the conditions;
# `CaseBase.situation` works them out from the child's records, and events the records
# hold themselves (a strategy discussion, a conference, a missing episode, a move of
# placement) are never claimed by a note.
SITUATIONS = {
    "cp": "on a child protection plan",
    "care": "looked after",
    "home": "living at home (not looked after)",
    "plan": "on a plan, or looked after",
    "under5": "under five",
    "talks": "four or older",
    "school": "of school age",
}


def _w(text: str, *needs: str) -> tuple[str, frozenset[str]]:
    assert set(needs) <= SITUATIONS.keys(), needs
    return text, frozenset(needs)


VISIT_NOTES = [
    _w("{child} seen at home; showed me {his} room and talked about school.", "school"),
    _w("Seen alone in {his} bedroom. Said things are calmer at home.", "talks"),
    _w("Home conditions improved since the last visit; fridge stocked, washing done."),
    _w("{parent} tired but engaging. We went through the plan together.", "plan"),
    _w("{child} was quiet today. Will ask school to check in with {him} tomorrow.", "school"),
    _w("Visit with the health visitor; weight and development on track.", "under5"),
    _w("Unannounced visit. {parent} answered after a while; the flat was cold."),
    _w("Talked with {child} about {his} wishes and feelings using a drawing.", "talks"),
    _w(
        "{child} proud of {his} reading certificate; {parent} positive about the support.", "school"
    ),
    _w("Spoke to {child} on the way back from school. Said {he} feels safe at home.", "school"),
    _w(
        "{child} asleep in {his} cot; {parent} showed me the feeds and the sleep routine.", "under5"
    ),
]
CARE_VISIT_NOTES = [
    _w("{child} settled in placement; carers report good sleep and appetite."),
    _w("Seen alone in {his} bedroom at the placement. Wants to see {parent} more often.", "talks"),
    _w("Family time with {parent} went well this week according to the carers."),
    _w("{child} had a difficult week at school; carers and teacher meeting arranged.", "school"),
    _w("Talked about the review coming up and what {child} wants to say.", "talks"),
    _w("Placement stable. {child} has joined a football club.", "school"),
    _w("Carers say {child} is feeding well and reaching {his} milestones.", "under5"),
]

CASE_NOTES = [
    _w("Phone call with {parent} to arrange the next visit; {parent} asked for a later time."),
    _w("School report: attendance {pct}% this half term, {child} more settled in class.", "school"),
    _w("Health visitor called: {child}'s immunisations now up to date.", "under5"),
    _w("Email from housing: repairs to the damp in the children's bedroom booked.", "home"),
    _w("Called {parent}; no answer. Text sent asking {parent} to ring back."),
    _w("Family group conference arranged for next month; grandparents will attend."),
    _w("Police notified the team of a call-out to the address overnight; no arrests.", "home"),
    _w(
        "Spoke to the school nurse about {child}'s low mood; referral to CAMHS discussed.", "school"
    ),
    _w("Transport for family time arranged for the next four weeks.", "care"),
    _w("Direct work session with {child}: three houses exercise completed.", "talks"),
    _w("Core group actions updated and shared with the family.", "cp"),
    _w("Discussed {child}'s case with the domestic abuse adviser; safety plan reviewed.", "home"),
    _w("Placement plan updated with the carers after the last visit.", "care"),
]
SIGNIFICANT_NOTES = [
    _w(
        "{child} disclosed that {parent}'s partner hit {him}; discussed with the manager today.",
        "talks",
        "home",
    ),
    _w("{parent} admitted to hospital; {child} staying with grandparents meanwhile.", "home"),
    _w(
        "{child} told the teacher {he} has not eaten since yesterday; food parcel delivered.",
        "school",
        "home",
    ),
    _w(
        "Carers worried about {child}'s contact with older young people; safety plan agreed.",
        "care",
        "school",
    ),
    _w("{parent} said the family will move out of the area; new address not yet known.", "home"),
]

SUPERVISION = [
    _w("Reviewed progress against the plan and the actions from the last review.", "plan"),
    _w(
        "Discussed drift: the plan has not changed since the last review. Agreed to escalate.",
        "plan",
    ),
    _w(
        "Considered whether threshold for a strategy discussion is met; agreed not at present.",
        "home",
    ),
    _w("Reflected on the worker's relationship with {parent}; agreed a joint visit."),
    _w("Checked the chronology and the latest assessment; both up to date."),
    _w("Discussed the child's lived experience and what has changed for {child} this month."),
]
SUPERVISION_ACTIONS = [
    _w("Worker to visit within 10 working days and see {child} alone.", "talks"),
    _w("Update the chronology and share the plan with school.", "plan", "school"),
    _w("Book the review and invite the health visitor.", "plan", "under5"),
    _w("Seek legal advice about pre-proceedings.", "home"),
    _w("Refer {parent} to the parenting programme.", "home"),
    _w(""),
]

STRATEGY_PARTICIPANTS = [
    "Social worker, team manager, police (Public Protection Unit), named nurse",
    "Social worker, police, school designated safeguarding lead, health visitor",
    "Team manager, police, paediatrician, school",
    "Social worker, team manager, police, GP",
]
STRATEGY_NOTES = [
    "Agreed joint visit with police; child to be seen today.",
    "Medical examination to be arranged; siblings to be seen.",
    "Information shared by health and school supports a section 47 enquiry.",
    "",
]
CORE_GROUP_NOTES = [
    "Plan reviewed with the family; actions on home conditions partly met.",
    "School reports better attendance; health appointments kept.",
    "Parent did not attend; worker to visit and go through the actions.",
    "",
]

CARER_FAMILIES = [
    "Adams",
    "Bennett",
    "Carter",
    "Dixon",
    "Ellis",
    "Foster",
    "Gray",
    "Holmes",
    "Irving",
    "Jarvis",
    "Khan",
    "Lowe",
    "Marsh",
    "Nolan",
    "Osborne",
    "Patel",
    "Quinn",
    "Reid",
    "Shaw",
    "Turner",
    "Underwood",
    "Vaughan",
    "Walsh",
    "Young",
]
HOMES = [
    "Oakwood House",
    "The Willows",
    "Beech Lodge",
    "Meadow View",
    "Hillside",
    "Riverside House",
    "Elm Court",
    "Rowan Lodge",
    "Cedar House",
    "Larch Close",
]
SUPPORTED = ["Foyer Project", "Step Up Supported Lodgings", "Harbour Flats", "Next Steps House"]
