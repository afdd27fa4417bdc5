"""The neglect pages through real requests: loading a template file (good, malformed,
different under a used version), training records (list and filter, add, CSV preview then
confirm), a profile started (or refused, saying who to contact), filled area by area with
drafts kept, two editors (the second told, nothing lost), completed, signed off, printed to
PDF and read back, and a repeat profile's movement."""

import html
import io
import json
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from safehub.audit.models import AuditEvent
from safehub.chronology.models import ChronologyEntry
from safehub.neglect import events
from safehub.neglect.models import (
    ItemGrade,
    NeglectProfile,
    ProfileDraft,
    ProfileStatus,
    ProfileTemplate,
    TrainingRecord,
)
from safehub.neglect.services import profile_complete, profile_start
from safehub.neglect.tests.conftest import template_data
from safehub.neglect.tests.test_profiles import REVIEW, fill, items

pytestmark = pytest.mark.django_db


def _upload(client: Any, content: bytes, name: str = "template.json") -> Any:
    return client.post(reverse("neglect:templates"), {"file": SimpleUploadedFile(name, content)})


# --- Templates -----------------------------------------------------------------------------


def test_an_administrator_loads_a_template_file_and_sees_it_listed(users, client_for) -> None:
    client = client_for("system_administrator")
    response = _upload(client, json.dumps(template_data()).encode())
    assert response.status_code == 302
    page = client.get(reverse("neglect:templates")).content.decode()
    assert "Test profile (version 1) loaded." in page
    assert ProfileTemplate.objects.get().name == "Test profile"
    assert AuditEvent.objects.filter(action="create", object_type="neglect.ProfileTemplate")


def test_a_malformed_template_file_names_its_mistakes_and_loads_nothing(users, client_for) -> None:
    client = client_for("system_administrator")
    bad = template_data()
    bad["areas"][0]["items"][1]["descriptors"] = ["only one"]
    response = _upload(client, json.dumps(bad).encode())
    assert response.status_code == 400
    page = response.content.decode()
    assert "area 1, item 2: needs five grade descriptors, has 1" in page
    assert "The template was not loaded" in page
    assert not ProfileTemplate.objects.exists()
    broken = _upload(client, b'{"format": "safehub-neglect-template/1",\n "name": }')
    assert "The file is not valid JSON: line 2, column" in broken.content.decode()
    assert not ProfileTemplate.objects.exists()


def test_a_different_file_under_a_version_already_loaded_is_refused(template, client_for) -> None:
    changed = template_data()
    changed["areas"][0]["title"] = "Physical care and food"
    response = _upload(client_for("system_administrator"), json.dumps(changed).encode())
    assert response.status_code == 400
    assert "Give the changed template a new version number" in response.content.decode()
    assert list(ProfileTemplate.objects.values_list("pk", flat=True)) == [template.pk]


def test_only_administrators_reach_the_templates_page(users, client_for) -> None:
    for role in ("social_worker", "team_manager", "performance_analyst"):
        assert client_for(role).get(reverse("neglect:templates")).status_code == 404
        _upload(client_for(role), json.dumps(template_data()).encode())
    assert not ProfileTemplate.objects.exists()


# --- Training ------------------------------------------------------------------------------


def test_training_is_listed_and_filtered_by_agency_and_template(trained, client_for) -> None:
    client = client_for("team_manager")
    page = client.get(reverse("neglect:training-list")).content.decode()
    assert page.count("Test profile</td>") == 4
    school = trained["partner_practitioner"].agency
    filtered = client.get(reverse("neglect:training-list"), {"agency": school.pk}).content.decode()
    assert filtered.count("Test profile</td>") == 1
    none = client.get(reverse("neglect:training-list"), {"template": "Test profile"})
    assert none.content.decode().count("Test profile</td>") == 4


def test_a_training_record_is_added_on_its_page(template, users, client_for) -> None:
    client = client_for("team_manager")
    data = {
        "practitioner": "SW",
        "template": "Test profile",
        "course": "Neglect profile (one day)",
        "provider": "Testshire Safeguarding Partnership",
        "completed_on-day": "2",
        "completed_on-month": "11",
        "completed_on-year": "2026",
        "expires_on-day": "2",
        "expires_on-month": "11",
        "expires_on-year": "2029",
    }
    response = client.post(reverse("neglect:training-add"), data)
    assert response.status_code == 302
    assert TrainingRecord.objects.get().practitioner == users["social_worker"]
    bad = client.post(reverse("neglect:training-add"), {**data, "expires_on-year": "2025"})
    assert "The training must expire after the date it was completed" in bad.content.decode()
    assert TrainingRecord.objects.count() == 1


def _csv(rows: list[str]) -> SimpleUploadedFile:
    header = "practitioner,template,course,provider,completed_on,expires_on\n"
    return SimpleUploadedFile("training.csv", (header + "\n".join(rows) + "\n").encode())


def test_a_training_csv_is_previewed_with_each_rows_problems_then_confirmed(
    template, users, client_for
) -> None:
    client = client_for("system_administrator")
    good = "sw,Test profile,Neglect course,Partnership,2026-10-01,2029-10-01"
    bad = "nobody,Test profile,Neglect course,Partnership,31/13/2026,2029-10-01"
    preview = client.post(reverse("neglect:training-import"), {"file": _csv([good, bad])})
    page = preview.content.decode()
    assert "No SafeHub user has the username or e-mail &#39;nobody&#39;" in page
    assert "&#39;31/13/2026&#39; is not a date like 2026-03-31 or 31/03/2026" in page
    assert "Record 2" not in page
    assert not TrainingRecord.objects.exists()
    preview = client.post(reverse("neglect:training-import"), {"file": _csv([good])})
    assert "Record 1 training record" in preview.content.decode()
    found = re.search(r'name="csv_text" value="([^"]*)"', preview.content.decode())
    assert found is not None
    text = html.unescape(found.group(1))
    done = client.post(reverse("neglect:training-confirm"), {"csv_text": text})
    assert done.status_code == 302
    assert TrainingRecord.objects.get().practitioner == users["social_worker"]


# --- Profiles --------------------------------------------------------------------------------


def test_an_untrained_practitioner_is_refused_and_told_who_to_contact(
    template, users, people, client_for
) -> None:
    url = reverse("neglect:profile-start", args=[people["involved"].pk])
    client = client_for("social_worker")
    response = client.get(url)
    assert response.status_code == 403
    page = response.content.decode()
    assert "You need current training in the Test profile to start a profile" in page
    assert "To arrange training, contact" in page
    client.post(url, {"template": template.pk})
    assert not NeglectProfile.objects.exists()


def _area_data(profile: NeglectProfile, grades: dict[int, tuple[str, str]]) -> dict[str, Any]:
    data: dict[str, Any] = {"version": profile.version}
    for item_id, (grade, evidence) in grades.items():
        data[f"item-{item_id}-grade"] = grade
        data[f"item-{item_id}-evidence"] = evidence
    return data


def test_a_trained_practitioner_starts_and_fills_a_profile_area_by_area(
    trained, people, template, client_for
) -> None:
    client = client_for("social_worker")
    child = people["involved"]
    response = client.post(
        reverse("neglect:profile-start", args=[child.pk]), {"template": template.pk}
    )
    profile = NeglectProfile.objects.get()
    assert response["Location"] == reverse("neglect:profile-detail", args=[profile.pk])
    area_url = reverse("neglect:profile-area", args=[profile.pk, 1])
    page = client.get(area_url).content.decode()
    assert "Food: grade 3" in page  # the descriptors are the radios' hints
    food, clothing, _ = items(template)
    saved = client.post(
        area_url,
        _area_data(profile, {food.pk: ("2", "Fridge was stocked"), clothing.pk: ("", "")}),
    )
    assert saved.status_code == 302
    assert ItemGrade.objects.get(profile=profile, item=food).grade == 2
    entry = ChronologyEntry.objects.get(event_type=events.NEGLECT_PROFILE_STARTED)
    assert list(entry.links.values_list("person_id", flat=True)) == [child.pk]


def test_a_draft_is_kept_and_put_back_until_the_area_is_saved(
    trained, people, template, client_for
) -> None:
    profile = profile_start(
        actor=trained["social_worker"], child=people["involved"], template=template
    )
    food = items(template)[0]
    client = client_for("social_worker")
    draft_url = reverse("neglect:profile-draft", args=[profile.pk])
    answer = client.post(draft_url, {"kind": f"item-{food.pk}", "text": "Half-typed evidence"})
    assert answer.json()["saved"] is True
    assert client.post(draft_url, {"kind": "item-999999", "text": "x"}).status_code == 400
    page = client.get(reverse("neglect:profile-area", args=[profile.pk, 1])).content.decode()
    assert "Half-typed evidence" in page
    assert "Draft restored" in page
    # Another practitioner's draft stays their own.
    other = client_for("colleague").get(reverse("neglect:profile-area", args=[profile.pk, 1]))
    assert "Half-typed evidence" not in other.content.decode()
    profile.refresh_from_db()
    assert profile.version == 1  # a draft never bumps the profile's version
    client.post(
        reverse("neglect:profile-area", args=[profile.pk, 1]),
        _area_data(profile, {food.pk: ("3", "Half-typed evidence, finished")}),
    )
    assert not ProfileDraft.objects.exists()


def test_the_second_of_two_editors_is_told_and_nothing_is_lost(
    trained, people, template, client_for
) -> None:
    profile = profile_start(
        actor=trained["social_worker"], child=people["involved"], template=template
    )
    food = items(template)[0]
    url = reverse("neglect:profile-area", args=[profile.pk, 1])
    first, second = client_for("social_worker"), client_for("colleague")
    opened_at = profile.version
    first.post(url, _area_data(profile, {food.pk: ("2", "First worker's evidence")}))
    late = second.post(
        url,
        {**_area_data(profile, {food.pk: ("4", "Second worker's evidence")}), "version": opened_at},
    )
    assert late.status_code == 409
    page = late.content.decode()
    assert "Someone else saved this profile after you opened it" in page
    assert "First worker’s evidence" in page or "First worker&#39;s evidence" in page
    assert "Second worker&#39;s evidence" in page  # still in the box, to save again
    row = ItemGrade.objects.get(profile=profile, item=food)
    assert (row.grade, row.evidence) == (2, "First worker's evidence")


def test_complete_then_sign_off_then_print_the_pdf(trained, people, template, client_for) -> None:
    sw = trained["social_worker"]
    profile = profile_start(actor=sw, child=people["involved"], template=template)
    fill(sw, profile, [2, 3, 4])
    client = client_for("social_worker")
    detail = reverse("neglect:profile-detail", args=[profile.pk])
    done = client.post(
        reverse("neglect:profile-complete", args=[profile.pk]), {"version": profile.version}
    )
    assert done["Location"] == detail
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.COMPLETED
    page = client.get(detail).content.decode()
    assert "Sign off the profile" not in page  # never by the person who completed it
    own = client.post(
        reverse("neglect:profile-sign-off", args=[profile.pk]), {"version": profile.version}
    )
    assert own.status_code in (400, 403)
    manager = client_for("team_manager")
    assert "Sign off the profile" in manager.get(detail).content.decode()
    manager.post(
        reverse("neglect:profile-sign-off", args=[profile.pk]), {"version": profile.version}
    )
    profile.refresh_from_db()
    assert (profile.status, profile.signed_off_by) == (
        ProfileStatus.SIGNED_OFF,
        trained["team_manager"],
    )
    pdf = manager.get(reverse("neglect:profile-pdf", args=[profile.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    for expected in (
        "Neglect profile: Amelia Hart",
        "Overall grade",
        "Food: grade 2",
        "Evidence: Seen on the visit: Supervision",
        "Referral to the food bank",
        "Owner: Jo Smith",
        "Mum says money has been tight since the move.",
    ):
        assert expected in text, expected
    assert AuditEvent.objects.filter(action="export", object_type="neglect.NeglectProfile")


def test_a_repeat_profile_shows_movement_as_a_chart_with_its_table(
    trained, people, template, client_for
) -> None:
    sw, child = trained["social_worker"], people["involved"]
    first = profile_start(actor=sw, child=child, template=template)
    fill(sw, first, [4, 4, 5])
    profile_complete(actor=sw, profile=first, expected_version=first.version)
    repeat = profile_start(actor=sw, child=child, template=template)
    fill(sw, repeat, [2, 2, 5])
    profile_complete(actor=sw, profile=repeat, expected_version=repeat.version)
    page = (
        client_for("social_worker")
        .get(reverse("neglect:profile-detail", args=[repeat.pk]))
        .content.decode()
    )
    assert 'role="img"' in page
    assert "Movement since the previous profile" in page
    table = page[page.index('id="movement-table"') :]
    assert "Better by 2" in table
    assert "No change" in table
    assert REVIEW  # the plan's review date is in the future of the pinned clock


def test_a_grade_chosen_is_kept_as_a_draft_until_the_area_is_saved(
    trained, people, template, client_for
) -> None:
    profile = profile_start(
        actor=trained["social_worker"], child=people["involved"], template=template
    )
    food = items(template)[0]
    client = client_for("social_worker")
    draft_url = reverse("neglect:profile-draft", args=[profile.pk])
    assert client.post(draft_url, {"kind": f"grade-{food.pk}", "text": "4"}).json()["saved"]
    for bad in ("6", "0", "four"):
        assert client.post(draft_url, {"kind": f"grade-{food.pk}", "text": bad}).status_code == 400
    assert ProfileDraft.objects.get(box=f"grade-{food.pk}").text == "4"
    page = client.get(reverse("neglect:profile-area", args=[profile.pk, 1])).content.decode()
    assert f'name="item-{food.pk}-grade" type="radio" value="4" checked' in page
    client.post(
        reverse("neglect:profile-area", args=[profile.pk, 1]),
        _area_data(profile, {food.pk: ("3", "Seen at the visit")}),
    )
    assert not ProfileDraft.objects.exists()
