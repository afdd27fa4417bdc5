"""One-line chronology summaries, in the plain words partners write them.

Each template is (text, significance, who): `who` says whom the entry is about and so which
people it links to ("school" also serves for a child old enough to talk it through).
Placeholders: {child} {parent} {partner} {pronoun} {pronoun_pos} {n} {days} {pct} {time}
{hospital} {amount} {weeks} {town} {months}.
"""

SCHOOL, BABY, TEEN, CHILD, ADULT = "school", "baby", "teen", "child", "adult"
HOUSEHOLD, CHILDREN, PREGNANCY = "household", "children", "pregnancy"

# SOCIAL_CARE_NOTE is a worker's own note in the chronology. It never tells of casework
# (a visit that saw the child, a strategy discussion, a conference, a core group, a review, an
# assessment): those records append their own entries, so the chronology cannot claim
# work that the casework does not hold, or that it shows as overdue.
TEMPLATES: dict[str, list[tuple[str, int, str]]] = {
    "SCHOOL_ATTENDANCE_CONCERN": [
        ("Attendance has fallen to {pct}% this half term; {n} unauthorised absences", 2, SCHOOL),
        (
            "{child} absent for {days} days without explanation; calls to {parent} not returned",
            2,
            SCHOOL,
        ),
        ("{child} late to school {n} times this month, often without breakfast", 1, SCHOOL),
        ("Attendance warning letter sent to {parent}; attendance {pct}% this term", 1, SCHOOL),
        (
            "First-day absence call: {parent} said {child} was unwell, no medical evidence",
            1,
            SCHOOL,
        ),
        ("{child} collected early again by {parent}, the third time this week", 1, SCHOOL),
        ("Attendance meeting held with {parent}; attendance {pct}% and falling", 2, SCHOOL),
        ("{child} arrived in dirty uniform and said there was no food at home", 2, SCHOOL),
        ("{child} missing from registration; found later in the toilets, upset", 1, SCHOOL),
    ],
    "SCHOOL_EXCLUSION": [
        ("Suspended for {days} days after a fight with another pupil", 2, SCHOOL),
        (
            "{child} given a {days}-day suspension for repeated defiance and leaving lessons",
            2,
            SCHOOL,
        ),
        ("Internal exclusion for swearing at a member of staff", 1, SCHOOL),
        ("Suspended for {days} days after bringing a vape into school", 1, TEEN),
        ("Managed move to another school discussed after {n} suspensions this year", 2, TEEN),
        ("Permanent exclusion considered after {child} threatened a pupil with a knife", 4, TEEN),
    ],
    "EDUCATION_WELFARE_NOTE": [
        ("Education welfare officer home visit; {parent} agreed an attendance plan", 1, SCHOOL),
        ("Parenting contract signed for {child}'s attendance", 2, SCHOOL),
        ("Education welfare officer got no answer at the door; card left", 1, SCHOOL),
        ("Penalty notice warning issued for {child}'s unauthorised absence", 2, SCHOOL),
        ("Attendance panel: {child}'s attendance {pct}%, case kept open", 1, SCHOOL),
    ],
    "HEALTH_VISITOR_CONTACT": [
        ("Health visitor home visit: {child} weighing well, home warm and clean", 1, BABY),
        ("{months}-month review: {child} meeting milestones; {parent} says she feels low", 2, BABY),
        ("Home cluttered and {child} in a soaked nappy; advice given on routines", 2, BABY),
        ("No access visit: nobody answered the door at the agreed time", 1, BABY),
        ("Safe sleep discussed with {parent}; {child} sleeping in the parents' bed", 2, BABY),
        (
            "2-year review: {child}'s speech is delayed; referred to speech and language therapy",
            1,
            BABY,
        ),
        ("Clinic weight check: {child} has dropped from the 50th to the 9th centile", 3, BABY),
        ("New birth visit: {parent} coping well, feeding established", 1, BABY),
        (
            "Antenatal contact: {parent} is {weeks} weeks pregnant, living with {partner}",
            1,
            PREGNANCY,
        ),
    ],
    "EMERGENCY_DEPARTMENT_ATTENDANCE": [
        (
            "Attended {hospital} with a burn to the hand; explanation consistent with the injury",
            2,
            CHILD,
        ),
        ("{child} brought in with a head injury after a fall from the sofa", 2, BABY),
        (
            "Attended at {time} with a cut to the forehead; {parent} said {child} fell on the "
            "stairs",
            2,
            CHILD,
        ),
        ("Brought in by ambulance intoxicated after being found in a park", 3, TEEN),
        ("{parent} attended with facial bruising and said she walked into a door", 3, ADULT),
        ("Attended with breathing difficulties; discharged with an inhaler", 1, CHILD),
        ("{child} swallowed a parent's tablets; kept in overnight for observation", 3, BABY),
        ("Attended with cuts to the forearm; referred to CAMHS", 3, TEEN),
        ("Attended with a broken wrist after a fall at the trampoline park", 1, CHILD),
        ("{parent} attended after taking an overdose; discharged to the crisis team", 3, ADULT),
    ],
    "MISSED_HEALTH_APPOINTMENT": [
        ("Was not brought to the paediatric outpatient appointment", 1, CHILD),
        ("Missed {child}'s {months}-month immunisations; second letter sent", 2, BABY),
        ("Was not brought to the dentist for the second time; tooth decay noted before", 2, CHILD),
        ("Did not attend the CAMHS first appointment", 2, TEEN),
        ("Missed audiology follow-up; family not contactable by phone", 1, CHILD),
        ("{parent} missed the antenatal appointment at {weeks} weeks", 2, PREGNANCY),
        ("{parent} did not attend the substance misuse service appointment", 2, ADULT),
        ("Missed eye clinic appointment for {child}; discharged back to the GP", 1, CHILD),
    ],
    "GP_CONCERN": [
        ("GP concerned about {parent}'s low mood and drinking; children discussed", 2, ADULT),
        ("GP noted repeated requests for antibiotics without {child} being seen", 1, CHILD),
        ("GP safeguarding lead raised bruising on {child}'s upper arm", 3, CHILD),
        ("{parent} told the GP she is struggling to cope with {child}'s behaviour", 2, SCHOOL),
        ("GP reviewed {child}'s weight: below expected for age, referred to dietitian", 2, CHILD),
        ("{parent} asked for a repeat prescription of sleeping tablets early again", 1, ADULT),
    ],
    "POLICE_DOMESTIC_ABUSE_NOTIFICATION": [
        (
            "Police called to the home after neighbours reported shouting; {n} children present",
            2,
            HOUSEHOLD,
        ),
        (
            "Verbal argument between {parent} and {partner}; no offences disclosed, children "
            "asleep upstairs",
            2,
            HOUSEHOLD,
        ),
        ("{partner} arrested for assaulting {parent}; the children saw it happen", 4, HOUSEHOLD),
        ("DASH risk assessment graded medium after an argument at the home", 2, HOUSEHOLD),
        ("DASH risk assessment graded high; referred to MARAC", 4, HOUSEHOLD),
        (
            "{parent} reported threatening messages from {partner}; bail conditions in place",
            3,
            HOUSEHOLD,
        ),
        ("999 call from {child}; {partner} had left before officers arrived", 3, HOUSEHOLD),
        ("Damage to the front door reported; {parent} would not make a statement", 2, HOUSEHOLD),
    ],
    "POLICE_CHILD_CONCERN": [
        ("{child} found by officers in {town} town centre at {time} and returned home", 2, TEEN),
        ("{child} stopped with older youths; suspected involvement in drug supply", 3, TEEN),
        ("Welfare check at the home: house in a poor state, no food in the fridge", 2, CHILDREN),
        ("{child} reported being bullied online; images shared without consent", 3, TEEN),
        ("{child} given a youth caution for shoplifting", 2, TEEN),
        ("{child} seen getting into a car with an adult male outside school", 3, TEEN),
    ],
    "MISSING_FROM_HOME": [
        ("Reported missing by {parent} at {time}; found next morning at a friend's house", 2, TEEN),
        ("Missing overnight; returned by police, would not say where {pronoun} had been", 3, TEEN),
        ("Missing for {n} hours; found in {town} with an older male", 4, TEEN),
        ("Missing after an argument at home; return home interview offered", 2, TEEN),
        ("Missing from school and home for a day; came back by bus from {town}", 2, TEEN),
    ],
    "HOUSING_NOTIFICATION": [
        ("Rent arrears of £{amount}; notice seeking possession served", 2, HOUSEHOLD),
        ("Tenant reported damp and mould in the children's bedroom", 1, HOUSEHOLD),
        ("Neighbour complaint about noise and visitors late at night", 1, HOUSEHOLD),
        (
            "Housing officer visit: property in poor condition, rubbish piled in the garden",
            2,
            HOUSEHOLD,
        ),
        ("Anti-social behaviour warning issued to the household", 2, HOUSEHOLD),
        ("Gas safety check refused for the second time", 1, HOUSEHOLD),
        ("Tenancy sustainment referral accepted; budgeting support offered", 1, HOUSEHOLD),
    ],
    "SOCIAL_CARE_NOTE": [
        ("Message from school: {child} seems happier and more settled this term", 1, SCHOOL),
        (
            "Unannounced visit: no answer; {parent} later said they were at her mother's",
            2,
            CHILDREN,
        ),
        ("Letter sent to {parent} confirming the next meeting and who will attend", 1, CHILDREN),
        ("Phone call with {parent} to arrange the next visit", 1, CHILDREN),
        ("Case discussed in supervision; actions agreed with the team manager", 1, CHILDREN),
        ("Family group conference held; grandparents offered weekend care", 1, CHILDREN),
        (
            "{parent} rang to say {child} had a bruise on {pronoun_pos} cheek from a fall at the "
            "park",
            3,
            SCHOOL,
        ),
        ("Health visitor updated the worker: {parent} engaging well", 1, BABY),
    ],
}

# Where each event type's information comes from.
SOURCES = {
    "SCHOOL_ATTENDANCE_CONCERN": "school",
    "SCHOOL_EXCLUSION": "school",
    "EDUCATION_WELFARE_NOTE": "council",
    "HEALTH_VISITOR_CONTACT": "trust",
    "EMERGENCY_DEPARTMENT_ATTENDANCE": "trust",
    "MISSED_HEALTH_APPOINTMENT": "health",
    "GP_CONCERN": "gp",
    "POLICE_DOMESTIC_ABUSE_NOTIFICATION": "police",
    "POLICE_CHILD_CONCERN": "police",
    "MISSING_FROM_HOME": "police",
    "HOUSING_NOTIFICATION": "housing",
    "SOCIAL_CARE_NOTE": "council",
}
# Hours of the day (from, to) events of each source happen in, unless the event type says.
HOURS = {
    "school": (8, 15),
    "council": (9, 17),
    "trust": (0, 23),
    "health": (9, 16),
    "gp": (8, 17),
    "police": (0, 23),
    "housing": (9, 16),
}
EVENT_HOURS = {"HEALTH_VISITOR_CONTACT": (9, 16)}
REFERENCE_PREFIX = {
    "school": "SCH",
    "trust": "DHT",
    "health": "DHT",
    "gp": "GP",
    "police": "DP",
    "housing": "GWH",
    "council": "DCC",
}

# How often each event type happens, by the kind of worry a family is known for.
BASE_WEIGHTS = {
    "SCHOOL_ATTENDANCE_CONCERN": 10,
    "SCHOOL_EXCLUSION": 2,
    "EDUCATION_WELFARE_NOTE": 2,
    "HEALTH_VISITOR_CONTACT": 6,
    "EMERGENCY_DEPARTMENT_ATTENDANCE": 5,
    "MISSED_HEALTH_APPOINTMENT": 6,
    "GP_CONCERN": 3,
    "POLICE_DOMESTIC_ABUSE_NOTIFICATION": 5,
    "POLICE_CHILD_CONCERN": 2,
    "MISSING_FROM_HOME": 2,
    "HOUSING_NOTIFICATION": 3,
    "SOCIAL_CARE_NOTE": 12,
}
PROFILES = {
    "neglect": {
        "SCHOOL_ATTENDANCE_CONCERN": 2.0,
        "HEALTH_VISITOR_CONTACT": 2.0,
        "MISSED_HEALTH_APPOINTMENT": 2.0,
        "HOUSING_NOTIFICATION": 1.5,
    },
    "domestic_abuse": {
        "POLICE_DOMESTIC_ABUSE_NOTIFICATION": 3.0,
        "EMERGENCY_DEPARTMENT_ATTENDANCE": 1.5,
        "HOUSING_NOTIFICATION": 1.5,
    },
    "adolescent": {
        "MISSING_FROM_HOME": 5.0,
        "POLICE_CHILD_CONCERN": 4.0,
        "SCHOOL_EXCLUSION": 3.0,
        "SCHOOL_ATTENDANCE_CONCERN": 1.5,
    },
    "general": {},
}
