"""Audit: the append-only record of every view, search, change and export of person data,
and of sign-ins. Written in the same transaction as the access it records; never updated or
deleted (the model refuses, and so do the database's triggers); sealed in batches by
`audit_seal` and checked by `audit_verify` (ADR 0011)."""
