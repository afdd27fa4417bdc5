"""What the data protection officer and the system administrator find in the demo council:
records opened by breaking the glass (one waiting for review, one reviewed), subject access
requests still being answered (one of them extended), and the API tokens partner systems
use (one live, one revoked).

Written as the services write them, each with its audit row, but dated in the days before
`today` (the services stamp the moment they run). Token secrets are random and never
stored, as `api_token_create` keeps them: nobody can call the demo's API with them.
"""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings

from safehub.access.models import ApiToken, BreakGlass, hash_token
from safehub.access.policy import Action, Decision, decide
from safehub.access.roles import Role
from safehub.audit.models import AuditAction, AuditEvent
from safehub.core.workdays import LONDON
from safehub.organisations.models import AgencyKind, User
from safehub.people.models import Person
from safehub.subjectaccess.models import RequesterKind, SubjectAccessRequest
from safehub.subjectaccess.services import MONTHS_EXTENDED, MONTHS_TO_ANSWER, deadline_from

# Who broke the glass, how long before today, at what time, why; and the officer's note
# once reviewed (None: still waiting).
BREAK_GLASS = (
    (
        "mash.worker",
        2,
        time(2, 14),
        "Police rang at 2am about a child at this address. I needed to know whether there is "
        "a current plan before advising the officers.",
        None,
    ),
    (
        "team.manager",
        9,
        time(16, 40),
        "The allocated worker is off sick and the school has raised a new worry today. I "
        "needed the safety plan to decide who visits.",
        "Checked with the head of service: the opening was needed and lasted one visit's "
        "planning. No further action.",
    ),
)


def seed_governance(*, today: date) -> dict[str, int]:
    """Write the rows; returns how many of each."""
    dpo = User.objects.filter(username="dpo").first()
    if dpo is None:
        return {}
    return {
        "break_glass": _break_glass(today, dpo),
        "subject_access_requests": _subject_access(today, dpo),
        "api_tokens": _api_tokens(today),
    }


def _at(today: date, days_ago: int, clock: time) -> datetime:
    return datetime.combine(today - timedelta(days=days_ago), clock, tzinfo=LONDON)


def _audit(actor: User, at: datetime, action: str, **fields: Any) -> None:
    AuditEvent.objects.create(
        at=at,
        actor=actor,
        actor_username=actor.username,
        actor_role=actor.role,
        action=action,
        **fields,
    )


def _break_glass(today: date, dpo: User) -> int:
    """A restricted child opened by someone outside its list, as `break_glass_open` allows
    only when the policy answers "break the glass"."""
    made = 0
    restricted = list(Person.objects.filter(is_restricted=True).order_by("pk")[:10])
    for username, days_ago, clock, reason, note in BREAK_GLASS:
        user = User.objects.filter(username=username).first()
        child = next(
            (
                p
                for p in restricted
                if user and decide(user, p, Action.VIEW) is Decision.BREAK_GLASS
            ),
            None,
        )
        if user is None or child is None:
            continue
        opened = _at(today, days_ago, clock)
        grant = BreakGlass.objects.create(
            person=child,
            user=user,
            reason=reason,
            expires_at=opened + timedelta(hours=settings.BREAK_GLASS_HOURS),
        )
        _audit(
            user,
            opened,
            AuditAction.BREAK_GLASS,
            person_id=child.pk,
            object_type="access.BreakGlass",
            object_id=str(grant.pk),
            reason=reason,
        )
        fields: dict[str, Any] = {"created_at": opened, "updated_at": opened}
        if note is not None:
            reviewed = _at(today, days_ago - 1, time(10, 5))
            fields |= {"reviewed_at": reviewed, "reviewed_by": dpo, "review_note": note}
        BreakGlass.objects.filter(pk=grant.pk).update(**fields)
        made += 1
    return made


def _subject_access(today: date, dpo: User) -> int:
    """Two requests being answered: a mother's, received last week; a young person's own,
    extended because their records run to many years."""
    children = list(
        Person.objects.filter(kind="child", is_restricted=False, date_of_birth__isnull=False)
        .exclude(given_name="")
        .order_by("pk")[:40]
    )
    ages = {p.pk: (today - p.date_of_birth).days // 365 for p in children if p.date_of_birth}
    older = next((p for p in children if ages.get(p.pk, 0) >= 14), None)
    younger = next((p for p in children if ages.get(p.pk, 99) < 10), None)
    made = 0
    for person, requester, kind, received_days_ago, evidence, extension in (
        (
            younger,
            "Ms {family}",
            RequesterKind.PARENT,
            6,
            "Passport seen at the contact centre; parental responsibility confirmed",
            "",
        ),
        (
            older,
            "",
            RequesterKind.SUBJECT,
            25,
            "Driving licence and a letter to the home address",
            "Records over eleven years, with many third parties to consider.",
        ),
    ):
        if person is None:
            continue
        received = today - timedelta(days=received_days_ago)
        sar = SubjectAccessRequest.objects.create(
            person=person,
            requester_name=requester.format(family=person.family_name) or person.full_name,
            requester_kind=kind,
            identity_checked=True,
            identity_evidence=evidence,
            received_on=received,
            due_on=deadline_from(received, MONTHS_TO_ANSWER),
            extended_to=(
                deadline_from(received, MONTHS_TO_ANSWER + MONTHS_EXTENDED) if extension else None
            ),
            extension_reason=extension,
            recorded_by=dpo,
        )
        at = datetime.combine(received, time(11), tzinfo=LONDON)
        _audit(
            dpo,
            at,
            AuditAction.CREATE,
            person_id=person.pk,
            object_type="subjectaccess.Request",
            object_id=str(sar.pk),
            detail={"step": "recorded"},
        )
        if extension:
            _audit(
                dpo,
                at + timedelta(days=5),
                AuditAction.CHANGE,
                person_id=person.pk,
                object_type="subjectaccess.Request",
                object_id=str(sar.pk),
                detail={"step": "extended"},
            )
        made += 1
    return made


def _api_tokens(today: date) -> int:
    """The police's case system sends its notifications with a token issued to the force's
    partner practitioner; an older token for the same feed was revoked when it was replaced."""
    sender = (
        User.objects.filter(role=Role.PARTNER_PRACTITIONER, agency__kind=AgencyKind.POLICE)
        .order_by("pk")
        .first()
    )
    if sender is None:
        return 0
    made = 0
    for name, issued_days_ago, revoked_days_ago in (
        ("Police case system: notifications feed (2025 key)", 400, 40),
        ("Police case system: notifications feed", 40, None),
    ):
        issued = _at(today, issued_days_ago, time(10))
        token = ApiToken.objects.create(
            user=sender,
            name=name,
            token_hash=hash_token(ApiToken.new_secret()),
            expires_at=issued + timedelta(days=365),
        )
        fields: dict[str, Any] = {"created_at": issued, "updated_at": issued}
        if revoked_days_ago is None:
            fields["last_used_at"] = _at(today, 0, time(8, 55))
        else:
            fields["revoked_at"] = _at(today, revoked_days_ago, time(10, 5))
            fields["last_used_at"] = _at(today, revoked_days_ago, time(9, 58))
        ApiToken.objects.filter(pk=token.pk).update(**fields)
        for what, at in (
            ("api_token_issued", issued),
            ("api_token_revoked", fields.get("revoked_at")),
        ):
            if at is not None:
                _audit(
                    sender,
                    at,
                    AuditAction.USER_ADMIN,
                    object_type="access.ApiToken",
                    object_id=str(token.pk),
                    detail={"what": what, "username": sender.username, "name": name},
                )
        made += 1
    return made
