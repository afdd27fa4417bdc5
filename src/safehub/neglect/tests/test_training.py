"""Training records: recorded one at a time or imported from a CSV file (a preview naming
each row's problems, then all rows or none), and the gate they open."""

from datetime import date
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import override_settings

from safehub.audit.models import AuditEvent
from safehub.core.exceptions import PermissionDeniedError
from safehub.neglect.models import ProfileTemplate, TrainingRecord
from safehub.neglect.services import (
    profile_start,
    training_csv_template,
    training_import_confirm,
    training_import_preview,
    training_record,
)
from safehub.neglect.tests.conftest import train

pytestmark = pytest.mark.django_db

HEADER = "practitioner,template,course,provider,completed_on,expires_on\n"


def test_a_manager_records_training_with_the_practitioners_agency(users, template) -> None:
    record = training_record(
        actor=users["team_manager"],
        practitioner=users["partner_practitioner"],
        template_name="Test profile",
        course="Neglect profile, one day",
        provider="Testshire Safeguarding Partnership",
        completed_on=date(2026, 5, 1),
        expires_on=date(2029, 5, 1),
    )
    assert record.agency == users["partner_practitioner"].agency
    assert record.recorded_by == users["team_manager"]
    audit = AuditEvent.objects.get(object_type="neglect.TrainingRecord")
    assert (audit.action, audit.actor) == ("create", users["team_manager"])


def test_a_social_worker_may_not_record_training(users, template) -> None:
    with pytest.raises(PermissionDeniedError):
        training_record(
            actor=users["social_worker"],
            practitioner=users["social_worker"],
            template_name="Test profile",
            course="x",
            provider="y",
            completed_on=date(2026, 5, 1),
            expires_on=date(2029, 5, 1),
        )


def test_training_must_name_a_loaded_template_and_expire_after_it_was_done(users, template):
    with pytest.raises(ValidationError) as raised:
        training_record(
            actor=users["system_administrator"],
            practitioner=users["social_worker"],
            template_name="Graded care",
            course="",
            provider="Partnership",
            completed_on=date(2026, 5, 1),
            expires_on=date(2026, 5, 1),
        )
    assert raised.value.message_dict == {
        "template_name": ["There is no profile template called 'Graded care'"],
        "course": ["Enter the name of the course"],
        "expires_on": ["The training must expire after the date it was completed"],
    }
    assert not TrainingRecord.objects.exists()


def test_the_import_preview_names_each_rows_problems_and_writes_nothing(users, template):
    csv_text = (
        HEADER
        + "sw,Test profile,Neglect profile,Partnership,2026-02-01,2029-02-01\n"
        + "nobody,Test profile,Neglect profile,Partnership,2026-02-01,2029-02-01\n"
        + "tm@example.org,Other tool,Neglect profile,Partnership,31/02/2026,2029-02-01\n"
    )
    rows = training_import_preview(actor=users["team_manager"], csv_text=csv_text)
    assert [(row.line, row.problems) for row in rows] == [
        (2, []),
        (3, ["No SafeHub user has the username or e-mail 'nobody'"]),
        (
            4,
            [
                "There is no profile template called 'Other tool'",
                "'31/02/2026' is not a date like 2026-03-31 or 31/03/2026",
            ],
        ),
    ]
    assert not TrainingRecord.objects.exists()
    with pytest.raises(ValidationError) as raised:
        training_import_confirm(actor=users["team_manager"], csv_text=csv_text)
    assert raised.value.messages[0] == (
        "Line 3: No SafeHub user has the username or e-mail 'nobody'"
    )
    assert not TrainingRecord.objects.exists()


def test_a_clean_import_records_every_row(users, template) -> None:
    csv_text = (
        HEADER
        + "sw,Test profile,Neglect profile,Partnership,2026-02-01,2029-02-01\n"
        + "DSL@example.org,Test profile,Neglect profile,Partnership,01/03/2026,01/03/2029\n"
    )
    records = training_import_confirm(actor=users["team_manager"], csv_text=csv_text)
    assert [(r.practitioner, r.agency, r.expires_on) for r in records] == [
        (users["social_worker"], users["social_worker"].agency, date(2029, 2, 1)),
        (users["partner_practitioner"], users["partner_practitioner"].agency, date(2029, 3, 1)),
    ]


def test_a_file_without_the_columns_is_refused(users, template) -> None:
    with pytest.raises(ValidationError, match="missing: course, provider"):
        training_import_preview(
            actor=users["team_manager"],
            csv_text="practitioner,template,completed_on,expires_on\nsw,x,y,z\n",
        )


@override_settings(NEGLECT_LEAD_CONTACT="Sam Lee, neglect lead, on 01234 567890")
def test_only_current_training_lets_a_practitioner_start(
    users: Any, people: Any, template: ProfileTemplate
) -> None:
    sw, child = users["social_worker"], people["involved"]
    with pytest.raises(PermissionDeniedError) as raised:
        profile_start(actor=sw, child=child, template=template)
    assert raised.value.message == (
        "You need current training in the Test profile to start a profile. "
        "To arrange training, contact Sam Lee, neglect lead, on 01234 567890."
    )
    train(sw, template, expires=date(2026, 11, 22))  # expired yesterday
    with pytest.raises(PermissionDeniedError):
        profile_start(actor=sw, child=child, template=template)
    train(sw, template, expires=date(2026, 11, 23))  # runs to the end of today
    assert profile_start(actor=sw, child=child, template=template).started_by == sw
    with time_machine.travel(date(2026, 11, 24)), pytest.raises(PermissionDeniedError):
        profile_start(actor=sw, child=child, template=template)


def test_the_csv_template_has_every_column_and_an_example(users, template) -> None:
    text = training_csv_template()
    assert text.splitlines()[0] == HEADER.strip()
    # The example row is refused only because j.smith and the demo template are not here.
    (row,) = training_import_preview(actor=users["team_manager"], csv_text=text)
    assert row.problems == [
        "No SafeHub user has the username or e-mail 'j.smith'",
        "There is no profile template called 'Demoshire neglect profile'",
    ]
