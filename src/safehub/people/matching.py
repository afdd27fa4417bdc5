"""Suggest existing records for a person named in a contact, with the reasons for each.

Matching only suggests: a worker confirms a link, nothing is merged automatically. It must
survive what referrers really type: misspellings, first and last names swapped, nicknames
("Bill" for William), a surname changed since the record was made, no date of birth.
Candidates and their scores come from the candidate engine person search uses too
(`people.candidates`); matching shows only the few strong enough to be worth a MASH
worker's time.

Benchmarked by bench/matching.py (recall of the right record within the first three shown,
per kind of mistake, and how often someone on no record is offered a false candidate).
"""

from dataclasses import dataclass, field
from datetime import date

from safehub.access.policy import visible_persons
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record
from safehub.organisations.models import User
from safehub.people.candidates import Query, find_candidates
from safehub.people.models import Person

SHOWN = 5  # candidates offered to the worker
MIN_SCORE = 40  # below this a record is not worth a worker's time
# Far below the best is noise beside it (the brothers and sisters at the same postcode).
SHOWN_WITHIN = 25


@dataclass
class MatchCandidate:
    person: Person
    score: float
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Described:
    """A person as a referrer described them."""

    given_name: str = ""
    family_name: str = ""
    date_of_birth: date | None = None
    postcode: str = ""
    nhs_number: str = ""
    upn: str = ""

    def as_query(self) -> Query:
        return Query(
            given_name=self.given_name,
            family_name=self.family_name,
            date_of_birth=self.date_of_birth,
            postcode=self.postcode,
            nhs_number=self.nhs_number,
            upn=self.upn,
        )


def match_candidates(
    *, actor: User, described: Described, purpose: str = "", limit: int = SHOWN
) -> list[MatchCandidate]:
    """The best few people `actor` may see who could be the person described, best first.
    One audit row records the search and whom it suggested."""
    scope = visible_persons(actor, Person.objects.all(), for_search=True)
    found = [
        c
        for c in find_candidates(scope=scope, query=described.as_query(), limit=limit)
        if c.score >= MIN_SCORE
    ]
    ranked = [
        MatchCandidate(person=c.person, score=c.score, reasons=c.reasons)
        for c in found
        if c.score >= found[0].score - SHOWN_WITHIN
    ]
    audit_record(
        actor=actor,
        action=AuditAction.SEARCH,
        subject_ids=[c.person.pk for c in ranked],
        object_type="people.Person",
        detail={"purpose": purpose or "match", "results": len(ranked)},
    )
    return ranked
