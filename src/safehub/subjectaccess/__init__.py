"""Subject access requests (UK GDPR Art. 15, ADR 0039): the request and its one-month
deadline, the bundle of everything SafeHub holds about the person (copied through each
area's selectors, the person read through the policy's subject-access decision), third
parties redacted by a person's decision, and the redacted PDF. Every step audited.

Sits above every app it reads (people, chronology, frontdoor, casework, neglect, sharing,
audit); nothing imports it."""
