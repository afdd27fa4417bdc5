from typing import Any

from django.utils import timezone

from safehub.chronology.selectors import chronology_all_for_person
from safehub.organisations.models import User
from safehub.people.selectors import person_profile
from safehub.people.services import PERSON_FIELDS


def person_export_document(*, actor: User, person: Any) -> dict[str, Any]:
    """The whole record as plain data. The caller has passed `access_person` for EXPORT,
    which wrote the audit row. Relatives are exported as the policy lets `actor` see them:
    a relative they may not see is "a person you cannot see", with no id, name or date of
    birth, and a restricted one they may not open is left out."""
    profile = person_profile(actor=actor, person=person)
    chronology = chronology_all_for_person(actor=actor, person=person)
    return {
        "safehub_id": person.pk,
        "details": {f: getattr(person, f) for f in PERSON_FIELDS},
        "names": [
            {
                "kind": n.kind,
                "given_name": n.given_name,
                "middle_names": n.middle_names,
                "family_name": n.family_name,
            }
            for n in person.names.all()
        ],
        "addresses": [
            {"address": str(a.address), "from": a.start_date, "to": a.end_date}
            for a in profile.addresses
        ],
        "relationships": [
            {
                "type": r.type,
                "safehub_id": r.person_id,
                "name": r.name,
                "date_of_birth": r.born,
                "from": r.start_date,
                "to": r.end_date,
            }
            for r in profile.relationships
        ],
        "household": [
            {"safehub_id": m.person_id, "name": m.name, "date_of_birth": m.born}
            for m in profile.household
        ],
        # Newest first, as the person page shows it.
        "chronology": [
            {
                "occurred_at": e.occurred_at if e.time_known else None,
                "occurred_on": timezone.localdate(e.occurred_at),
                "type": e.event_type,
                "summary": e.summary,
                "done_by": e.doer or "",
                "agency": e.source_agency_name or "",
                "recorded_by": e.recorder_name or "",
                "recorded_at": e.recorded_at,
            }
            for e in chronology.entries
        ],
        # Restricted partner entries kept from the reader: how many, never what.
        "chronology_entries_hidden": chronology.hidden,
    }
