"""The authorisation matrix, written out by hand (not derived from the policy, so the test
checks the policy against what we meant).

Relations are to the test people in conftest.py: `involved` (allocated to the social worker,
the school contributes, the CP chair chairs), `same_team` (a North colleague's case),
`unrelated` (South's case), `restricted` (North's, restricted, nobody allow-listed),
`restricted_allowed` (restricted; the social worker is on its allow-list).

Outcomes: A = allowed, D = refused as "not found" (404), B = must break the glass first.
"""

RELATIONS = ["involved", "same_team", "unrelated", "restricted", "restricted_allowed"]

# role -> outcome for each relation, for reading (view, export) ...
VIEW = {
    "partner_practitioner":    "A D D D D",
    "mash_worker":             "A A A B B",
    "social_worker":           "A A D B A",
    "team_manager":            "A A D B B",
    "cp_chair_iro":            "A D D D D",
    "performance_analyst":     "D D D D D",
    "data_protection_officer": "D D D D D",
    "system_administrator":    "D D D D D",
}
# ... and for changing the record (edit pages and API update). A restricted record must be
# opened (break-glass) before it can be changed; the API never offers break-glass, so there
# "B" is "not found".
EDIT = {
    "partner_practitioner":    "D D D D D",
    "mash_worker":             "A A A B B",
    "social_worker":           "A A D B A",
    "team_manager":            "A A D B B",
    "cp_chair_iro":            "D D D D D",
    "performance_analyst":     "D D D D D",
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
]

# Pages and endpoints that are about no one person: role -> allowed?
ROLE_ENDPOINTS = {
    # url name: roles allowed (everyone else is refused)
    "people:person-search": {"partner_practitioner", "mash_worker", "social_worker",
                             "team_manager", "cp_chair_iro"},
    "people:person-create": {"mash_worker", "social_worker", "team_manager"},
    "api-v1:person_search_api": {"partner_practitioner", "mash_worker", "social_worker",
                                 "team_manager", "cp_chair_iro"},
    "api-v1:person_create_api": {"mash_worker", "social_worker", "team_manager"},
    "audit:audit-home": {"data_protection_officer"},
    "audit:break-glass-queue": {"data_protection_officer"},
    "organisations:user-list": {"system_administrator"},
    "organisations:user-create": {"system_administrator"},
    "organisations:user-edit": {"system_administrator"},
}
EVERY_SIGNED_IN_ROLE = set(VIEW)

# Routes deliberately outside the matrix, and why.
NOT_IN_MATRIX = {
    "ui:home": "redirects each role to its start page; holds no data",
    "ui:account": "the signed-in user's own account details",
    "ui:accessibility": "public: accessibility statement",
    "ui:sign-in": "public: sign-in",
    "ui:sign-in-verify": "second-factor step of sign-in",
    "ui:sign-in-setup": "second-factor set-up at first sign-in",
    "ui:sign-out": "ends the session",
    "healthz": "public: health check",
    "people:person-break-glass": "tested in test_break_glass.py (reason + step-up code)",
    "audit:break-glass-review": "POST-only; tested in test_break_glass.py",
    "organisations:user-unlock": "POST-only; tested with the users pages",
    "organisations:user-reset-second-factor": "POST-only; tested with the users pages",
    "api-v1:openapi-json": "the API's public description",
    "api-v1:api-root": "the API's bare root; answers not found",
}
