"""The words of Demoshire's front door: what referrers tell the MASH, what the MASH asks
partners and hears back, and how it explains its decisions.

Placeholders: {child} {parent} {partner} {he} {his} (the child's pronouns) {days} {pct}
{time} {town} {months} {amount}. Each concern is (text, the CIN assessment factor codes the
MASH would record, urgency, the child's ages in years it can be said of: a toddler is not
quoted, nor has cuts on her forearms); the public form records no factors.
"""

POLICE, SCHOOL, HEALTH_VISITING, HOSPITAL, GP, HOUSING = (
    "police",
    "school",
    "health_visiting",
    "hospital",
    "gp",
    "housing",
)
PUBLIC, SELF, COUNCIL, OTHER = "public", "self", "council", "other"

CONCERNS: dict[str, list[tuple[str, list[str], str, tuple[int, int]]]] = {
    POLICE: [
        (
            "Officers attended the home at {time} after a 999 call about a domestic argument. "
            "{parent} had a cut lip and {child} was in the house throughout.",
            ["3A", "3B"],
            "urgent",
            (0, 17),
        ),
        (
            "{child} was found by officers in {town} at {time}, alone and drunk, and was taken "
            "home to {parent}.",
            ["1A", "10A"],
            "urgent",
            (12, 17),
        ),
        (
            "A neighbour called police: {parent} was very drunk and caring for {child} alone. "
            "Officers stayed until a relative arrived.",
            ["1B"],
            "urgent",
            (0, 12),
        ),
        (
            "{child} was reported missing overnight and came back the next afternoon; {he} "
            "would not say where {he} had been.",
            ["10A"],
            "routine",
            (11, 17),
        ),
        (
            "A drugs warrant at the address found cannabis and scales in a room the children "
            "can reach.",
            ["2B"],
            "urgent",
            (0, 17),
        ),
        (
            "{child} was stopped with older teenagers, one carrying a knife. Officers think "
            "{he} is being used to carry drugs.",
            ["24A", "13A"],
            "urgent",
            (12, 17),
        ),
        (
            "{partner} breached bail conditions by going to the home; {parent} let him in and "
            "the children were present.",
            ["3A", "3B"],
            "immediate",
            (0, 17),
        ),
    ],
    SCHOOL: [
        (
            "{child} has missed {days} days this half term. Calls and letters to {parent} have "
            "gone unanswered and a home visit got no reply.",
            ["16A"],
            "routine",
            (5, 16),
        ),
        (
            "{child} told a teaching assistant there is often no food at home and that {he} "
            "looks after the younger ones in the evenings.",
            ["16A", "7A"],
            "routine",
            (7, 16),
        ),
        (
            "{child} said {parent}'s partner shouts and throws things and that {he} is scared "
            "to go home tonight.",
            ["3A", "17A"],
            "urgent",
            (5, 17),
        ),
        (
            "{child} has cuts on {his} forearms and told the pastoral lead things at home are "
            "really bad.",
            ["15A", "4A"],
            "urgent",
            (11, 17),
        ),
        (
            "{child} came in with a bruise on {his} cheek; the explanation changed twice during "
            "the day.",
            ["18C"],
            "urgent",
            (4, 17),
        ),
        (
            "{child} is often collected late, and {parent} smelt strongly of alcohol at pick-up "
            "twice this week.",
            ["1B"],
            "routine",
            (4, 11),
        ),
        (
            "{child} has new phones and expensive trainers, and has been seen getting into cars "
            "with older men after school.",
            ["11A"],
            "urgent",
            (12, 17),
        ),
    ],
    HEALTH_VISITING: [
        (
            "At the {months}-month review the home was cold and cluttered, {child} had severe "
            "nappy rash and {parent} seemed very low.",
            ["16A", "4B"],
            "routine",
            (0, 2),
        ),
        (
            "{child} has dropped two centile lines and {parent} has missed the last three clinic "
            "appointments.",
            ["16A"],
            "routine",
            (0, 4),
        ),
        (
            "{parent} disclosed that {partner} pushed her during an argument while she was "
            "holding {child}.",
            ["3A", "3B"],
            "urgent",
            (0, 2),
        ),
        (
            "{child} was asleep on the sofa with {parent}, who admitted drinking; safe sleep "
            "advice given again.",
            ["1B", "16A"],
            "routine",
            (0, 1),
        ),
    ],
    HOSPITAL: [
        (
            "{child} attended the emergency department with a fracture; the account of a fall "
            "from the sofa does not fit the injury.",
            ["18C"],
            "immediate",
            (0, 5),
        ),
        (
            "{parent} attended the emergency department with facial injuries and said "
            "{partner} caused them; the children were at home with him.",
            ["3B"],
            "urgent",
            (0, 17),
        ),
        (
            "{child} attended after taking an overdose of paracetamol and said {he} wanted to die.",
            ["15A", "4A"],
            "urgent",
            (11, 17),
        ),
        (
            "{child}'s paediatric appointments were missed three times and {he} is losing weight.",
            ["16A"],
            "routine",
            (0, 17),
        ),
    ],
    GP: [
        (
            "{parent} told the GP she is struggling with low mood and drinking every day while "
            "caring for the children.",
            ["4B", "1B"],
            "routine",
            (0, 17),
        ),
        (
            "The GP saw a bruise on {child}'s upper arm shaped like a grip mark; {parent} could "
            "not explain it.",
            ["18C"],
            "urgent",
            (0, 17),
        ),
        (
            "{parent} has asked for early repeat prescriptions of opioids four times this year.",
            ["2B"],
            "routine",
            (0, 17),
        ),
    ],
    HOUSING: [
        (
            "Housing officer visit after complaints: rubbish in the hall, no working heating "
            "and the children sleeping on a mattress on the floor.",
            ["16A"],
            "routine",
            (0, 17),
        ),
        (
            "Neighbours report visitors through the night and shouting; {parent} is £{amount} "
            "in arrears and possession proceedings have started.",
            ["2B"],
            "routine",
            (0, 17),
        ),
        (
            "Repeated reports of damage to the front door and threats made to {parent} by a "
            "former partner.",
            ["3B"],
            "routine",
            (0, 17),
        ),
    ],
    PUBLIC: [
        (
            "I hear shouting and banging from next door most nights and a child crying. Last "
            "night a man was screaming at {parent}.",
            ["3A"],
            "routine",
            (0, 17),
        ),
        (
            "The children next door are left on their own in the evenings. I have seen {child} "
            "at the window late at night.",
            ["16A"],
            "routine",
            (3, 12),
        ),
        (
            "I am worried about {child}. {parent} is drinking heavily again and the house is in "
            "a terrible state.",
            ["1B", "16A"],
            "routine",
            (0, 17),
        ),
        (
            "{child} told me {parent}'s boyfriend hits the children when {parent} is out.",
            ["18C"],
            "routine",
            (4, 17),
        ),
        (
            "The kids at this address are always outside late and look hungry. There are people "
            "coming and going all night.",
            ["16A", "2B"],
            "routine",
            (4, 15),
        ),
        (
            "{child} turned up at our door crying and would not go home. {parent} came and "
            "dragged {child} back by the arm.",
            ["18C"],
            "routine",
            (4, 12),
        ),
    ],
    SELF: [
        (
            "I don't feel safe at home. My mum's boyfriend shouts at me all the time and I don't "
            "want to go back tonight.",
            ["3A", "17A"],
            "routine",
            (11, 17),
        ),
        (
            "My mum drinks every night and I have to look after my little brother. I'm tired "
            "all the time and I can't tell anyone at school.",
            ["1B", "7A"],
            "routine",
            (10, 17),
        ),
    ],
    COUNCIL: [
        (
            "Adult social care are assessing {parent} after a mental health crisis; {parent} is "
            "the only carer for {child}.",
            ["4B"],
            "urgent",
            (0, 17),
        ),
        (
            "The early help plan has closed without progress: {child}'s attendance is still "
            "{pct}% and {parent} has stopped engaging.",
            ["16A"],
            "routine",
            (5, 16),
        ),
        (
            "The family have moved here from another area, where {child} was on a child in need "
            "plan for neglect.",
            ["16A"],
            "routine",
            (0, 17),
        ),
    ],
    OTHER: [
        (
            "Probation report that {partner}, who has a history of domestic abuse, has moved "
            "into the family home.",
            ["3B"],
            "urgent",
            (0, 17),
        ),
        (
            "A youth worker is worried that {child} spends time with much older men and has "
            "unexplained money.",
            ["11A"],
            "urgent",
            (12, 17),
        ),
        (
            "A court welfare officer reports that {child} described being hit with a belt at "
            "{parent}'s home.",
            ["18C"],
            "urgent",
            (4, 17),
        ),
    ],
}


def concerns_for(
    words: str, age: int, decision: str = ""
) -> list[tuple[str, list[str], str, tuple[int, int]]]:
    """The worries a referrer of this kind may voice about a child of `age` years; all of
    them if none fits (a source asked about a child it would rarely speak of). The MASH's
    `decision` follows what it heard: early help, advice or no further action on a routine
    worry where there is one, a strategy discussion on an urgent one."""
    said = CONCERNS[words]
    fitting = [c for c in said if c[3][0] <= age <= c[3][1]] or said
    if decision in ("nfa", "advice", "early_help"):
        return [c for c in fitting if c[2] == "routine"] or fitting
    if decision == "strategy":
        return [c for c in fitting if c[2] != "routine"] or fitting
    return fitting


WHAT_TRIED = {
    POLICE: [
        "DASH risk assessment completed with {parent}; graded medium.",
        "Words of advice given; {parent} given details of the local domestic abuse service.",
        "{partner} arrested and in custody; bail conditions to follow.",
    ],
    SCHOOL: [
        "Spoke to {parent} at pick-up, who said everything is fine.",
        "Breakfast club place offered and taken up.",
        "Discussed at the safeguarding team meeting; early help assessment offered and declined.",
    ],
    HEALTH_VISITING: [
        "Safe sleep and home conditions advice given; follow-up visit booked.",
        "Offered a referral to the perinatal mental health team.",
    ],
    HOSPITAL: [
        "Skeletal survey requested; paediatric consultant informed.",
        "Discussed with the hospital safeguarding team.",
    ],
    GP: [
        "Reviewed medication and offered counselling.",
        "Discussed with the practice safeguarding lead.",
    ],
    HOUSING: [
        "Tenancy sustainment support offered.",
        "Repairs booked; family did not provide access.",
    ],
    COUNCIL: ["Discussed with the family's early help worker.", ""],
    OTHER: ["Spoke to {parent}, who became angry.", ""],
}

# Partner information requests by the kind of agency asked: (question, answers).
QUESTIONS: dict[str, tuple[str, list[str]]] = {
    "police": (
        "Please share any police involvement with the adults at this address in the last two "
        "years, including domestic abuse call-outs.",
        [
            "Two domestic incidents recorded at the address, both verbal; no arrests.",
            "No police records held for the named adults.",
            "The mother's partner has a conviction for assault and was under a non-molestation "
            "order until last year.",
            "One call-out for a noise complaint; officers found the children asleep and well.",
        ],
    ),
    "health_trust": (
        "Is the family known to health visiting, midwifery or the hospital, and are the "
        "children's health checks up to date?",
        [
            "Known to health visiting; the 2-year review was missed twice and letters went "
            "unanswered.",
            "Immunisations up to date; no concerns recorded at the last contact.",
            "Two emergency department attendances this year for minor injuries, both explained.",
            "Mother is under the perinatal mental health team and attending appointments.",
        ],
    ),
    "school": (
        "Please share attendance, any safeguarding records and how the child presents in school.",
        [
            "Attendance 84% this year. Two logged concerns about hunger this term; quiet and "
            "often tired.",
            "Attendance 97%; no safeguarding concerns logged; doing well.",
            "Attendance 71%. Suspended twice this year; says little about home.",
            "Not on our roll since September; believed to have moved schools.",
        ],
    ),
    "gp_practice": (
        "Is there anything on the GP record about the parents' mental health or substance "
        "use that affects their care of the children?",
        [
            "Mother prescribed antidepressants and attending reviews; no concerns about "
            "parenting recorded.",
            "Father has a history of alcohol dependence; last reviewed six months ago.",
            "Nothing of note on the record for either parent.",
        ],
    ),
    "housing": (
        "Is the household a tenant, and are there any concerns about the tenancy or the property?",
        [
            "Tenants since 2019; arrears of £1,200 and a noise complaint last month.",
            "Not a tenant of ours.",
        ],
    ),
}

CONSENT_REASONS = {
    "given": [
        "{parent} agreed by phone to the MASH checking with partner agencies.",
        "The referrer obtained {parent}'s consent and recorded it on the form.",
    ],
    "refused": ["{parent} did not agree to information being shared; reasons recorded."],
    "override": [
        "Seeking consent could put the children at greater risk; information "
        "shared without consent under the risk of significant harm."
    ],
    "not_needed": ["The information needed is already held by the council."],
}

DECISION_REASONS = {
    "nfa": [
        "Partner checks show no further concerns and the family has support in place.",
        "A single incident with no wider concerns; no role for children's services.",
    ],
    "advice": [
        "The referrer was given advice and the family signposted to community support.",
        "Advice given to {parent} about parenting support in {town}.",
    ],
    "early_help": [
        "Needs are emerging and {parent} is willing to work with early help.",
        "Attendance and home conditions need a multi-agency early help plan.",
    ],
    "assessment": [
        "Cumulative neglect concerns across agencies: a child and family assessment is needed.",
        "Domestic abuse is escalating and the children are exposed to it; assessment needed.",
    ],
    "strategy": [
        "Disclosure of physical harm: strategy discussion with police and health today.",
        "Risk of significant harm from exploitation; strategy discussion convened.",
    ],
}

FEEDBACK = {
    "nfa": "Thank you for the referral. We will not be taking further action at this time.",
    "advice": "We have given the family information about support available locally.",
    "early_help": "The family has been offered early help; a worker will contact them.",
    "assessment": "A social worker will assess the family's needs and may contact you.",
    "strategy": "We are working with the police and health to keep the child safe.",
}

REFERRER_ROLES = {
    "5A": "Adult social care worker",
    "5B": "Council officer",
    "5C": "Duty social worker, neighbouring council",
    "5D": "Early help worker",
    "2B": "Education welfare officer",
    "7": "Probation officer",
    "8": "Youth worker",
    "10": "Caller did not say",
}
