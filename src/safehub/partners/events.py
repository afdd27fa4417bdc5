"""Each partner event type is a chronology event of its own (`PARTNER_<TYPE>`), labelled as
the vocabulary labels it, in its sector's category."""

from safehub.chronology.registry import EventType
from safehub.partners.codes import EVENT_TYPES as PARTNER_TYPES

EVENT_TYPES = [EventType(t.chronology_code, t.label, t.category) for t in PARTNER_TYPES]
