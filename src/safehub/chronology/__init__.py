"""Chronology: the one multi-agency timeline per person. Services append entries in their own
transaction through `chronology_append`; the person page reads them, paged. The event
vocabulary is closed: each app declares its types in `events.py` and registers them here."""
