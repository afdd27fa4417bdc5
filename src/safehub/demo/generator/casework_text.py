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
        "{parent} has not been able to keep {him} safe. Strategy discussion held.",
        "Neglect is cumulative: missed health appointments, poor home conditions and {child} "
        "often hungry at school. Threshold for a section 47 enquiry is met.",
        "An injury {child} could not explain, with earlier similar concerns. Medical "
        "examination arranged; section 47 enquiry under way.",
    ],
}

VISIT_NOTES = [
    "{child} seen at home; showed me {his} room and talked about school.",
    "Seen alone in {his} bedroom. Said things are calmer at home.",
    "Home conditions improved since the last visit; fridge stocked, washing done.",
    "{parent} tired but engaging. We went through the plan together.",
    "{child} was quiet today. Will ask school to check in with {him} tomorrow.",
    "Visit with the health visitor; weight and development on track.",
    "Unannounced visit. {parent} answered after a while; the flat was cold.",
    "Talked with {child} about {his} wishes and feelings using a drawing.",
    "{child} proud of {his} reading certificate; {parent} positive about the support.",
    "Spoke to {child} on the way back from school. Said {he} feels safe at home.",
]
CARE_VISIT_NOTES = [
    "{child} settled in placement; carers report good sleep and appetite.",
    "Seen alone in {his} bedroom at the placement. Wants more time with {his} brother.",
    "Contact with {parent} went well this week according to the carers.",
    "{child} had a difficult week at school; carers and teacher meeting arranged.",
    "Talked about the review coming up and what {child} wants to say.",
    "Placement stable. {child} has joined a football club.",
]

CASE_NOTES = [
    "Phone call with {parent} to arrange the next visit; {parent} asked for a later time.",
    "School report: attendance {pct}% this half term, {child} more settled in class.",
    "Health visitor called: {child}'s immunisations now up to date.",
    "Email from housing: repairs to the damp in the children's bedroom booked.",
    "Called {parent}; no answer. Text sent asking {parent} to ring back.",
    "Family group conference arranged for next month; grandparents will attend.",
    "Police notified the team of a call-out to the address overnight; no arrests.",
    "Spoke to the school nurse about {child}'s low mood; referral to CAMHS discussed.",
    "Transport for contact arranged for the next four weeks.",
    "Direct work session with {child}: three houses exercise completed.",
    "Core group actions updated and shared with the family.",
    "Discussed {child}'s case with the domestic abuse adviser; safety plan reviewed.",
]
SIGNIFICANT_NOTES = [
    "{child} disclosed that {parent}'s partner hit {him}. Strategy discussion requested.",
    "{child} missing overnight; found by police in {town} the next morning.",
    "{parent} admitted to hospital; {child} staying with grandparents meanwhile.",
    "Court granted an interim care order today.",
    "{child} told the teacher {he} has not eaten since yesterday; food parcel delivered.",
    "Allegation made against the foster carers; {child} moved to a new placement tonight.",
]

SUPERVISION = [
    "Reviewed progress against the plan; visits on time, school attendance improving.",
    "Discussed drift: the plan has not changed since the last review. Agreed to escalate.",
    "Considered whether threshold for a strategy discussion is met; agreed not at present.",
    "Reflected on the worker's relationship with {parent}; agreed a joint visit.",
    "Checked the chronology and the latest assessment; both up to date.",
    "Discussed the child's lived experience and what has changed for {child} this month.",
]
SUPERVISION_ACTIONS = [
    "Worker to visit within 10 working days and see {child} alone.",
    "Update the chronology and share the plan with school.",
    "Book the review and invite the health visitor.",
    "Seek legal advice about pre-proceedings.",
    "Refer {parent} to the parenting programme.",
    "",
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
