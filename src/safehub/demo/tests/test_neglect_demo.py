"""Demoshire's neglect profiles: the template loaded, training for most who could profile
(some lapsed), first and repeat profiles for children on a neglect plan completed by trained
practitioners of the child's team, and partners' profiles of children their agency works
with; each signed off by someone else who supervises, with scores by the template's rule;
the printed partner sign-ins each have one to finish, one waiting and one signed off; the
same every time for the same seed and day."""

import io
from typing import Any

import pytest
from conftest import TEST_TODAY
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q

from safehub.access.models import Involvement, InvolvementKind
from safehub.access.policy import rules_for
from safehub.access.roles import Role
from safehub.casework.models import Allocation, CPPlan
from safehub.neglect.models import ItemGrade, NeglectProfile, ProfileStatus, TrainingRecord
from safehub.neglect.scores import profile_scores

PERSONS = 2000


def _snapshot() -> list[tuple]:
    return list(
        NeglectProfile.objects.order_by("pk").values_list(
            # The child by name, not id: PostgreSQL's sequences move on past a rollback.
            "child__given_name",
            "child__family_name",
            "child__date_of_birth",
            "completed_by__username",
            "completed_on",
            "overall_score",
            "status",
        )
    )


@pytest.fixture(scope="module")
def seeded(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """Seed the council twice, each time rolled back: the neglect rows of both."""
    runs = []
    with django_db_blocker.unblock():
        for _ in range(2):
            with transaction.atomic():
                call_command(
                    "seed_demo",
                    "--persons",
                    str(PERSONS),
                    "--as-of",
                    str(TEST_TODAY),
                    stdout=io.StringIO(),
                )
                runs.append(_snapshot())
                if len(runs) == 2:
                    yield runs
                transaction.set_rollback(True)


@pytest.mark.django_db
def test_profiles_are_deterministic(seeded: Any) -> None:
    first, second = seeded
    assert first == second
    assert len(first) >= 10


@pytest.mark.django_db
def test_training_covers_most_who_could_profile_and_some_has_lapsed(seeded: Any) -> None:
    records = TrainingRecord.objects.select_related("practitioner")
    assert records.exists()
    assert all(
        rules_for(r.practitioner).can_profile_neglect
        or rules_for(r.practitioner).can_supervise_neglect_profiles
        for r in records
    )
    assert records.filter(expires_on__lt=TEST_TODAY).exists()


def _completed() -> list[NeglectProfile]:
    return list(
        NeglectProfile.objects.exclude(status=ProfileStatus.IN_PROGRESS).select_related(
            "template", "completed_by", "signed_off_by"
        )
    )


@pytest.mark.django_db
def test_profiles_follow_the_rules(seeded: Any) -> None:
    neglect = set(
        CPPlan.objects.filter(Q(initial_category="NEG") | Q(latest_category="NEG")).values_list(
            "child_id", flat=True
        )
    )
    for p in _completed():
        assert p.completed_on is not None
        assert p.completed_on < TEST_TODAY
        assert TrainingRecord.objects.filter(
            practitioner=p.completed_by,
            completed_on__lte=p.completed_on,
            expires_on__gte=p.completed_on,
        ).exists(), "completed by someone trained on the day"
        assert p.completed_by is not None
        if p.completed_by.role == Role.PARTNER_PRACTITIONER:
            # A child the partner's agency works with.
            assert Involvement.objects.filter(
                person_id=p.child_id,
                agency_id=p.completed_by.agency_id,
                kind=InvolvementKind.CONTRIBUTING_AGENCY,
            ).exists()
        else:
            assert p.child_id in neglect
            team = (
                Allocation.objects.filter(child_id=p.child_id)
                .order_by("start_date", "pk")
                .values_list("team_id", flat=True)
                .last()
            )
            assert p.completed_by.team_id == team
        if p.status == ProfileStatus.SIGNED_OFF:
            assert p.signed_off_by is not None
            assert p.signed_off_by_id != p.completed_by_id
            assert rules_for(p.signed_off_by).can_supervise_neglect_profiles
        by_area: dict[int, list[int]] = {}
        for g in ItemGrade.objects.filter(profile=p).select_related("item"):
            assert g.grade
            assert g.evidence
            by_area.setdefault(g.item.area_id, []).append(g.grade)
        areas, overall = profile_scores(
            by_area, area_rule=p.template.area_roll_up, overall_rule=p.template.overall_roll_up
        )
        assert (p.area_scores, p.overall_score) == ({str(k): v for k, v in areas.items()}, overall)


@pytest.mark.django_db
def test_each_printed_partner_has_a_profile_to_finish_one_waiting_and_one_signed_off(
    seeded: Any,
) -> None:
    for username in ("teacher.dsl", "health.visitor"):
        mine = NeglectProfile.objects.filter(started_by__username=username)
        assert sorted(mine.values_list("status", flat=True)) == [
            ProfileStatus.COMPLETED,
            ProfileStatus.IN_PROGRESS,
            ProfileStatus.SIGNED_OFF,
        ], username
        draft = mine.get(status=ProfileStatus.IN_PROGRESS)
        assert draft.grades.exists()
        assert draft.completed_on is None


@pytest.mark.django_db
def test_some_children_have_a_repeat_profile(seeded: Any) -> None:
    repeats = (
        NeglectProfile.objects.values("child_id").annotate(n=Count("pk")).filter(n__gte=2).count()
    )
    children = NeglectProfile.objects.values("child_id").distinct().count()
    assert 0 < repeats < children


@pytest.mark.django_db
def test_each_profile_is_on_the_childs_chronology_on_its_days(seeded: Any) -> None:
    """Completed and signed off through the services: the chronology holds what a real
    completion and sign-off leave, each on the day it happened, crediting who did it."""
    from safehub.chronology.models import ChronologyLink
    from safehub.core.workdays import LONDON

    links = ChronologyLink.objects.filter(
        entry__source_type="neglect.NeglectProfile"
    ).select_related("entry")
    found = {
        (link.person_id, link.entry.source_id, link.entry.event_type): link.entry for link in links
    }
    profiles = _completed()
    assert profiles
    for p in profiles:
        completed = found[(p.child_id, str(p.pk), "NEGLECT_PROFILE_COMPLETED")]
        assert completed.occurred_at.astimezone(LONDON).date() == p.completed_on
        assert completed.recorded_at.astimezone(LONDON).date() == p.completed_on
        assert completed.done_by_id == p.completed_by_id
        assert f"overall grade {p.overall_score}" in completed.summary
        signed = found.get((p.child_id, str(p.pk), "NEGLECT_PROFILE_SIGNED_OFF"))
        if p.status == ProfileStatus.SIGNED_OFF:
            assert signed is not None
            assert signed.occurred_at.astimezone(LONDON).date() == p.signed_off_on
            assert signed.done_by_id == p.signed_off_by_id
        else:
            assert signed is None
