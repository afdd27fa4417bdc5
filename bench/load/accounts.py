"""The load test's people and what they work on, written as a plan the Locust users read.

Every simulated worker signs in once, with the password and the current TOTP code of an
account of their own: a TOTP code is accepted once per 30-second step for each device, so a
thousand users cannot share a handful of demo accounts. The accounts are made here as
copies of demo staff (same role, agency and team, so the same policy applies to them: a
social worker reads their team's children, the MASH every contact), flagged `is_demo` so
their code comes from the demo key derived from the username, and reused on later runs.

    python bench/load/accounts.py --database-url URL --workers 600 --mash 200 --partners 100 \\
        --out var/load/plan.json

The plan holds usernames, the children each team works with, contact references in the MASH
queue, names to search for, NHS numbers partners send events about, and one API token per
partner feed (the secret, shown once by `api_token_create`, is kept only in the plan)."""

import argparse
import json
import os
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "load."


def _setup(database_url: str) -> None:
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    os.environ["DATABASE_URL"] = database_url
    # Not the caller's settings: the test suite's hash passwords with MD5, which the stack's
    # production settings do not accept.
    os.environ["DJANGO_SETTINGS_MODULE"] = "safehub.config.settings.local"
    import django

    django.setup()


def _copies(template: Any, kind: str, count: int) -> list[str]:
    """`count` accounts like `template` (role, agency, team), made if missing."""
    from django.contrib.auth.hashers import make_password
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from safehub.demo.generator import DEMO_PASSWORD
    from safehub.demo.generator.organisations import totp_key_for
    from safehub.organisations.models import User

    names = [f"{PREFIX}{kind}.{template.team_id}.{i:04d}" for i in range(count)]
    have = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    missing = [n for n in names if n not in have]
    if missing:
        password = make_password(DEMO_PASSWORD)  # one hash for all: hashing is slow on purpose
        made = User.objects.bulk_create(
            User(
                username=name,
                first_name="Load",
                last_name=f"Tester {name.rsplit('.', 1)[1]}",
                email=f"{name}@load.invalid",
                role=template.role,
                agency_id=template.agency_id,
                team_id=template.team_id,
                job_title=template.job_title,
                is_demo=True,
                password=password,
            )
            for name in missing
        )
        TOTPDevice.objects.bulk_create(
            TOTPDevice(user=u, name="Load test", confirmed=True, key=totp_key_for(u.username))
            for u in made
        )
    return names


def _team_children(team_ids: list[int]) -> dict[int, list[int]]:
    """Children each team works with now: an open involvement with the team or one of its
    members, and an open child-in-need episode to record visits and notes against."""
    from django.db.models import Q

    from safehub.access.models import Involvement
    from safehub.casework.models import Episode, EpisodeKind

    open_cases = Episode.objects.filter(closure_date__isnull=True, kind=EpisodeKind.CIN).values(
        "child_id"
    )
    found: dict[int, list[int]] = {}
    for team_id in team_ids:
        rows = (
            Involvement.objects.filter(
                Q(team_id=team_id) | Q(user__team_id=team_id), end_date__isnull=True
            )
            .filter(person__is_restricted=False, person_id__in=open_cases)
            .values_list("person_id", flat=True)
            .distinct()[:200]
        )
        found[team_id] = sorted(set(rows))
    return found


def build(workers: int, mash: int, partners: int, seed: int = 16) -> dict[str, Any]:
    from django.db.models import Count

    from safehub.access.models import Involvement, InvolvementKind
    from safehub.access.roles import Role
    from safehub.access.services import api_token_create
    from safehub.demo.generator import DEMO_PASSWORD
    from safehub.demo.generator.organisations import totp_key_for
    from safehub.frontdoor.models import Contact
    from safehub.organisations.models import AgencyKind, User
    from safehub.people.models import Person

    rng = random.Random(seed)
    demo = User.objects.filter(is_demo=True).exclude(username__startswith=PREFIX)
    # Social workers' teams with the most children allocated: where the work is.
    busy = (
        Involvement.objects.filter(
            kind=InvolvementKind.ALLOCATED_WORKER,
            end_date__isnull=True,
            user__role=Role.SOCIAL_WORKER,
            user__is_demo=True,
        )
        .values("user__team_id")
        .annotate(n=Count("id"))
        .order_by("-n")[:4]
    )
    team_ids = [row["user__team_id"] for row in busy]
    children = _team_children(team_ids)
    templates = [
        demo.filter(role=Role.SOCIAL_WORKER, team_id=t).order_by("pk").first()
        for t in team_ids
        if children[t]
    ]
    share = -(-workers // max(len(templates), 1))
    made = [
        [
            {"username": name, "key": totp_key_for(name), "children": children[t.team_id]}
            for name in _copies(t, "sw", share)
        ]
        for t in templates
        if t is not None
    ]
    # Taken in turn from each team, so every step has workers of every team.
    worker_accounts = [a for batch in zip(*made, strict=False) for a in batch][:workers]
    mash_template = demo.get(username="mash.worker")
    school_lead = (
        demo.filter(role=Role.PARTNER_PRACTITIONER, agency__kind=AgencyKind.SCHOOL)
        .order_by("pk")
        .first()
    )
    assert school_lead is not None, "the demo council has no school safeguarding lead"
    partner_names = _copies(school_lead, "partner", partners)
    feeds = []
    for user in User.objects.filter(username__in=partner_names).order_by("username"):
        secret = api_token_create(actor=user, user=user, name="Load test feed", days=7)
        feeds.append({"username": user.username, "token": secret})
    people = list(
        Person.objects.filter(is_restricted=False, date_of_birth__isnull=False)
        .exclude(nhs_number="")
        .values_list("given_name", "family_name", "nhs_number")
        .order_by("?")[:300]
    )
    contacts = list(Contact.objects.order_by("-pk").values_list("reference", flat=True)[:300])
    rng.shuffle(contacts)
    return {
        "password": DEMO_PASSWORD,
        "workers": worker_accounts,
        "mash": [
            {"username": name, "key": totp_key_for(name)}
            for name in _copies(mash_template, "mash", mash)
        ],
        "partners": feeds,
        "contacts": contacts,
        "names": [f"{given} {family}" for given, family, _ in people],
        "nhs_numbers": [nhs for _, _, nhs in people if nhs],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--workers", type=int, default=600)
    parser.add_argument("--mash", type=int, default=200)
    parser.add_argument("--partners", type=int, default=100)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    _setup(args.database_url)
    plan = build(args.workers, args.mash, args.partners)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(plan))
    args.out.chmod(0o600)  # it holds API token secrets
    counts = {k: len(v) for k, v in plan.items() if isinstance(v, list)}
    print(f"load plan: {counts} -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
