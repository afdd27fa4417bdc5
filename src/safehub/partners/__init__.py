"""Partner information flowing in: events that schools, police, health, housing and adult
services send (by the API or a CSV upload), each checked against the closed vocabulary of
its agency's kind, filed on a person's record when an identifier settles who it is about,
and otherwise waiting for the MASH to match, create a record for, or send back.

Sits above people, chronology, notifications and casework; nothing below imports it."""
