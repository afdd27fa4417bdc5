"""The "Neglect profiles" page: what waits for each reader (profiles to sign off, their own in
progress, their own waiting for a supervisor), listed through the policy and audited; and a
partner's profile of a child no social work team knows, which the MASH manager signs off."""

from typing import Any

import pytest
from conftest import make_person
from django.urls import reverse

from safehub.access.models import Involvement, InvolvementKind
from safehub.audit.models import AuditEvent
from safehub.core.exceptions import NotFound
from safehub.neglect import selectors
from safehub.neglect.models import NeglectProfile, ProfileStatus
from safehub.neglect.selectors import profile_work
from safehub.neglect.services import profile_complete, profile_sign_off, profile_start
from safehub.neglect.tests.test_profiles import fill

pytestmark = pytest.mark.django_db


def completed(actor: Any, child: Any, template: Any) -> NeglectProfile:
    profile = profile_start(actor=actor, child=child, template=template)
    fill(actor, profile, [4, 4, 3])
    return profile_complete(actor=actor, profile=profile, expected_version=profile.version)


@pytest.fixture
def pupil(council: dict[str, Any]) -> Any:
    """A child only the school works with: on no social work team's books."""
    child = make_person("Lily", "Ashdown")
    Involvement.objects.create(
        person=child, kind=InvolvementKind.CONTRIBUTING_AGENCY, agency=council["school"]
    )
    return child


def test_the_mash_manager_signs_off_a_partners_profile_no_team_can_see(
    trained, users, pupil, template
) -> None:
    dsl, tm, mash = trained["partner_practitioner"], trained["team_manager"], users["mash_manager"]
    profile = completed(dsl, pupil, template)
    assert profile_work(actor=dsl).awaiting_sign_off == [profile]
    # The team manager supervises profiles but may not see this child: not listed, and
    # refused as not found.
    assert profile_work(actor=tm).to_sign_off == []
    with pytest.raises(NotFound):
        profile_sign_off(actor=tm, profile=profile, expected_version=profile.version)
    assert profile_work(actor=mash).to_sign_off == [profile]
    profile.refresh_from_db()
    profile = profile_sign_off(actor=mash, profile=profile, expected_version=profile.version)
    assert (profile.status, profile.signed_off_by) == (ProfileStatus.SIGNED_OFF, mash)
    assert profile_work(actor=mash).to_sign_off == []
    assert profile_work(actor=dsl).awaiting_sign_off == []


def test_each_list_holds_what_waits_for_the_reader_and_only_what_they_may_open(
    trained, people, template
) -> None:
    sw, colleague, tm = trained["social_worker"], trained["colleague"], trained["team_manager"]
    drafting = profile_start(actor=sw, child=people["involved"], template=template)
    others = profile_start(actor=colleague, child=people["same_team"], template=template)
    by_sw = completed(sw, people["involved"], template)
    by_colleague = completed(colleague, people["same_team"], template)
    by_tm = completed(tm, people["involved"], template)
    # Restricted, with only sw allow-listed: the manager would have to break the glass.
    hidden = completed(sw, people["restricted_allowed"], template)

    mine = profile_work(actor=sw)
    assert mine.in_progress == [drafting]  # not the colleague's draft
    assert mine.awaiting_sign_off == [by_sw, hidden]
    assert mine.to_sign_off == []  # a social worker supervises nobody's
    managers = profile_work(actor=tm)
    # Oldest completed first; never their own; never the restricted child's.
    assert managers.to_sign_off == [by_sw, by_colleague]
    assert managers.awaiting_sign_off == [by_tm]
    assert hidden not in managers.to_sign_off
    assert others not in managers.in_progress
    assert profile_work(actor=colleague).awaiting_sign_off == [by_colleague]


def test_the_list_is_one_audit_row_naming_everyone_it_shows(trained, people, template) -> None:
    sw, tm = trained["social_worker"], trained["team_manager"]
    completed(sw, people["involved"], template)
    completed(sw, people["restricted_allowed"], template)
    profile_work(actor=tm)
    row = AuditEvent.objects.get(object_type="neglect.profile_work")
    assert (row.actor_username, row.action) == ("tm", "list")
    assert row.subject_ids == f",{people['involved'].pk},"


def test_the_page_shows_the_lists_to_those_who_profile_or_supervise(
    trained, users, pupil, template, client_for
) -> None:
    completed(trained["partner_practitioner"], pupil, template)
    page = client_for("mash_manager").get(reverse("neglect:work"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Waiting for your sign-off" in text
    assert "Lily Ashdown" in text
    assert "Dsl Tester, Safeguarding" in text  # who completed it, and where
    assert "Your profiles in progress" not in text  # the MASH manager completes none
    page = client_for("partner_practitioner").get(reverse("neglect:work"))
    assert "Completed by you, waiting for a supervisor" in page.content.decode()
    assert "Waiting for your sign-off" not in page.content.decode()
    assert client_for("performance_analyst").get(reverse("neglect:work")).status_code == 404


def test_a_long_sign_off_list_names_the_longest_waiting_and_counts_the_rest(
    trained, people, template, client_for, monkeypatch
) -> None:
    sw, colleague = trained["social_worker"], trained["colleague"]
    first = completed(sw, people["involved"], template)
    completed(colleague, people["same_team"], template)
    monkeypatch.setattr(selectors, "SIGN_OFF_SHOWN", 1)
    work = profile_work(actor=trained["team_manager"])
    assert (work.to_sign_off, work.waiting_total) == ([first], 2)
    page = client_for("team_manager").get(reverse("neglect:work")).content.decode()
    assert "1 of the 2 profiles waiting are shown: those waiting longest." in page
    assert "Oliver Hart" not in page  # the second is counted, not named
