"""The authorisation matrix, written out by hand (not derived from the policy, so the test
checks the policy against what we meant).

Relations are to the test people in conftest.py: `involved` (allocated to the social worker,
the school contributes, the CP chair chairs), `same_team` (a North colleague's case),
`unrelated` (South's case), `restricted` (North's, restricted, nobody allow-listed),
`restricted_allowed` (restricted; the social worker is on its allow-list).

Outcomes: A = allowed, D = refused as "not found" (404), B = must break the glass first.
"""

# The tables are aligned by hand so each reads as a grid.
# fmt: off
RELATIONS = ["involved", "same_team", "unrelated", "restricted", "restricted_allowed"]

# role -> outcome for each relation, for reading (view, export) ...
VIEW = {
    "partner_practitioner":    "A D D D D",
    "mash_worker":             "A A A B B",
    "mash_manager":            "A A A B B",
    "social_worker":           "A A D B A",
    "team_manager":            "A A D B B",
    "cp_chair_iro":            "A D D D D",
    "performance_analyst":     "D D D D D",
    "partnership_officer":     "D D D D D",
    "data_protection_officer": "D D D D D",
    "system_administrator":    "D D D D D",
}
# ... and for changing the record (edit pages and API update). A restricted record must be
# opened (break-glass) before it can be changed; the API never offers break-glass, so there
# "B" is "not found".
EDIT = {
    "partner_practitioner":    "D D D D D",
    "mash_worker":             "A A A B B",
    "mash_manager":            "A A A B B",
    "social_worker":           "A A D B A",
    "team_manager":            "A A D B B",
    "cp_chair_iro":            "D D D D D",
    "performance_analyst":     "D D D D D",
    "partnership_officer":     "D D D D D",
    "data_protection_officer": "D D D D D",
    "system_administrator":    "D D D D D",
}

# Pages and endpoints that are about one person: (url name, kind, method).
PERSON_ENDPOINTS = [
    ("people:person-detail", "view", "get"),
    ("people:person-export", "view", "get"),
    ("people:person-edit", "edit", "get"),
    ("people:person-name-add", "edit", "get"),
    ("people:person-move", "edit", "get"),
    ("people:relationship-add", "edit", "get"),
    ("people:relationship-end", "edit", "get"),
    ("api-v1:person_read_api", "view", "get"),
    ("api-v1:person_update_api", "edit", "put"),
    # Casework forms that need only the child (test_casework_matrix.py covers the rest).
    ("casework:episode-open", "edit", "get"),
    ("casework:missing-record", "edit", "get"),
    ("casework:visit-record", "edit", "get"),
    ("casework:note-record", "edit", "get"),
    # Care leavers' forms (the adviser page, managers only: test_leaving_care_matrix.py).
    ("leaving_care:birthday", "edit", "get"),
    ("leaving_care:pathway-plan", "edit", "get"),
    ("leaving_care:staying-put-start", "edit", "get"),
    ("leaving_care:staying-put-end", "edit", "get"),
    # The multi-agency chronology and its household view read as the person page does.
    ("multiagency:chronology", "view", "get"),
    ("multiagency:household", "view", "get"),
    # A manual entry in the person's information-sharing log (sharing app).
    ("sharing:person-record", "edit", "get"),
]

# Pages and endpoints that are about no one person: role -> allowed?
ROLE_ENDPOINTS = {
    # url name: roles allowed (everyone else is refused)
    "people:person-search": {"partner_practitioner", "mash_worker", "mash_manager",
                             "social_worker", "team_manager", "cp_chair_iro"},
    "people:person-create": {"mash_worker", "mash_manager", "social_worker", "team_manager"},
    "api-v1:person_search_api": {"partner_practitioner", "mash_worker", "mash_manager",
                                 "social_worker", "team_manager", "cp_chair_iro"},
    "api-v1:person_create_api": {"mash_worker", "mash_manager", "social_worker",
                                 "team_manager"},
    # Prospective adopters: the adoption agency's workers only (test_permanence_matrix.py
    # covers a record and the matched children's names).
    "permanence:adopters": {"social_worker", "team_manager"},
    "permanence:adopters-add": {"social_worker", "team_manager"},
    "audit:audit-home": {"data_protection_officer"},
    "audit:break-glass-queue": {"data_protection_officer"},
    "audit:user-admin-log": {"data_protection_officer"},
    "organisations:user-list": {"system_administrator"},
    "organisations:user-create": {"system_administrator"},
    "organisations:user-edit": {"system_administrator"},
    "api-tokens:token-list": {"system_administrator"},
    "frontdoor:contact-queue": {"mash_worker", "mash_manager", "team_manager"},
    "frontdoor:queue-health": {"mash_manager", "team_manager", "performance_analyst",
                               "partnership_officer"},
    "frontdoor:phone-contact": {"mash_worker", "mash_manager", "team_manager"},
    "frontdoor:referral-list": {"partner_practitioner"},
    "frontdoor:referral-create": {"partner_practitioner"},
    "frontdoor:request-list": {"partner_practitioner"},
    "api-v1:contact_submit_api": {"partner_practitioner"},
    "casework:my-work": {"social_worker", "team_manager"},
    "casework:team-work": {"team_manager"},
    "careplanning:iro-work": {"cp_chair_iro"},
    "partners:queue": {"mash_worker", "mash_manager", "team_manager"},
    "partners:upload": {"partner_practitioner"},
    "partners:template": {"partner_practitioner"},
    "api-v1:partner_events_submit_api": {"partner_practitioner"},
    "api-v1:partner_events_sent_back_api": {"partner_practitioner"},
    "concerns:alert-list": {"mash_worker", "mash_manager", "social_worker", "team_manager"},
    "concerns:mash-alert-list": {"mash_worker", "mash_manager", "team_manager"},
    "concerns:team-alert-list": {"team_manager"},
    "api-v1:concern_alerts_api": {"mash_worker", "mash_manager", "social_worker", "team_manager"},
    "concerns:rule-list": {"mash_worker", "mash_manager", "social_worker", "team_manager",
                           "performance_analyst", "partnership_officer"},
    "neglect:templates": {"system_administrator"},
    "neglect:training-list": {"team_manager", "system_administrator"},
    "neglect:training-add": {"team_manager", "system_administrator"},
    "neglect:training-import": {"team_manager", "system_administrator"},
    "neglect:training-csv": {"team_manager", "system_administrator"},
    # The reader's own profiles: those who profile, and those who sign profiles off.
    "neglect:work": {"partner_practitioner", "mash_manager", "social_worker", "team_manager"},
    "neglect:use": {"team_manager", "performance_analyst"},
    "neglect:use-csv": {"team_manager", "performance_analyst"},
    "partners:feeds": {"mash_manager", "team_manager", "performance_analyst",
                       "partnership_officer"},
    "partners:notices": {"partner_practitioner", "mash_worker", "mash_manager", "team_manager"},
    "insight:dashboard": {"team_manager", "performance_analyst"},
    "insight:dashboard-csv": {"team_manager", "performance_analyst"},
    "insight:report": {"team_manager", "performance_analyst"},
    "returns:validation": {"team_manager", "performance_analyst"},
    # Subject access and retention: the data protection officer's alone.
    "subjectaccess:list": {"data_protection_officer"},
    "subjectaccess:create": {"data_protection_officer"},
    "retention:review": {"data_protection_officer"},
}
EVERY_SIGNED_IN_ROLE = set(VIEW)
# Health and readiness answer everyone, signed out too, and name nobody (test_health.py).
ROLE_ENDPOINTS["healthz"] = EVERY_SIGNED_IN_ROLE
ROLE_ENDPOINTS["readyz"] = EVERY_SIGNED_IN_ROLE

# Front-door contacts, by their relation to the test users (see test_contact_matrix.py):
# own_agency (referred by the school, the partner's agency), other_agency (referred by the
# health trust), public (from the public form, not linked), linked_involved (public, child
# linked to the social worker's allocated child), linked_unrelated (linked to South's child).
CONTACT_RELATIONS = ["own_agency", "other_agency", "public", "linked_involved",
                     "linked_unrelated"]
# Reading a contact. On the MASH page a partner's own referral redirects (R) to the
# partner's view of it, and the MASH is sent (M) from the partner view to the MASH page.
CONTACT_VIEW = {
    "partner_practitioner":    "A D D D D",
    "mash_worker":             "A A A A A",
    "mash_manager":            "A A A A A",
    "social_worker":           "D D D A D",
    "team_manager":            "A A A A A",
    "cp_chair_iro":            "D D D A D",
    "performance_analyst":     "D D D D D",
    "partnership_officer":     "D D D D D",
    "data_protection_officer": "D D D D D",
    "system_administrator":    "D D D D D",
}
CONTACT_VIEW_ENDPOINTS = {
    # url name: outcome letter used where CONTACT_VIEW says "A"
    "frontdoor:contact-detail": {"partner_practitioner": "R"},
    "frontdoor:referral-detail": {"mash_worker": "M", "mash_manager": "M", "team_manager": "M",
                                  "social_worker": "D", "cp_chair_iro": "D"},
    "api-v1:contact_read_api": {},
}
# Working on a contact (every POST action): the MASH and team managers only, whatever the
# contact; sign-off is for managers alone.
CONTACT_EDIT_ROLES = {"mash_worker", "mash_manager", "team_manager"}
CONTACT_EDIT_ENDPOINTS = {
    "frontdoor:contact-take": CONTACT_EDIT_ROLES,
    "frontdoor:contact-rate": CONTACT_EDIT_ROLES,
    "frontdoor:contact-link": CONTACT_EDIT_ROLES,
    "frontdoor:contact-unlink": CONTACT_EDIT_ROLES,
    "frontdoor:contact-new-person": CONTACT_EDIT_ROLES,
    "frontdoor:contact-carry-over": CONTACT_EDIT_ROLES,
    "frontdoor:contact-request": CONTACT_EDIT_ROLES,
    "frontdoor:contact-consent": CONTACT_EDIT_ROLES,
    "frontdoor:contact-decide": CONTACT_EDIT_ROLES,
    "frontdoor:contact-sign-off": {"mash_manager", "team_manager"},
}
# Information requests, addressed to the school (the partner's agency) or the trust.
REQUEST_VIEW = {
    "partner_practitioner":    "A D",
    "mash_worker":             "A A",
    "mash_manager":            "A A",
    "social_worker":           "D D",
    "team_manager":            "A A",
    "cp_chair_iro":            "D D",
    "performance_analyst":     "D D",
    "partnership_officer":     "D D",
    "data_protection_officer": "D D",
    "system_administrator":    "D D",
}

# A child's casework page. Unlike the person page, partner agencies never see it (case-note
# bodies stay with the council); conference chairs see their own children's.
CASEWORK_VIEW = {
    "partner_practitioner":    "D D D D D",
    "mash_worker":             "A A A B B",
    "mash_manager":            "A A A B B",
    "social_worker":           "A A D B A",
    "team_manager":            "A A D B B",
    "cp_chair_iro":            "A D D D D",
    "performance_analyst":     "D D D D D",
    "partnership_officer":     "D D D D D",
    "data_protection_officer": "D D D D D",
    "system_administrator":    "D D D D D",
}
_CASEWORK = "tested in tests/access_matrix/test_casework_matrix.py"
_CHRONOLOGY = "tested in tests/access_matrix/test_chronology_matrix.py"

# Restricted partner entries on the involved child's chronology (test_chronology_matrix.py):
# one the school sent (the partner's own agency), one the police sent. Y: read whole on the
# chronology and in the court export; N: hidden and counted. The allocated social worker,
# the MASH and team managers (who triage) read both; a sending agency reads its own; the
# rest of the team, the conference chair and other partners read neither.
RESTRICTED_ENTRIES = {
    # user: (school's, police's)
    "partner_practitioner": "Y N",
    "mash_worker":          "Y Y",
    "mash_manager":         "Y Y",
    "social_worker":        "Y Y",
    "colleague":            "N N",
    "team_manager":         "Y Y",
    "cp_chair_iro":         "N N",
}

# One partner event waiting in the MASH's queue (sent by the school about the social
# worker's allocated child): those who triage read and work it; nobody else, its sender
# included, reaches these pages (the sender reads what came back on the upload page).
PARTNER_EVENT_ENDPOINTS = {
    # url name: method
    "partners:event-detail": "get",
    "partners:event-attach": "post",
    "partners:event-new-person": "get",
    "partners:event-send-back": "post",
}
PARTNER_EVENT_ROLES = {"mash_worker", "mash_manager", "team_manager"}
# A CSV upload by the school: its own agency's senders only (tested in
# test_partner_matrix.py with a second agency's sender too).
PARTNER_UPLOAD_ENDPOINTS = {"partners:preview": "get", "partners:confirm": "post"}
PARTNER_UPLOAD_ROLES = {"partner_practitioner"}

# The casework API (test_casework_api_matrix.py), every role x every relation: reading a
# child's casework follows CASEWORK_VIEW, recording follows EDIT (as the casework form
# pages do), the chronology follows VIEW (as the person page does). The API offers no
# break-glass, so there "B" is "not found" until the glass is broken on the page.
CASEWORK_API_ENDPOINTS = {
    # url name: (table, method)
    "api-v1:child_episodes_api": ("casework", "get"),
    "api-v1:child_assessments_api": ("casework", "get"),
    "api-v1:child_strategy_discussions_api": ("casework", "get"),
    "api-v1:child_enquiries_api": ("casework", "get"),
    "api-v1:child_conferences_api": ("casework", "get"),
    "api-v1:child_cp_plans_api": ("casework", "get"),
    "api-v1:child_cin_plans_api": ("casework", "get"),
    "api-v1:child_care_periods_api": ("casework", "get"),
    "api-v1:child_allocations_api": ("casework", "get"),
    "api-v1:child_visits_api": ("casework", "get"),
    "api-v1:child_missing_api": ("casework", "get"),
    "api-v1:person_chronology_api": ("view", "get"),
    "api-v1:child_visit_record_api": ("edit", "post"),
    "api-v1:child_note_record_api": ("edit", "post"),
    "api-v1:child_missing_record_api": ("edit", "post"),
    # Children in care and care leavers (ADR 0028, 0030, 0035).
    **{
        f"api-v1:child_{name}_api": ("casework", "get")
        for name in (
            "health_checks", "sdq_scores", "substance_misuse", "offences", "education_plans",
            "uasc_status", "care_reviews", "care_leaver", "care_plans", "reviewing_officers",
            "iro_contacts", "delegated_decisions",
        )
    },
}

# Registers of hard-to-see children (test_hardtosee_matrix.py): the MASH and team managers
# open them; every other role is "not found". Each row is a child the reader may see: which
# of the test people (all put on every register) each role's register shows.
REGISTER_ROLES = {"mash_worker", "mash_manager", "team_manager"}
REGISTER_ROWS = {
    "mash_worker":             "A A A D D",
    "mash_manager":            "A A A D D",
    "team_manager":            "A A D D D",
}
# Naming a child's EHE officer changes the child's record: EDIT, for the register roles.
EHE_OFFICER = {
    "mash_worker":             "A A A B B",
    "mash_manager":            "A A A B B",
    "team_manager":            "A A D B B",
}
# Contexts and MACE panels: the register roles open and work them (each person on them is
# still decided by the policy: linking a child or recording them as discussed follows
# EHE_OFFICER, the EDIT decision); everyone else is "not found". Any role that works with
# children may own a MACE action and reads their own; an action is marked done by its owner
# or the register roles.
CONTEXT_ENDPOINTS = {
    # url name: method
    "hardtosee:contexts": "get",
    "hardtosee:context-new": "get",
    "hardtosee:context": "get",
    "hardtosee:context-edit": "get",
    "hardtosee:context-note": "post",
    "hardtosee:context-link": "post",
    "hardtosee:context-unlink": "post",
    "hardtosee:panels": "get",
    "hardtosee:panel-new": "get",
    "hardtosee:panel": "get",
    "hardtosee:panel-child": "post",
    "hardtosee:panel-context": "post",
    "hardtosee:panel-action": "post",
    "hardtosee:panel-notes": "post",
}
MACE_ACTION_HOLDERS = {"partner_practitioner", "mash_worker", "mash_manager", "social_worker",
                       "team_manager", "cp_chair_iro"}
_HARDTOSEE = "tested in tests/access_matrix/test_hardtosee_matrix.py"
# Concern alerts (test_concern_matrix.py), by who they are for: `mash` (the involved child,
# no lead professional: the MASH's queue), `lead` (the involved child, led by the social
# worker), `unrelated` (South's child, led by South's worker). The recipient works an alert;
# a manager may too, for a child their team may change; always only for a child they see.
ALERT_RELATIONS = ["mash", "lead", "unrelated"]
ALERT_ACCESS = {
    "partner_practitioner":    "D D D",
    "mash_worker":             "A D D",
    "mash_manager":            "A D D",
    "social_worker":           "D A D",
    "team_manager":            "A A D",
    "cp_chair_iro":            "D D D",
    "performance_analyst":     "D D D",
    "partnership_officer":     "D D D",
    "data_protection_officer": "D D D",
    "system_administrator":    "D D D",
}
ALERT_ENDPOINTS = {
    "concerns:alert-detail": "get",
    "concerns:alert-acknowledge": "post",
    "concerns:alert-act": "post",
    "concerns:alert-dismiss": "post",
    # The API works alerts as the pages do: the same fetcher, so the same answers.
    "api-v1:concern_alert_api": "get",
    "api-v1:concern_alert_acknowledge_api": "post",
    "api-v1:concern_alert_act_api": "post",
    "api-v1:concern_alert_dismiss_api": "post",
}
# One rule: read by those who work alerts and the analysts (counts, no names); changed by
# managers. The replay API answers the same readers.
CONCERN_RULE_ENDPOINTS = {
    "concerns:rule-detail": {"mash_worker", "mash_manager", "social_worker", "team_manager",
                             "performance_analyst", "partnership_officer"},
    "concerns:rule-edit": {"team_manager"},
    "api-v1:concerns_replay_api": {"mash_worker", "mash_manager", "social_worker",
                                   "team_manager", "performance_analyst",
                                   "partnership_officer"},
}
# Neglect profiles (test_neglect_matrix.py): reading a child's profiles (and signing one
# off) needs a role that profiles or supervises, starting and working on one a role that
# profiles; either way sight of every child the profile covers, and restricted children
# need the glass broken first. The MASH manager supervises, and profiles none (ADR 0075).
NEGLECT_VIEW = {
    "partner_practitioner":    "A D D D D",
    "mash_worker":             "D D D D D",
    "mash_manager":            "A A A B B",
    "social_worker":           "A A D B A",
    "team_manager":            "A A D B B",
    "cp_chair_iro":            "D D D D D",
    "performance_analyst":     "D D D D D",
    "partnership_officer":     "D D D D D",
    "data_protection_officer": "D D D D D",
    "system_administrator":    "D D D D D",
}
NEGLECT_EDIT = {**NEGLECT_VIEW, "mash_manager": "D D D D D"}
# Operation Encompass notices (test_encompass_matrix.py), by their relation to the school's
# partner practitioner (conftest's DSL): sent to their school, sent to another school, and
# waiting for the MASH with no school. A = allowed, D = not found.
ENCOMPASS_RELATIONS = ["own_school", "other_school", "no_school"]
ENCOMPASS_VIEW = {
    "partner_practitioner":    "A D D",
    "mash_worker":             "A A A",
    "mash_manager":            "A A A",
    "social_worker":           "D D D",
    "team_manager":            "A A A",
    "cp_chair_iro":            "D D D",
    "performance_analyst":     "D D D",
    "partnership_officer":     "D D D",
    "data_protection_officer": "D D D",
    "system_administrator":    "D D D",
}
# Acknowledging is the school's alone; sending a notice on to a school is the MASH's.
ENCOMPASS_ACKNOWLEDGE = {role: ("A D D" if role == "partner_practitioner" else "D D D")
                         for role in ENCOMPASS_VIEW}
ENCOMPASS_SEND_ROLES = {"mash_worker", "mash_manager", "team_manager"}
# A feed's quiet limit: those who watch feeds.
FEED_ROLES = {"mash_manager", "team_manager", "performance_analyst", "partnership_officer"}
_ENCOMPASS = "tested in tests/access_matrix/test_encompass_matrix.py"

# The returns team's pages (the CIN census, the SSDA903, their validators and Ofsted's Annex A):
# tested, with the children the files name, in tests/access_matrix/test_returns_matrix.py.
RETURNS_ROLES = {"performance_analyst"}
# Importing an earlier system's census files as history (ADR 0044): the returns team and the
# system administrator, as `policy.can_import_history` says.
IMPORT_ROLES = {"performance_analyst", "system_administrator"}
_IMPORT = "IMPORT_ROLES; tested in tests/access_matrix/test_returns_matrix.py"
_RETURNS = "RETURNS_ROLES; tested in tests/access_matrix/test_returns_matrix.py"

# Routes deliberately outside the matrix, and why.
# A subject access request's pages and a retention review's or hold's (every role, in
# test_records_matrix.py): the data protection officer only; everyone else "not found" and
# nothing changed.
RECORDS_ROLES = {"data_protection_officer"}
RECORDS_ENDPOINTS = {
    "subjectaccess:detail": "get",
    "subjectaccess:extend": "get",
    "subjectaccess:compile": "post",
    "subjectaccess:decide": "post",
    "subjectaccess:redaction-add": "post",
    "subjectaccess:export": "get",
    "subjectaccess:sent": "post",
    "retention:decide": "get",
    "retention:lift": "get",
}
_RECORDS = "RECORDS_ROLES; tested in tests/access_matrix/test_records_matrix.py"
# The performance dashboard (insight): who opens its pages at all, and how each child behind
# a figure is listed to them, by relation (test_insight_matrix.py). N: by name, with a link;
# I: by SafeHub ID only; C: counted only.
PERFORMANCE_ROLES = {"team_manager", "performance_analyst"}
FIGURE_LISTING = {
    "team_manager":        "N N C C C",
    "performance_analyst": "I I I C C",
}
_INSIGHT = "tested in tests/access_matrix/test_insight_matrix.py"
# The census check (returns, ADR 0043): its page, a run on demand and each count's children
# for PERFORMANCE_ROLES, the children listed as FIGURE_LISTING says; each open issue in "my
# work" by relation (test_validation_matrix.py). The issues of the test people are owned by
# their allocated workers (involved: sw; unrelated: South's sw3; the rest: North's sw2).
# N: named, with a link to put it right; R: as a restricted record, no name or link; -: not
# there (not theirs, or no "my work").
VALIDATION_MY_WORK = {
    "partner_practitioner":    "- - - - -",
    "mash_worker":             "- - - - -",
    "mash_manager":            "- - - - -",
    "social_worker":           "N - - - -",
    "team_manager":            "N N - R R",
    "cp_chair_iro":            "- - - - -",
    "performance_analyst":     "- - - - -",
    "partnership_officer":     "- - - - -",
    "data_protection_officer": "- - - - -",
    "system_administrator":    "- - - - -",
}
_VALIDATION = "tested in tests/access_matrix/test_validation_matrix.py"

# Court work and adoption (test_permanence_matrix.py), every role x every relation: only
# the social workers and managers who hold cases record them (the MASH, who may change any
# child's record, may not), as the EDIT table says for those two roles; everyone else is
# "not found". The match page names adopters, so roles that do not work with adopters are
# told it is not for them (403) before any child is looked up.
PERMANENCE_EDIT = {
    "partner_practitioner":    "D D D D D",
    "mash_worker":             "D D D D D",
    "social_worker":           "A A D B A",
    "team_manager":            "A A D B B",
    "cp_chair_iro":            "D D D D D",
    "performance_analyst":     "D D D D D",
    "data_protection_officer": "D D D D D",
    "system_administrator":    "D D D D D",
}
PERMANENCE_ENDPOINTS = {
    # url name: extra url arguments after the child
    "permanence:pre-proceedings": (),
    "permanence:pre-proceedings-letter": (),
    "permanence:pre-proceedings-end": (),
    "permanence:issue": (),
    "permanence:hearing": (),
    "permanence:extend": (),
    "permanence:final-order": (),
    "permanence:liberty": (),
    "permanence:liberty-review": (),
    "permanence:liberty-end": (),
    "permanence:adoption-step": ("placement-order",),
    "permanence:adoption-match": (),
    "permanence:adoption-reverse": (),
    "permanence:previous-permanence": (),
}
# The casework page's court and adoption section: shown to those who may read it.
PERMANENCE_READERS = {"social_worker", "team_manager", "cp_chair_iro"}
ADOPTER_ROLES = {"social_worker", "team_manager"}

NOT_IN_MATRIX = {
    **dict.fromkeys(RECORDS_ENDPOINTS, _RECORDS),
    "permanence:adopters-detail": "prospective adopters (not person records): "
    "test_permanence_matrix.py, every role",
    "ui:home": "redirects each role to its start page; holds no data",
    "ui:account": "the signed-in user's own account details",
    "ui:accessibility": "public: accessibility statement",
    "ui:help": "every signed-in role's own guide; no person data (access/tests/test_help.py)",
    "ui:help-role": "each role's guide, for any signed-in role (access/tests/test_help.py)",
    "ui:sign-in": "public: sign-in",
    "ui:sign-in-verify": "second-factor step of sign-in",
    "ui:sign-in-setup": "second-factor set-up at first sign-in",
    "ui:sign-out": "ends the session",
    "ui:session-status": "how long the user's own session has left (access/tests)",
    "ui:session-extend": "more time for the user's own session (access/tests)",
    "people:person-break-glass": "tested in test_break_glass.py (reason + step-up code)",
    "audit:break-glass-review": "POST-only; tested in test_break_glass.py",
    "organisations:user-unlock": "POST-only; tested with the users pages",
    "organisations:user-reset-second-factor": "POST-only; tested with the users pages",
    "organisations:user-end-sessions": "POST-only; tested with the users pages",
    "organisations:sessions-end-all": "POST-only; tested with the users pages",
    "organisations:access-grant-decide": "POST-only; tested in organisations/tests",
    "api-tokens:token-revoke": "POST-only; tested in access/tests/test_api_tokens.py",
    "api-v1:openapi-json": "the API's public description",
    "api-v1:api-root": "the API's bare root; answers not found",
    "notifications:inbox": "the signed-in user's own messages (tested in notifications)",
    "frontdoor:request-answer": "tested by REQUEST_VIEW in test_contact_matrix.py",
    "report:start": "public: tested in tests/access_matrix/test_public_report.py",
    "report:child": "public: tested in tests/access_matrix/test_public_report.py",
    "report:mother": "public: tested in tests/access_matrix/test_public_report.py",
    "report:address": "public: tested in tests/access_matrix/test_public_report.py",
    "report:what-happened": "public: tested in tests/access_matrix/test_public_report.py",
    "report:danger": "public: tested in tests/access_matrix/test_public_report.py",
    "report:call-999": "public: tested in tests/access_matrix/test_public_report.py",
    "report:about-you": "public: tested in tests/access_matrix/test_public_report.py",
    "report:your-name": "public: tested in tests/access_matrix/test_public_report.py",
    "report:contact": "public: tested in tests/access_matrix/test_public_report.py",
    "report:contact-details": "public: tested in tests/access_matrix/test_public_report.py",
    "report:check": "public: tested in tests/access_matrix/test_public_report.py",
    "report:submit": "public: tested in tests/access_matrix/test_public_report.py",
    "report:sent": "public: tested in tests/access_matrix/test_public_report.py",
    "casework:child-casework": f"CASEWORK_VIEW; {_CASEWORK}",
    **{f"casework:{name}": f"one record of the child; {_CASEWORK}" for name in (
        "episode-close", "primary-need", "assessment-start", "assessment-seen",
        "assessment-complete",
        "strategy-record", "section47-conclude", "core-group-record", "cin-plan-start",
        "cin-plan-review", "cin-plan-end", "care-start", "care-change", "care-end",
        "care-plan",
        "health-check", "sdq", "substance-misuse", "offence", "education-plan", "uasc",
        "recommendation-done")},
    **{f"casework:{name}": f"conference chairs too; {_CASEWORK}" for name in (
        "conference-initial", "conference-review", "care-review")},
    **{f"casework:{name}": f"team managers only; {_CASEWORK}" for name in (
        "assessment-authorise", "allocate", "oversight-record")},
    "casework:draft-save": f"POST-only autosave; {_CASEWORK}",
    "leaving_care:adviser": "team managers only; tests/access_matrix/test_leaving_care_matrix.py",
    **{f"careplanning:{name}": "a child in care; tests/access_matrix/test_care_planning_matrix.py"
       for name in ("iro", "iro-contact", "care-plan", "placement-plan", "permanence-plan",
                    "delegated", "delegated-withdraw")},
    "multiagency:court-export": f"CASEWORK_VIEW; {_CHRONOLOGY}",
    "multiagency:entry-note": f"CASEWORK_VIEW; {_CHRONOLOGY}",
    **{f"hardtosee:{name}": f"REGISTER_ROLES; {_HARDTOSEE}" for name in (
        "registers", "register", "export")},
    "hardtosee:ehe-officer": f"EHE_OFFICER; {_HARDTOSEE}",
    **dict.fromkeys(CONTEXT_ENDPOINTS, f"CONTEXT_ENDPOINTS; {_HARDTOSEE}"),
    "hardtosee:my-actions": f"MACE_ACTION_HOLDERS; {_HARDTOSEE}",
    "hardtosee:action-done": f"the owner or REGISTER_ROLES; {_HARDTOSEE}",
    **{f"neglect:{name}": "NEGLECT_VIEW; tested in tests/access_matrix/test_neglect_matrix.py"
       for name in ("child-profiles", "profile-start", "profile-detail", "profile-area",
                    "profile-plan", "profile-draft", "profile-complete", "profile-sign-off",
                    "profile-pdf", "training-confirm", "use-children")},
    "partners:notice-detail": f"ENCOMPASS_VIEW; {_ENCOMPASS}",
    "partners:notice-acknowledge": f"ENCOMPASS_ACKNOWLEDGE; {_ENCOMPASS}",
    "partners:notice-send": f"ENCOMPASS_SEND_ROLES; {_ENCOMPASS}",
    "partners:feed-threshold": f"FEED_ROLES; {_ENCOMPASS}",
    "sharing:person-log": f"CASEWORK_VIEW; {_ENCOMPASS}",
    **{f"insight:{name}": f"PERFORMANCE_ROLES; {_INSIGHT}" for name in (
        "figure", "figure-csv", "commentary", "job", "job-file", "figures-refresh")},
    **{f"returns:{name}": _RETURNS for name in (
        "cin", "cin-census", "cin-validate", "903", "903-files", "903-validate")},
    **{f"returns:{name}": _RETURNS
       for name in ("cin", "cin-census", "cin-validate", "annex-a", "annex-a-workbook")},
    **{f"returns:{name}": _RETURNS for name in ("cin", "cin-census", "cin-validate")},
    **{f"returns:{name}": f"PERFORMANCE_ROLES; {_VALIDATION}" for name in (
        "validation-run", "validation-drill")},
    "returns:cin-import": _IMPORT,
    "returns:903-import": _IMPORT,
}
# fmt: on
