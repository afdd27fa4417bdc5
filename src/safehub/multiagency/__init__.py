"""A child's multi-agency chronology (ADR 0023): the filtered timeline, key events and the
worker's analysis, the household view and the court-style export, read from `chronology`.

Sits above `partners` (it reads a restricted event's own words for those allowed) and below
`api` and `demo`; nothing else imports it."""
