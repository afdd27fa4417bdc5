"""Audit: the append-only record of every view, search, change and export of person data,
and of sign-ins. Written in the same transaction as the access it records; never updated or
deleted (the model refuses, and on PostgreSQL a trigger refuses too)."""
