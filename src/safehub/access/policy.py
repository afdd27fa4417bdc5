"""The access policy: the one place that decides who may read or write person data.

A decision comes from two things only: the actor's role, and their involvement with the
person (allocated worker, team, contributing agency). Restricted records override both: they
open for their allow-list, or through a recorded, time-limited break-glass.

`decide` answers for one person; `visible_persons` is the same rule as a queryset filter, for
lists and search. Each condition sits on its own line so tests can prove every branch.
"""

import enum
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from safehub.access.models import BreakGlass, Involvement, RestrictedAccess
from safehub.access.roles import Role


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
    can_triage: bool = False  # rate, link, request information, decide
    can_sign_off: bool = False  # approve a MASH decision
    can_see_front_door_figures: bool = False  # aggregate queue health, no names
    can_manage_cases: bool = False  # allocate, authorise assessments, sign off oversight
    can_chair: bool = False  # record child protection conferences for their children
    can_edit: bool = False
    can_create: bool = False
    can_break_glass: bool = False
    can_review_audit: bool = False
    can_manage_users: bool = False


RULES: dict[str, RoleRules] = {
    Role.PARTNER_PRACTITIONER: RoleRules(
        scope=Scope.AGENCY, contacts=ContactScope.AGENCY, can_refer=True
    ),
    Role.MASH_WORKER: RoleRules(
        scope=Scope.ALL,
        contacts=ContactScope.ALL,
        can_triage=True,
        can_edit=True,
        can_create=True,
        can_break_glass=True,
    ),
    Role.SOCIAL_WORKER: RoleRules(
        scope=Scope.TEAM,
        contacts=ContactScope.PERSON,
        can_edit=True,
        can_create=True,
        can_break_glass=True,
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
    ),
    Role.CP_CHAIR_IRO: RoleRules(
        scope=Scope.OWN, contacts=ContactScope.PERSON, can_chair=True, can_break_glass=True
    ),
    # Analysts work with aggregates, never individual records.
    Role.PERFORMANCE_ANALYST: RoleRules(scope=Scope.NONE, can_see_front_door_figures=True),
    # The DPO reviews the audit trail; reading case data is not their job.
    Role.DATA_PROTECTION_OFFICER: RoleRules(scope=Scope.NONE, can_review_audit=True),
    # Administrators manage users; they do not read case data by being administrators.
    Role.SYSTEM_ADMINISTRATOR: RoleRules(scope=Scope.NONE, can_manage_users=True),
}
NO_ACCESS = RoleRules(scope=Scope.NONE)


class Decision(enum.Enum):
    ALLOW = "allow"
    DENY = "deny"
    BREAK_GLASS = "break_glass"  # restricted: may open by recording a reason


def rules_for(actor: Any) -> RoleRules:
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return NO_ACCESS
    return RULES.get(actor.role, NO_ACCESS)


def can_create_person(actor: Any) -> bool:
    return rules_for(actor).can_create


def can_edit_viewable_person(actor: Any) -> bool:
    """For a person `actor` has just been allowed to view: may they also change them?
    `decide` differs between VIEW and EDIT only in the role's edit capability, so this
    answers without asking the database again."""
    return rules_for(actor).can_edit


def can_search_people(actor: Any) -> bool:
    return rules_for(actor).scope is not Scope.NONE


def can_review_audit(actor: Any) -> bool:
    return rules_for(actor).can_review_audit


def can_manage_users(actor: Any) -> bool:
    return rules_for(actor).can_manage_users


def _involvement_filter(actor: Any, scope: Scope) -> Q | None:
    """Which open involvements give `actor` a need to know, for their scope."""
    if scope is Scope.OWN:
        return Q(user=actor)
    if scope is Scope.TEAM:
        return Q(user=actor) | Q(team_id=actor.team_id) if actor.team_id else Q(user=actor)
    if scope is Scope.AGENCY:
        return Q(agency_id=actor.agency_id)
    return None


def _involved(actor: Any, person: Any, scope: Scope) -> bool:
    if scope is Scope.ALL:
        return True
    condition = _involvement_filter(actor, scope)
    if condition is None:
        return False
    return Involvement.objects.filter(condition, person=person, end_date__isnull=True).exists()


def _on_allow_list(actor: Any, person: Any) -> bool:
    return RestrictedAccess.objects.filter(person=person, user=actor).exists()


def _has_open_break_glass(actor: Any, person: Any) -> bool:
    return BreakGlass.objects.filter(
        person=person, user=actor, expires_at__gt=timezone.now()
    ).exists()


def decide(actor: Any, person: Any, action: Action) -> Decision:
    rules = rules_for(actor)
    # A role with no person scope never reaches person data, whatever else is true.
    if rules.scope is Scope.NONE:
        return Decision.DENY
    # Writing needs a role that edits records.
    if action is Action.EDIT and not rules.can_edit:
        return Decision.DENY
    if person.is_restricted:
        # The allow-list opens a restricted record as if it were not restricted.
        if _on_allow_list(actor, person):
            return Decision.ALLOW
        # A break-glass the actor opened earlier still runs.
        if _has_open_break_glass(actor, person):
            return Decision.ALLOW
        # Others whose role and involvement would reach it may break the glass; the rest
        # (partners included, always) are told nothing.
        if rules.can_break_glass and _involved(actor, person, rules.scope):
            return Decision.BREAK_GLASS
        return Decision.DENY
    if _involved(actor, person, rules.scope):
        return Decision.ALLOW
    return Decision.DENY


def visible_persons(actor: Any, queryset: QuerySet, *, for_search: bool = False) -> QuerySet:
    """`queryset` narrowed to the people `actor` may see: `decide` as a filter.

    For search, a restricted person appears only to its allow-list (not to break-glass
    holders), so search never reveals that a restricted record exists.
    """
    rules = rules_for(actor)
    if rules.scope is Scope.NONE:
        return queryset.none()
    allowed = Exists(RestrictedAccess.objects.filter(person=OuterRef("pk"), user=actor))
    if not for_search:
        allowed |= Exists(
            BreakGlass.objects.filter(
                person=OuterRef("pk"), user=actor, expires_at__gt=timezone.now()
            )
        )
    if rules.scope is Scope.ALL:
        return queryset.filter(Q(is_restricted=False) | allowed)
    involvement = _involvement_filter(actor, rules.scope)
    involved = Exists(
        Involvement.objects.filter(involvement, person=OuterRef("pk"), end_date__isnull=True)
    )
    return queryset.filter((Q(is_restricted=False) & involved) | allowed)


# --- Front-door contacts -------------------------------------------------------------------


def can_refer(actor: Any) -> bool:
    return rules_for(actor).can_refer


def can_triage(actor: Any) -> bool:
    return rules_for(actor).can_triage


def can_sign_off(actor: Any) -> bool:
    return rules_for(actor).can_sign_off


def can_see_front_door_figures(actor: Any) -> bool:
    return rules_for(actor).can_see_front_door_figures


def can_work_mash_queue(actor: Any) -> bool:
    return rules_for(actor).contacts is ContactScope.ALL


def decide_contact(actor: Any, contact: Any, action: Action) -> Decision:
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
        linked = [s.person for s in contact.subjects.all() if s.person_id]
        if any(decide(actor, person, Action.VIEW) is Decision.ALLOW for person in linked):
            return Decision.ALLOW
    return Decision.DENY


def visible_contacts(actor: Any, queryset: QuerySet) -> QuerySet:
    """`decide_contact(VIEW)` as a filter, for lists."""
    rules = rules_for(actor)
    if rules.contacts is ContactScope.ALL:
        return queryset
    if rules.contacts is ContactScope.AGENCY:
        return queryset.filter(referrer_agency_id=actor.agency_id)
    if rules.contacts is ContactScope.PERSON:
        from safehub.people.models import Person

        people = visible_persons(actor, Person.objects.all()).values("pk")
        return queryset.filter(subjects__person__in=people).distinct()
    return queryset.none()


def decide_information_request(actor: Any, request: Any, action: Action) -> Decision:
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


def visible_information_requests(actor: Any, queryset: QuerySet) -> QuerySet:
    rules = rules_for(actor)
    if rules.contacts is ContactScope.ALL:
        return queryset
    if rules.contacts is ContactScope.AGENCY:
        return queryset.filter(agency_id=actor.agency_id)
    return queryset.none()


# --- Casework ----------------------------------------------------------------------------


def can_manage_cases(actor: Any) -> bool:
    return rules_for(actor).can_manage_cases


def can_read_casework(actor: Any) -> bool:
    """Casework (case notes above all) is for the council's case-holding roles and the
    conference chairs; a partner agency sees the shared chronology, never case-note
    bodies. The person decision still applies child by child."""
    rules = rules_for(actor)
    return rules.can_edit or rules.can_chair


def decide_casework(actor: Any, child: Any, *, conference: bool = False) -> Decision:
    """May `actor` record casework for this child? Those who may change the child's record
    may; a conference chair may record the conferences of children they chair."""
    edit = decide(actor, child, Action.EDIT)
    if edit is not Decision.DENY or not conference:
        return edit
    if rules_for(actor).can_chair:
        return decide(actor, child, Action.VIEW)
    return Decision.DENY
