"""Access: the one policy that decides every read and write of person data, the access_*
fetchers and visible_* scopes built on it, restricted records and break-glass, API tokens,
and the sign-in rules (second factor, lockout, session limits)."""
