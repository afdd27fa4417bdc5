"""Reading a person's information-sharing log, newest first."""

from django.db.models import QuerySet

from safehub.organisations.models import Agency, AgencyKind
from safehub.people.models import Person
from safehub.sharing.models import SharingRecord


def sharing_log_for(person: Person, *, limit: int = 500) -> list[SharingRecord]:
    """Every entry about `person`, newest decision first. The caller fetched the person
    through the policy (which audited the view); entries name agencies and staff only."""
    return list(
        SharingRecord.objects.filter(person=person)
        .select_related("agency", "recorded_by")
        .order_by("-decided_at", "-pk")[:limit]
    )


def partner_agencies() -> QuerySet[Agency]:
    """The agencies an entry can name: everyone but the council itself."""
    return Agency.objects.exclude(kind=AgencyKind.COUNCIL).order_by("name")
