"""Retention and disposal (ADR 0040): the retention schedule as data, which class governs
each child's record and until when, the monthly job that lists what is due, legal holds,
and disposal that anonymises the record in place while the review and the audit keep what
was disposed, when and under which rule.

Sits above the apps whose records it classifies and anonymises (people, chronology,
frontdoor, casework and the other case apps); nothing imports it."""
