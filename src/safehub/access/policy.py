"""The access policy: the one place that decides who may read or write person data.

A decision comes from two things only: the actor's role, and their involvement with the
person (allocated worker, team, contributing agency). Restricted records override both: they
open for their allow-list, or through a recorded, time-limited break-glass.

`decide` answers for one person; `visible_persons` is the same rule as a queryset filter, for
lists and search. Each condition sits on its own line so tests can prove every branch.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from django.utils import timezone

from safehub.access.models import BreakGlass, Involvement, InvolvementKind, RestrictedAccess
from safehub.access.roles import Role
from safehub.core.statements import fixed_read

if TYPE_CHECKING:
    from safehub.core.users import User


class Action(enum.StrEnum):
    VIEW = "view"
    EDIT = "edit"
    EXPORT = "export"


class Scope(enum.Enum):
    """Which people a role may know about at all."""

    NONE = "none"  # no person data by virtue of the role
    OWN = "own"  # people the actor is personally involved with
    TEAM = "team"  # ... or whose involvement is with the actor's team
    AGENCY = "agency"  # people the actor's agency contributes to
    ALL = "all"  # every unrestricted person (the front door must check anyone)


class ContactScope(enum.Enum):
    """Which front-door contacts a role may open."""

    NONE = "none"
    AGENCY = "agency"  # contacts the actor's agency made, and requests addressed to it
    PERSON = "person"  # contacts about people the actor may already see
    ALL = "all"  # the MASH: every contact


@dataclass(frozen=True)
class RoleRules:
    scope: Scope
    contacts: ContactScope = ContactScope.NONE
    can_refer: bool = False  # submit a professional referral
    can_send_partner_events: bool = False  # send their agency's events (API, CSV upload)
    can_triage: bool = False  # rate, link, request information, decide
    can_sign_off: bool = False  # approve a MASH decision
    can_see_front_door_figures: bool = False  # aggregate queue health, no names
    can_manage_cases: bool = False  # allocate, authorise assessments, sign off oversight
    holds_cases: bool = False  # a case can be allocated to them: they have "my work"
    can_chair: bool = False  # record child protection conferences for their children
    can_edit: bool = False
    can_create: bool = False
    can_break_glass: bool = False
    can_review_audit: bool = False
    can_manage_users: bool = False
    # Neglect profiles (safehub.neglect): complete one for a child the role may see (training
    # is checked by the neglect services), supervise (sign off) one, record who is trained.
    can_profile_neglect: bool = False
    can_supervise_neglect_profiles: bool = False
    can_record_neglect_training: bool = False
    # Registers of hard-to-see children and contextual safeguarding (safehub.hardtosee):
    # each row is still decided person by person.
    can_open_registers: bool = False
    # Cumulative-concern alerts (safehub.concerns): work the alerts of the children the role
    # sees (their own as lead professional; the MASH's queue if they triage); read the rules
    # and their record; change the rules.
    can_work_concern_alerts: bool = False
    can_see_concern_rules: bool = False
    can_manage_concern_rules: bool = False
    can_load_neglect_templates: bool = False  # upload a profile template file (no person data)
    can_see_neglect_use: bool = False  # the use-and-effect figures (children named by policy)
    # Data protection duties (safehub.subjectaccess, safehub.retention): answer subject
    # access requests, and review records the retention schedule says are due.
    can_handle_subject_access: bool = False
    can_review_retention: bool = False
    # The performance dashboard and the committee report (safehub.insight): the figures,
    # the children behind each (named only where the person decision allows), the report.
    can_see_performance: bool = False
    # An analyst checking a figure sees each unrestricted child behind it by SafeHub ID (as
    # Ofsted's Annex A lists identify children), never by name, and cannot open the record.
    can_list_figure_children_by_id: bool = False
    # Statutory returns (safehub.returns): produce the CIN census from every child's records
    # (a bulk disclosure, audited naming each child) and validate a census file.
    can_produce_returns: bool = False
    # Load a council's earlier CIN census files (safehub.returns.cin.importer): match or
    # make every child in them and recreate their history (a bulk creation, audited naming
    # each child). ADR 0044.
    can_import_history: bool = False
    # Court work and adoption (safehub.permanence): record proceedings, deprivation of
    # liberty orders and adoption for the children the role may change, and read prospective
    # adopters; read a child's court and adoption milestones (not who the adopters are).
    can_work_permanence: bool = False
    can_read_permanence: bool = False
    # Told when a partner feed goes quiet (ADR 0024, 0033): the MASH manager, who must chase
    # the partner, and the safeguarding partnership, which holds partners to account.
    told_of_quiet_feeds: bool = False


RULES: dict[str, RoleRules] = {
    # Health visitors, teachers and other partners complete neglect profiles on the children
    # their agency works with, as well as social workers.
    Role.PARTNER_PRACTITIONER: RoleRules(
        scope=Scope.AGENCY,
        contacts=ContactScope.AGENCY,
        can_refer=True,
        can_send_partner_events=True,
        can_profile_neglect=True,
    ),
    Role.MASH_WORKER: RoleRules(
        scope=Scope.ALL,
        contacts=ContactScope.ALL,
        can_open_registers=True,
        can_triage=True,
        can_edit=True,
        can_create=True,
        can_break_glass=True,
        can_work_concern_alerts=True,
        can_see_concern_rules=True,
    ),
    # The MASH manager reads and works as the MASH does, signs off its decisions and
    # oversees its queue and feeds (the front door's figures). They hold no caseload and
    # manage no team's cases: their person scope is the MASH's, for the front door.
    # They also supervise neglect profiles (ADR 0075): a partner's profile of a child no
    # social work team knows has no team manager who may see the child, and the front door
    # is where a partner's worry about such a child goes.
    Role.MASH_MANAGER: RoleRules(
        scope=Scope.ALL,
        contacts=ContactScope.ALL,
        can_open_registers=True,
        can_triage=True,
        can_sign_off=True,
        can_supervise_neglect_profiles=True,
        can_see_front_door_figures=True,
        can_edit=True,
        can_create=True,
        can_break_glass=True,
        can_work_concern_alerts=True,
        can_see_concern_rules=True,
        told_of_quiet_feeds=True,
    ),
    Role.SOCIAL_WORKER: RoleRules(
        scope=Scope.TEAM,
        contacts=ContactScope.PERSON,
        can_edit=True,
        can_create=True,
        can_break_glass=True,
        holds_cases=True,
        can_profile_neglect=True,
        can_work_concern_alerts=True,
        can_see_concern_rules=True,
        can_work_permanence=True,
        can_read_permanence=True,
    ),
    # Team managers sign off MASH decisions, so they see every contact; their person scope
    # stays their team's.
    Role.TEAM_MANAGER: RoleRules(
        scope=Scope.TEAM,
        contacts=ContactScope.ALL,
        can_triage=True,
        can_sign_off=True,
        can_see_front_door_figures=True,
        can_manage_cases=True,
        can_edit=True,
        can_create=True,
        can_break_glass=True,
        holds_cases=True,
        can_profile_neglect=True,
        can_supervise_neglect_profiles=True,
        can_record_neglect_training=True,
        can_open_registers=True,
        can_work_concern_alerts=True,
        can_see_concern_rules=True,
        can_manage_concern_rules=True,
        can_see_neglect_use=True,
        can_see_performance=True,
        can_work_permanence=True,
        can_read_permanence=True,
    ),
    # The IRO reviews the care plan, so reads the court and adoption milestones of the
    # children they chair; who the adopters are is the adoption agency's business.
    Role.CP_CHAIR_IRO: RoleRules(
        scope=Scope.OWN,
        contacts=ContactScope.PERSON,
        can_chair=True,
        can_break_glass=True,
        can_read_permanence=True,
    ),
    # Analysts work with aggregates, never individual records.
    # The returns team is the analysts: the census is a duty to disclose, not a case.
    Role.PERFORMANCE_ANALYST: RoleRules(
        scope=Scope.NONE,
        can_produce_returns=True,
        can_import_history=True,
        can_see_front_door_figures=True,
        can_see_concern_rules=True,
        can_see_neglect_use=True,
        can_see_performance=True,
        can_list_figure_children_by_id=True,
    ),
    # The safeguarding partnership's officer holds the agencies to account with figures:
    # the front door's, feed health, how the concern rules do (counts). No child record by
    # name: nothing they do needs one (need to know), so their scope is none.
    Role.PARTNERSHIP_OFFICER: RoleRules(
        scope=Scope.NONE,
        can_see_front_door_figures=True,
        can_see_concern_rules=True,
        told_of_quiet_feeds=True,
    ),
    # The DPO reviews the audit trail; reading case data is not their job.
    # For a subject access request they read one person's record whole, and they review
    # what the retention schedule says is due (decide_subject_access, decide_retention).
    Role.DATA_PROTECTION_OFFICER: RoleRules(
        scope=Scope.NONE,
        can_review_audit=True,
        can_handle_subject_access=True,
        can_review_retention=True,
    ),
    # Administrators manage users; they do not read case data by being administrators.
    # They also keep the register of who is trained in the neglect profile (staff data).
    Role.SYSTEM_ADMINISTRATOR: RoleRules(
        scope=Scope.NONE,
        can_manage_users=True,
        can_import_history=True,
        can_record_neglect_training=True,
        can_load_neglect_templates=True,
    ),
}
NO_ACCESS = RoleRules(scope=Scope.NONE)


class Decision(enum.Enum):
    ALLOW = "allow"
    DENY = "deny"
    BREAK_GLASS = "break_glass"  # restricted: may open by recording a reason


def rules_for(actor: User) -> RoleRules:
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return NO_ACCESS
    return RULES.get(actor.role, NO_ACCESS)


def can_create_person(actor: User) -> bool:
    return rules_for(actor).can_create


def can_edit_viewable_person(actor: User) -> bool:
    """For a person `actor` has just been allowed to view: may they also change them?
    `decide` differs between VIEW and EDIT only in the role's edit capability, so this
    answers without asking the database again."""
    return rules_for(actor).can_edit


def can_search_people(actor: User) -> bool:
    return rules_for(actor).scope is not Scope.NONE


def can_review_audit(actor: User) -> bool:
    return rules_for(actor).can_review_audit


def can_manage_users(actor: User) -> bool:
    return rules_for(actor).can_manage_users


def role_needs_second_administrator(role: str) -> bool:
    """Granting this role needs a second administrator's approval: it sees children's
    records or front-door contacts, administers users, or reviews the audit trail. (An
    analyst, who sees only figures, does not.)"""
    rules = RULES.get(role, NO_ACCESS)
    return (
        rules.scope is not Scope.NONE
        or rules.contacts is not ContactScope.NONE
        or rules.can_manage_users
        or rules.can_review_audit
    )


def can_administer(actor: User, user: User) -> bool:
    """May `actor` change `user`'s account? Administrators may, but never their own: user
    administration must not be a way to give oneself access."""
    return can_manage_users(actor) and actor.pk != user.pk


def can_decide_access_grant(actor: User, grant: Any) -> bool:
    """The second administrator: neither the one who asked for the grant nor its subject."""
    return can_manage_users(actor) and actor.pk not in (grant.requested_by_id, grant.user_id)


def _involvement_filter(actor: User, scope: Scope) -> Q | None:
    """Which open involvements give `actor` a need to know, for their scope."""
    return _involvement_condition(scope, actor.pk, actor.team_id, actor.agency_id)


def _involvement_condition(
    scope: Scope, user_id: int, team_id: int | None, agency_id: int | None
) -> Q | None:
    """`_involvement_filter` by the actor's keys, so a read compiled once can state it."""
    if scope is Scope.OWN:
        return Q(user_id=user_id)
    if scope is Scope.TEAM:
        return Q(user_id=user_id) | Q(team_id=team_id) if team_id else Q(user_id=user_id)
    if scope is Scope.AGENCY:
        return Q(agency_id=agency_id)
    return None


def _reached_and_opened(
    actor: User, ids: set[int], restricted: set[int], scope: Scope
) -> tuple[set[int], set[int]]:
    """Which of the people `ids` the actor's scope reaches through an open involvement, and
    which of the `restricted` ones are open to them (their allow-list, or a break-glass they
    opened earlier that still runs): one query, whatever the people are."""
    if not restricted and len(ids) == 1:
        (person_id,) = ids
        involved = _involved_with_one(actor, person_id, scope)
        if involved is not None:
            return involved, set()
    tag = {"output_field": CharField()}
    parts: list[QuerySet[Any, tuple[int, str]]] = []
    if scope is not Scope.ALL and (condition := _involvement_filter(actor, scope)) is not None:
        parts.append(
            Involvement.objects.filter(condition, person_id__in=ids, end_date__isnull=True)
            .annotate(source=Value("involved", **tag))
            .values_list("person_id", "source")
        )
    if restricted:
        parts.append(
            RestrictedAccess.objects.filter(person_id__in=restricted, user=actor)
            .annotate(source=Value("opened", **tag))
            .values_list("person_id", "source")
        )
        parts.append(
            BreakGlass.objects.filter(
                person_id__in=restricted, user=actor, expires_at__gt=timezone.now()
            )
            .annotate(source=Value("opened", **tag))
            .values_list("person_id", "source")
        )
    rows = parts[0].union(*parts[1:]) if parts else []
    found: dict[str, set[int]] = {"involved": set(), "opened": set()}
    for person_id, source in rows:
        found[source].add(person_id)
    reached = set(ids) if scope is Scope.ALL else found["involved"]
    return reached, found["opened"]


def _involved_with_one(actor: User, person_id: int, scope: Scope) -> set[int] | None:
    """`{person_id}` if an open involvement reaches that one unrestricted person for
    `scope`, else an empty set; None where the general query must answer. Every page about
    one person asks this, so its statement is compiled once per scope (ADR 0064), stated by
    the same `_involvement_condition` as the query that decides many."""
    if scope is Scope.ALL:
        return {person_id}
    team, agency = actor.team_id, actor.agency_id
    if scope is Scope.OWN or (scope is Scope.TEAM and not team):
        found = fixed_read(
            "access.involved.own",
            lambda user, person: _open_involvement(
                _involvement_condition(Scope.OWN, user, None, None), person
            ),
            actor.pk,
            person_id,
        )
    elif scope is Scope.TEAM and team:
        found = fixed_read(
            "access.involved.team",
            lambda user, team, person: _open_involvement(
                _involvement_condition(Scope.TEAM, user, team, None), person
            ),
            actor.pk,
            team,
            person_id,
        )
    elif scope is Scope.AGENCY and agency:
        found = fixed_read(
            "access.involved.agency",
            lambda agency, person: _open_involvement(
                _involvement_condition(Scope.AGENCY, 0, None, agency), person
            ),
            agency,
            person_id,
        )
    else:
        return None
    return {person_id} if found else set()


def _open_involvement(condition: Q | None, person_id: int) -> QuerySet[Involvement]:
    if condition is None:  # no condition would reach everyone: never read that way
        raise ValueError("an involvement read needs its scope's condition")
    return Involvement.objects.filter(condition, person_id=person_id, end_date__isnull=True).only(
        "pk"
    )[:1]


def decide_many(actor: User, persons: Iterable[Any], action: Action) -> dict[int, Decision]:
    """`decide` for several people at once (each needs `pk` and `is_restricted`), in one
    query whatever their number and whoever they are. Every person decision is made here."""
    people = {p.pk: p for p in persons}
    rules = rules_for(actor)
    # A role with no person scope never reaches person data, whatever else is true.
    # Writing needs a role that edits records.
    if rules.scope is Scope.NONE or (action is Action.EDIT and not rules.can_edit):
        return dict.fromkeys(people, Decision.DENY)
    restricted = {pk for pk, p in people.items() if p.is_restricted}
    # The allow-list opens a restricted record as if it were not restricted, and so does a
    # break-glass the actor opened earlier that still runs.
    involved, opened = _reached_and_opened(actor, set(people), restricted, rules.scope)
    decisions = {}
    for pk in people:
        if pk in opened:
            decisions[pk] = Decision.ALLOW
        elif pk not in involved:
            decisions[pk] = Decision.DENY
        elif pk not in restricted:
            decisions[pk] = Decision.ALLOW
        # Others whose role and involvement would reach a restricted record may break the
        # glass; the rest (partners included, always) are told nothing.
        elif rules.can_break_glass:
            decisions[pk] = Decision.BREAK_GLASS
        else:
            decisions[pk] = Decision.DENY
    return decisions


def decide(actor: User, person: Any, action: Action) -> Decision:
    return decide_many(actor, [person], action)[person.pk]


class Disclosure(enum.Enum):
    """How a page, list, export or API response shows a person other than the one it was
    opened for (a relative, a member of the household, a child named in a contact)."""

    SHOWN = "shown"  # name, date of birth and a link: the reader may open the record
    WITHHELD = "withheld"  # "a person you cannot see": the tie is shown, nothing about them
    RESTRICTED = "restricted"  # a restricted record the reader may open with a reason
    OMITTED = "omitted"  # not shown at all: even its existence would disclose


def disclosures(
    actor: User, persons: Iterable[Any], *, linked_to_readers_work: bool = False
) -> dict[int, Disclosure]:
    """How each of `persons` may be shown to `actor`.

    A restricted record the reader may not open is left out altogether (a sibling placed
    for adoption must not show up in their birth family's diagram), except where the
    reader's own work is linked to it (a contact they are triaging) and they could break the
    glass: then they are told a restricted record is there, never whose it is.
    """
    people = list(persons)
    decided = decide_many(actor, people, Action.VIEW)
    shown = {}
    for person in people:
        decision = decided[person.pk]
        if decision is Decision.ALLOW:
            shown[person.pk] = Disclosure.SHOWN
        elif not person.is_restricted:
            shown[person.pk] = Disclosure.WITHHELD
        elif decision is Decision.BREAK_GLASS and linked_to_readers_work:
            shown[person.pk] = Disclosure.RESTRICTED
        else:
            shown[person.pk] = Disclosure.OMITTED
    return shown


def _involved_exists(actor: User, scope: Scope, person: str = "pk") -> Exists | None:
    """The open involvements that reach a person row of the outer query, for `scope`
    (`person`: the outer row's column holding the person's key)."""
    condition = _involvement_filter(actor, scope)
    if condition is None:
        return None
    return Exists(
        Involvement.objects.filter(condition, person=OuterRef(person), end_date__isnull=True)
    )


def visible_persons(
    actor: User,
    queryset: QuerySet,
    *,
    for_search: bool = False,
    person: str = "pk",
    restricted: str = "is_restricted",
) -> QuerySet:
    """`queryset` narrowed to the people `actor` may see: `decide` as a filter.

    For search, a restricted person appears only to its allow-list (not to break-glass
    holders), so search never reveals that a restricted record exists.

    `queryset` is of people, or of rows about one person each (the registers' stored rows,
    ADR 0060): `person` names the row's column holding the person's key, `restricted` the
    field holding whether the person is restricted (a copy the row keeps beside it).
    """
    rules = rules_for(actor)
    if rules.scope is Scope.NONE:
        return queryset.none()
    allowed = Q(Exists(RestrictedAccess.objects.filter(person=OuterRef(person), user=actor)))
    if not for_search:
        allowed |= Q(
            Exists(
                BreakGlass.objects.filter(
                    person=OuterRef(person), user=actor, expires_at__gt=timezone.now()
                )
            )
        )
    not_restricted = Q(**{restricted: False})
    if rules.scope is Scope.ALL:
        return queryset.filter(not_restricted | allowed)
    involved = _involved_exists(actor, rules.scope, person)
    if involved is None:  # no involvement reaches anyone (as in _reached_and_opened)
        return queryset.filter(allowed)
    return queryset.filter((not_restricted & involved) | allowed)


def omitted_persons(actor: User, queryset: QuerySet) -> QuerySet:
    """`disclosures(..., linked_to_readers_work=True)`'s OMITTED as a filter: restricted
    people the actor may neither open nor break the glass on."""
    rules = rules_for(actor)
    closed = queryset.filter(is_restricted=True).exclude(pk__in=visible_persons(actor, queryset))
    if rules.scope is Scope.NONE or not rules.can_break_glass:
        return closed
    if rules.scope is Scope.ALL:
        return closed.none()
    return closed.exclude(_involved_exists(actor, rules.scope))


# --- Front-door contacts -------------------------------------------------------------------


def can_refer(actor: User) -> bool:
    return rules_for(actor).can_refer


def can_triage(actor: User) -> bool:
    return rules_for(actor).can_triage


def can_sign_off(actor: User) -> bool:
    return rules_for(actor).can_sign_off


def can_see_front_door_figures(actor: User) -> bool:
    return rules_for(actor).can_see_front_door_figures


def can_work_mash_queue(actor: User) -> bool:
    return rules_for(actor).contacts is ContactScope.ALL


def decide_contact(actor: User, contact: Any, action: Action) -> Decision:
    """May `actor` open (VIEW) or work on (EDIT) this contact?

    The MASH sees every contact. A partner agency sees the contacts it made and never
    changes them after submission; nothing a member of the public submits is shown outside
    the council. Case-holding roles see a contact once it is linked to someone they may see.
    """
    rules = rules_for(actor)
    if rules.contacts is ContactScope.ALL:
        if action is Action.EDIT and not rules.can_triage:
            return Decision.DENY
        return Decision.ALLOW
    if action is Action.EDIT:
        return Decision.DENY
    if rules.contacts is ContactScope.AGENCY:
        mine = contact.referrer_agency_id is not None and (
            contact.referrer_agency_id == actor.agency_id
        )
        return Decision.ALLOW if mine else Decision.DENY
    if rules.contacts is ContactScope.PERSON:
        # Case-holding roles see a contact linked to someone they may see, unless it is also
        # linked to a restricted record they may not even know of.
        linked = [s.person for s in contact.subjects.all() if s.person_id]
        shown = disclosures(actor, linked, linked_to_readers_work=True).values()
        if Disclosure.SHOWN in shown and Disclosure.OMITTED not in shown:
            return Decision.ALLOW
    return Decision.DENY


def visible_contacts(actor: User, queryset: QuerySet, *, persons: QuerySet) -> QuerySet:
    """`decide_contact(VIEW)` as a filter, for lists; `persons` is every person."""
    rules = rules_for(actor)
    if rules.contacts is ContactScope.ALL:
        return queryset
    if rules.contacts is ContactScope.AGENCY:
        return queryset.filter(referrer_agency_id=actor.agency_id)
    if rules.contacts is ContactScope.PERSON:
        return (
            queryset.filter(subjects__person__in=visible_persons(actor, persons).values("pk"))
            .exclude(subjects__person__in=omitted_persons(actor, persons).values("pk"))
            .distinct()
        )
    return queryset.none()


def decide_information_request(actor: User, request: Any, action: Action) -> Decision:
    """The MASH sees and manages every request; a partner sees and answers only those
    addressed to its own agency."""
    rules = rules_for(actor)
    if rules.contacts is ContactScope.ALL:
        if action is Action.EDIT and not rules.can_triage:
            return Decision.DENY
        return Decision.ALLOW
    if rules.contacts is ContactScope.AGENCY and request.agency_id == actor.agency_id:
        return Decision.ALLOW
    return Decision.DENY


def visible_information_requests(actor: User, queryset: QuerySet) -> QuerySet:
    rules = rules_for(actor)
    if rules.contacts is ContactScope.ALL:
        return queryset
    if rules.contacts is ContactScope.AGENCY:
        return queryset.filter(agency_id=actor.agency_id)
    return queryset.none()


# --- Partner events ---------------------------------------------------------------------


def can_send_partner_events(actor: User) -> bool:
    """Partner practitioners send their agency's events (which types, the vocabulary of
    their kind of agency says: `partners.codes`)."""
    return rules_for(actor).can_send_partner_events


def can_match_partner_events(actor: User) -> bool:
    """Those who triage contacts also match partner events to records, create a record for
    one, or send one back; each write is then checked person by person."""
    return rules_for(actor).can_triage


def decide_partner_event(actor: User, event: Any, action: Action) -> Decision:
    """The MASH reads and works every partner event. Nobody else opens one, its sender
    included: the page offers records the sender may not know of. A sender reads what came
    back to their agency on their upload page and through the API."""
    return Decision.ALLOW if rules_for(actor).can_triage else Decision.DENY


def decide_partner_upload(actor: User, upload: Any) -> Decision:
    """A CSV upload, from its preview to its confirmation, is its agency's: anyone there who
    may send partner events may see and confirm it; nobody else, the MASH included."""
    rules = rules_for(actor)
    mine = upload.agency_id == actor.agency_id
    return Decision.ALLOW if rules.can_send_partner_events and mine else Decision.DENY


# --- The multi-agency chronology (ADR 0023) -----------------------------------------------


@dataclass(frozen=True)
class RestrictedEntryScope:
    """Which restricted partner entries (`ChronologyEntry.restricted`) a reader sees whole:
    every one on the timelines of `open_person_ids`, and any their own agency sent
    (`agency_id`). The rest are hidden and counted ("3 entries hidden")."""

    open_person_ids: frozenset[int]
    agency_id: int | None

    def sees_all_of(self, person_id: int) -> bool:
        return person_id in self.open_person_ids


# An open involvement as `restricted_entry_scope` weighs it: (kind, user id, team id).
OpenInvolvement = tuple[str, int | None, int | None]


def restricted_entry_scope(
    actor: User,
    persons: Iterable[Any],
    open_involvements: dict[int, list[OpenInvolvement]] | None = None,
) -> RestrictedEntryScope:
    """Who reads a partner's restricted entries on the timelines of `persons` (people the
    actor has already been allowed to see). A partner shares them on condition they go no
    further than those who must act on them:
    - those who triage (the MASH, and the team managers who sign off its decisions), who
      already read every partner event whole (`decide_partner_event`);
    - the person's allocated social worker;
    - that worker's team manager (a manager of the allocated team);
    - the agency that sent it, for its own entries.
    Nobody else: not the rest of the team, not a conference chair, not another partner.
    One query, whatever the number of people; none when the caller has already read every
    open involvement of each person (`open_involvements`, by person id: the person page
    lists them), which this rule then weighs instead."""
    ids = {p.pk for p in persons}
    rules = rules_for(actor)
    agency_id = actor.agency_id if rules.scope is not Scope.NONE else None
    if rules.scope is Scope.NONE:
        return RestrictedEntryScope(open_person_ids=frozenset(), agency_id=None)
    if rules.can_triage:
        return RestrictedEntryScope(open_person_ids=frozenset(ids), agency_id=agency_id)
    if open_involvements is None:
        # Only the allocations `_opens_restricted` could accept: read just those.
        allocated = Q(user=actor)
        if rules.can_manage_cases and actor.team_id:
            allocated |= Q(team_id=actor.team_id)
        rows = Involvement.objects.filter(
            allocated,
            person_id__in=ids,
            kind=InvolvementKind.ALLOCATED_WORKER,
            end_date__isnull=True,
        ).values_list("person_id", "kind", "user_id", "team_id")
        open_involvements = {}
        for person_id, *involvement in rows:
            open_involvements.setdefault(person_id, []).append(tuple(involvement))  # type: ignore[arg-type]
    open_ids = {
        pk
        for pk in ids
        if any(_opens_restricted(actor, rules, *i) for i in open_involvements.get(pk, ()))
    }
    return RestrictedEntryScope(open_person_ids=frozenset(open_ids), agency_id=agency_id)


def _opens_restricted(
    actor: User, rules: RoleRules, kind: str, user_id: int | None, team_id: int | None
) -> bool:
    """Whether an open involvement makes `actor` a reader of the person's restricted
    entries: they are the allocated worker, or manage the allocated team."""
    if kind != InvolvementKind.ALLOCATED_WORKER:
        return False
    return user_id == actor.pk or bool(
        rules.can_manage_cases and actor.team_id and team_id == actor.team_id
    )


def can_annotate_chronology(actor: User) -> bool:
    """Marking key events and writing analysis on a child's chronology is the council's
    casework (like case notes, partners neither write nor read it); the person decision
    still applies child by child."""
    return can_read_casework(actor)


# --- Casework ----------------------------------------------------------------------------


def can_manage_cases(actor: User) -> bool:
    return rules_for(actor).can_manage_cases


def can_read_casework(actor: User) -> bool:
    """Casework (case notes above all) is for the council's case-holding roles and the
    conference chairs; a partner agency sees the shared chronology, never case-note
    bodies. The person decision still applies child by child."""
    rules = rules_for(actor)
    return rules.can_edit or rules.can_chair


def casework_action(actor: User, *, conference: bool = False) -> Action:
    """Which person decision recording casework for a child needs. Those who may change the
    child's record may record casework; a conference chair, who changes no records, records
    the conferences and reviews of the children they chair on the strength of seeing them."""
    rules = rules_for(actor)
    if conference and not rules.can_edit and rules.can_chair:
        return Action.VIEW
    return Action.EDIT


def decide_casework(actor: User, child: Any, *, conference: bool = False) -> Decision:
    """May `actor` record casework for this child?"""
    return decide(actor, child, casework_action(actor, conference=conference))


def decide_allocation(actor: User, child: Any, *, waiting: bool) -> Decision:
    """May `actor` allocate this child to a worker? A manager allocates the children their
    team may change. A child waiting for a worker (an open child-in-need episode and nobody
    allocated) a manager may also take into their team before anyone in it is involved,
    unless the child is restricted: then only its allow-list may."""
    if not rules_for(actor).can_manage_cases:
        return Decision.DENY
    decision = decide(actor, child, Action.EDIT)
    if decision is Decision.DENY and waiting and not child.is_restricted:
        return Decision.ALLOW
    return decision


class SignOff(enum.Enum):
    """Work that someone other than the person who did it must sign off. Each names the
    role capability a sign-off needs; later sign-offs (plans, reviews) join this list."""

    MASH_DECISION = "can_sign_off"  # a manager approves a MASH decision
    ASSESSMENT = "can_manage_cases"  # a manager authorises a completed assessment
    NEGLECT_PROFILE = "can_supervise_neglect_profiles"  # a supervisor signs off a profile


def may_sign_off(actor: User, work: SignOff, *, done_by_id: int | None) -> bool:
    """Separation of duties, in one place: the sign-off needs the role capability, and the
    person who did the work never signs it off, whatever their role."""
    if not getattr(rules_for(actor), work.value):
        return False
    return done_by_id != actor.pk


def may_chair(user: Any, *, allocated_worker_id: int | None) -> bool:
    """Who may be named as a conference's chair: an independent chair (the role's chair
    capability, on an active account) who is not the child's own social worker. The census
    and Working Together both rely on the chair being independent of the case."""
    if user is None or not getattr(user, "is_active", False) or not rules_for(user).can_chair:
        return False
    return user.pk != allocated_worker_id


def reviews_children_in_care(actor: User) -> bool:
    """Independent reviewing officers (the chairing roles) have their own list of the
    children in care they review; whose names it shows is still the person decision's."""
    return rules_for(actor).can_chair


def chair_roles() -> list[str]:
    return [role for role, rules in RULES.items() if rules.can_chair]


def holds_cases(actor: User) -> bool:
    """Roles a case can be allocated to, and so who has a caseload ("my work")."""
    return rules_for(actor).holds_cases


def case_holding_roles() -> list[str]:
    return [role for role, rules in RULES.items() if rules.holds_cases]


def leads_a_casework_team(actor: User) -> bool:
    """A manager of a team whose staff hold cases: their work starts with the team's
    caseloads. (A manager of the MASH's own team, whose staff hold none, starts at the
    queue.)"""
    if not can_manage_cases(actor) or actor.team_id is None:
        return False
    return (
        type(actor)
        .objects.filter(team_id=actor.team_id, role__in=case_holding_roles(), is_active=True)
        .exclude(pk=actor.pk)
        .exists()
    )


# --- Neglect profiles ----------------------------------------------------------------------


def can_record_neglect_training(actor: User) -> bool:
    return rules_for(actor).can_record_neglect_training


def can_load_neglect_templates(actor: User) -> bool:
    return rules_for(actor).can_load_neglect_templates


def can_see_neglect_use(actor: User) -> bool:
    return rules_for(actor).can_see_neglect_use


def may_start_neglect_profiles(actor: User) -> bool:
    """Whether the role completes profiles at all (for which children: the decisions below)."""
    return rules_for(actor).can_profile_neglect


def may_read_neglect_profiles(actor: User) -> bool:
    rules = rules_for(actor)
    return rules.can_profile_neglect or rules.can_supervise_neglect_profiles


def neglect_profile_decisions(
    actor: User, persons: Iterable[Any], action: Action
) -> dict[int, Decision]:
    """May `actor` read (VIEW) or start, fill in and complete (EDIT) a neglect profile about
    each of `persons` (the child and any siblings it covers)? Completing one needs the role's
    profiling capability, reading one that or the supervisor's; either way only for children
    the actor may see, on the strength of seeing them (a partner practitioner completes
    profiles without changing the child's record). Whether they are trained is the neglect
    services' rule, not a decision about the person."""
    rules = rules_for(actor)
    people = list(persons)
    if action is Action.EDIT:
        capable = rules.can_profile_neglect
    else:
        capable = rules.can_profile_neglect or rules.can_supervise_neglect_profiles
    if not capable:
        return {p.pk: Decision.DENY for p in people}
    return decide_many(actor, people, Action.VIEW)


# --- Registers of hard-to-see children, contexts and MACE panels ------------------------


def can_open_registers(actor: User) -> bool:
    """The MASH (who see every child) and team managers (their team's) open the registers
    of hard-to-see children, contexts and MACE panels. Which children each register row
    shows is `visible_persons`, as for every list."""
    return rules_for(actor).can_open_registers


def can_hold_mace_actions(actor: User) -> bool:
    """A MACE panel gives actions to staff of any agency who work with children (a role
    with person scope); each reads their own on "MACE actions"."""
    return rules_for(actor).scope is not Scope.NONE


def may_complete_mace_action(actor: User, action: Any) -> bool:
    """The action's owner marks it done, or those who run the panels."""
    return action.owner_id == actor.pk or can_open_registers(actor)


# --- Cumulative-concern alerts -------------------------------------------------------------


def can_work_concern_alerts(actor: User) -> bool:
    return rules_for(actor).can_work_concern_alerts


def can_see_concern_rules(actor: User) -> bool:
    """The rules and their record (counts, no names): for those who work alerts, and the
    analysts who watch how well the rules do."""
    return rules_for(actor).can_see_concern_rules


def can_manage_concern_rules(actor: User) -> bool:
    """Changing a rule (its definition, rationale, or switching it on) is a manager's."""
    return rules_for(actor).can_manage_concern_rules


def can_oversee_team_alerts(actor: User) -> bool:
    """A manager of caseworkers sees the open alerts their team's workers lead on, as they
    see the team's overdue work: each alert still only where they may see the child."""
    rules = rules_for(actor)
    return rules.can_work_concern_alerts and rules.can_manage_cases


def decide_concern_alert(actor: User, alert: Any, action: Action) -> Decision:
    """An alert is its recipient's: the child's lead professional, or the MASH (those who
    triage) for a child with none; a manager may also work one for a child their team may
    change. Always only for a child the actor may see."""
    rules = rules_for(actor)
    if not rules.can_work_concern_alerts:
        return Decision.DENY
    if alert.lead_professional_id is None:
        recipient = rules.can_triage
    else:
        recipient = alert.lead_professional_id == actor.pk or rules.can_manage_cases
    if not recipient:
        return Decision.DENY
    decision = decide(actor, alert.person, Action.VIEW)
    return decision if decision is Decision.ALLOW else Decision.DENY


# --- Partner feeds, Operation Encompass and the information-sharing log (ADR 0024) ------


def can_watch_partner_feeds(actor: User) -> bool:
    """Feed health is aggregate (an agency, a type of event, counts and times; no names):
    those who read the front door's figures read it too, the MASH's managers and the
    partnership's analysts, and may set how long a feed may stay quiet."""
    return rules_for(actor).can_see_front_door_figures


def feed_watcher_roles() -> list[str]:
    """Who is told when a partner feed goes quiet: the MASH manager and the safeguarding
    partnership (ADR 0033). Others who watch feeds read the page."""
    return [role for role, rules in RULES.items() if rules.told_of_quiet_feeds]


def mash_duty_roles() -> list[str]:
    """Who is told of work for the MASH itself (a notice with no school to go to, a school
    that has not acknowledged one): those who triage and hold no caseload."""
    return [role for role, rules in RULES.items() if rules.can_triage and not rules.holds_cases]


def encompass_recipient_roles() -> list[str]:
    """A school's designated safeguarding leads are its partner practitioners in SafeHub."""
    return [Role.PARTNER_PRACTITIONER]


def decide_encompass_notice(actor: User, notice: Any, action: Action) -> Decision:
    """An Operation Encompass notice is for the school it went to, whose safeguarding lead
    reads and acknowledges it, and for the MASH, which reads every notice and resolves one
    with no school to go to (but acknowledges none for a school)."""
    rules = rules_for(actor)
    at_school = (
        notice.school_id is not None
        and notice.school_id == actor.agency_id
        and actor.role in encompass_recipient_roles()
    )
    if at_school:
        return Decision.ALLOW
    if rules.can_triage and action is Action.VIEW:
        return Decision.ALLOW
    return Decision.DENY


def can_list_encompass_notices(actor: User) -> bool:
    """The notices page: a school's safeguarding leads (their school's notices) and the
    MASH (every notice)."""
    at_school = actor.role in encompass_recipient_roles() and actor.agency.kind == "school"
    return at_school or rules_for(actor).can_triage


def may_resolve_encompass_notice(actor: User) -> bool:
    return rules_for(actor).can_triage


def encompass_police_detail_shown(actor: User, notice: Any) -> bool:
    """The minimum necessary: a school learns that an incident happened, when, and whether
    the child was there, so it can support them the next morning. What the police wrote
    stays with the MASH."""
    return rules_for(actor).can_triage


def decide_sharing_log(actor: User, person: Any, action: Action) -> Decision:
    """A person's information-sharing log says what the council shared with whom and why.
    Council case roles and conference chairs read it for the people they may see (as they
    read casework; partners never: it names every agency told); those who may change the
    record add a manual entry."""
    if action is Action.VIEW:
        return decide(actor, person, Action.VIEW) if can_read_casework(actor) else Decision.DENY
    return decide(actor, person, Action.EDIT)


# --- Subject access and retention (ADR 0039, 0040) -----------------------------------------


def can_handle_subject_access(actor: User) -> bool:
    return rules_for(actor).can_handle_subject_access


def decide_subject_access(actor: User, person: Any, *, request_open: bool) -> Decision:
    """May `actor` read everything SafeHub holds about `person` to answer a subject access
    request? The data protection officer may, for a person named in a request still open,
    and for nothing else: the request is the need to know (UK GDPR Art. 15). A restricted
    record is no exception, since its subject has the same right; every read is audited and
    the bundle is reviewed for third parties before anything leaves."""
    if not rules_for(actor).can_handle_subject_access:
        return Decision.DENY
    return Decision.ALLOW if request_open else Decision.DENY


def subject_access_entry_scope(actor: User, person: Any) -> RestrictedEntryScope:
    """The restricted partner entries a subject access bundle holds: every one on the
    subject's own timeline, for the data protection officer answering the request, who must
    read each to decide what an exemption keeps back (the bundle marks them); nothing for
    anyone else."""
    if not rules_for(actor).can_handle_subject_access:
        return RestrictedEntryScope(open_person_ids=frozenset(), agency_id=None)
    return RestrictedEntryScope(open_person_ids=frozenset({person.pk}), agency_id=None)


def can_review_retention(actor: User) -> bool:
    return rules_for(actor).can_review_retention


def decide_retention(actor: User, person: Any) -> Decision:
    """May `actor` dispose of `person`'s record, or hold it, under the retention schedule?
    The data protection officer decides for any record the schedule lists as due; the
    record's content is not shown to them, only its class, dates and rule."""
    return Decision.ALLOW if rules_for(actor).can_review_retention else Decision.DENY


# --- The performance dashboard and committee report (safehub.insight, ADR 0038) -----------


def can_see_performance(actor: User) -> bool:
    """The dashboard, its drill-downs and CSV, and the committee report: for the analysts
    who answer for the figures and the managers who act on them."""
    return rules_for(actor).can_see_performance


class FigureListing(enum.Enum):
    """How a child behind a dashboard figure is listed to a reader."""

    NAMED = "named"  # name, date of birth and a link: the reader may open the record
    BY_ID = "by_id"  # SafeHub ID, age and the figure's facts, no name and no link
    COUNTED = "counted"  # counted only ("3 children you cannot see")


def figure_listing(actor: User, persons: Iterable[Any]) -> dict[int, FigureListing]:
    """How each child behind a figure is listed to `actor`: by name where they may open the
    record; an analyst by SafeHub ID for the unrestricted rest; everyone else's counted.
    A restricted child is never listed by ID: the ID would lead to the record."""
    people = list(persons)
    rules = rules_for(actor)
    if not rules.can_see_performance:
        return dict.fromkeys((p.pk for p in people), FigureListing.COUNTED)
    decided = decide_many(actor, people, Action.VIEW)
    listed = {}
    for person in people:
        if decided[person.pk] is Decision.ALLOW:
            listed[person.pk] = FigureListing.NAMED
        elif rules.can_list_figure_children_by_id and not person.is_restricted:
            listed[person.pk] = FigureListing.BY_ID
        else:
            listed[person.pk] = FigureListing.COUNTED
    return listed


# --- Statutory returns ---------------------------------------------------------------------


def can_produce_returns(actor: User) -> bool:
    """Produce a statutory return from live records, or validate a return file."""
    return rules_for(actor).can_produce_returns


def statutory_return_persons(actor: User, queryset: QuerySet) -> QuerySet:
    """The people a statutory return made by `actor` may name: every one in `queryset` for a
    role that produces returns, restricted records included (the census duty, Children Act
    1989 s.83, covers every child, and the DfE cannot be sent a census with children
    missing; the export's audit row names each child, so the DPO sees every disclosure);
    nobody for any other role. ADR 0037."""
    if not can_produce_returns(actor):
        return queryset.none()
    return queryset


def statutory_return_includes_adoption(actor: User) -> bool:
    """May a statutory return made by `actor` include children's adoption records and the
    prospective adopters (Ofsted's Annex A lists 10 and 11)? Yes for the returns team: the
    same team sends the DfE the SSDA903's adoption files (AD1, placed for adoption), and
    Ofsted asks for the two lists at every inspection. Adoption records stay closed to the
    returns team's casework reading (`decide_permanence`); a return is a bulk disclosure,
    audited naming every child in it. Any other role's return (there is none today) leaves
    the lists empty and says why. ADR 0042, as amended on 4 December."""
    return can_produce_returns(actor)


def census_check_persons(queryset: QuerySet) -> QuerySet:
    """The people the nightly census check reads (returns.services.validation_run): every
    one, as the census itself does (ADR 0037). The check is the council's own and shows
    nobody anything: each finding reaches a reader only as this policy decides it (a task
    in "my work" for those who may see the child, `figure_listing` on the validation page).
    ADR 0043."""
    return queryset


def can_import_history(actor: User) -> bool:
    """Import a council's earlier CIN census files: the returns team, who know the files,
    and the system administrator, who loads the old system's history when a council moves
    to SafeHub. ADR 0044."""
    return rules_for(actor).can_import_history


def history_import_persons(actor: User, queryset: QuerySet) -> QuerySet:
    """The people an import by `actor` may match a child in the file to, and so read and
    extend: every one in `queryset` for a role that imports history (a child's identifiers
    must be checked against every record, restricted ones included, or the import would make
    a second record for a child it cannot see); nobody for any other role. The import's
    audit row names every child it matched or made. ADR 0044."""
    if not can_import_history(actor):
        return queryset.none()
    return queryset


# --- Court work and adoption ------------------------------------------------------------


def can_read_permanence(actor: User) -> bool:
    """Proceedings and adoption are among the most sensitive records a council holds: only
    the case-holding roles and the children's IROs read them, never the MASH or partners,
    whatever else the role may see of the child."""
    return rules_for(actor).can_read_permanence


def can_work_adopters(actor: User) -> bool:
    """Prospective adopters (who they are, their approval) are for the social workers and
    managers who family-find and match; an IRO sees that a child is matched, not with whom."""
    return rules_for(actor).can_work_permanence


def decide_permanence_of_viewable(actor: User, action: Action) -> Decision:
    """`decide_permanence` for a child `actor` has just been allowed to view (the casework
    page's own decision): the same answer without asking the database again, since the
    person decision differs between VIEW and EDIT only in the role's edit capability."""
    rules = rules_for(actor)
    if action is Action.EDIT:
        return Decision.ALLOW if rules.can_work_permanence and rules.can_edit else Decision.DENY
    return Decision.ALLOW if rules.can_read_permanence else Decision.DENY


def decide_permanence(actor: User, child: Any, action: Action) -> Decision:
    """May `actor` read (VIEW) or record (EDIT) a child's proceedings, deprivation of
    liberty orders and adoption? The role must hold the capability; then the person
    decision applies as for any casework (break-glass on a restricted child included)."""
    rules = rules_for(actor)
    capable = rules.can_work_permanence if action is Action.EDIT else rules.can_read_permanence
    if not capable:
        return Decision.DENY
    return decide(actor, child, Action.EDIT if action is Action.EDIT else Action.VIEW)
