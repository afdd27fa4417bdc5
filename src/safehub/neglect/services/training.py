"""Who is trained in which profile tool: recording one training record, importing many from
a CSV file (preview each row's problems, then confirm), and the gate that lets only a
practitioner with current training start or complete a profile."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from safehub.access.policy import can_record_neglect_training
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record
from safehub.core.exceptions import PermissionDeniedError
from safehub.core.text import clean_text
from safehub.neglect.models import ProfileTemplate, TrainingRecord
from safehub.organisations.models import User

CSV_COLUMNS = ["practitioner", "template", "course", "provider", "completed_on", "expires_on"]
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


def training_csv_template() -> str:
    """The file to fill in for an import: the header row and one example row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerow(
        [
            "j.smith",
            "Demoshire neglect profile",
            "Neglect profile (one day)",
            "Demoshire Safeguarding Children Partnership",
            "2026-03-01",
            "2029-03-01",
        ]
    )
    return out.getvalue()


def _must_record_training(actor: User) -> None:
    if not can_record_neglect_training(actor):
        raise PermissionDeniedError("Only a team manager or an administrator can record training.")


def _checked(
    *,
    practitioner: User | None,
    template_name: Any,
    course: Any,
    provider: Any,
    completed_on: Any,
    expires_on: Any,
) -> tuple[dict[str, Any], dict[str, str]]:
    """The record's fields and, by field, what is wrong with them."""
    errors: dict[str, str] = {}
    fields: dict[str, Any] = {"practitioner": practitioner}
    if practitioner is None or not practitioner.is_active:
        errors["practitioner"] = "Choose a practitioner with an active SafeHub account"
    elif practitioner.agency_id is None:
        errors["practitioner"] = "The practitioner has no agency recorded; add one first"
    name = str(template_name or "").strip()
    if not name:
        errors["template_name"] = "Enter the profile template the course qualifies for"
    elif not ProfileTemplate.objects.filter(name=name).exists():
        errors["template_name"] = f"There is no profile template called '{name}'"
    fields["template_name"] = name
    for key, label in (("course", "the name of the course"), ("provider", "the provider")):
        try:
            fields[key] = clean_text(
                {"course": course, "provider": provider}[key], label=label, max_length=200
            )
        except ValidationError as error:
            errors[key] = error.messages[0]
    for key, value, label in (
        ("completed_on", completed_on, "the date the course was completed"),
        ("expires_on", expires_on, "the date the training expires"),
    ):
        if not isinstance(value, date):
            errors[key] = f"Enter {label}"
        fields[key] = value
    if "completed_on" not in errors and completed_on > timezone.localdate():
        errors["completed_on"] = "The date the course was completed must be today or in the past"
    if not {"completed_on", "expires_on"} & set(errors) and expires_on <= completed_on:
        errors["expires_on"] = "The training must expire after the date it was completed"
    return fields, errors


def _create(actor: User, fields: dict[str, Any]) -> TrainingRecord:
    practitioner = fields["practitioner"]
    record = TrainingRecord.objects.create(
        agency_id=practitioner.agency_id, recorded_by=actor if actor.pk else None, **fields
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="neglect.TrainingRecord",
        object_id=record.pk,
        detail={"practitioner": practitioner.pk, "template": record.template_name},
    )
    return record


@transaction.atomic
def training_record(
    *,
    actor: User,
    practitioner: User | None,
    template_name: Any,
    course: Any,
    provider: Any,
    completed_on: Any,
    expires_on: Any,
) -> TrainingRecord:
    """Record that `practitioner` completed a course qualifying them for the template
    called `template_name` (every version of it) until `expires_on`."""
    _must_record_training(actor)
    fields, errors = _checked(
        practitioner=practitioner,
        template_name=template_name,
        course=course,
        provider=provider,
        completed_on=completed_on,
        expires_on=expires_on,
    )
    if errors:
        raise ValidationError(errors)
    return _create(actor, fields)


@dataclass
class TrainingRow:
    """One row of an import: its line in the file, what it would record, what is wrong."""

    line: int
    values: dict[str, str]
    problems: list[str] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)


def _parse_date(value: str) -> date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value.strip(), fmt).date()  # noqa: DTZ007 (a date alone)
        except ValueError:
            continue
    return None


def practitioner_by_login(key: str) -> User | None:
    """The user with this username or e-mail address (either, any case), if any."""
    key = key.strip()
    if not key:
        return None
    return User.objects.filter(Q(username__iexact=key) | Q(email__iexact=key)).first()


def training_import_preview(*, actor: User, csv_text: str) -> list[TrainingRow]:
    """Every row of the CSV file with its problems in plain English; writes nothing. The
    columns: practitioner (username or e-mail), template, course, provider, completed_on
    and expires_on (2026-03-31 or 31/03/2026)."""
    _must_record_training(actor)
    reader = csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff")))
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in CSV_COLUMNS if c not in headers]
    if missing:
        raise ValidationError(
            "The file's first line must name the columns; missing: " + ", ".join(missing)
        )
    rows = []
    for raw in reader:
        values = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        row = TrainingRow(line=reader.line_num, values=values)
        practitioner = practitioner_by_login(values["practitioner"])
        completed, expires = _parse_date(values["completed_on"]), _parse_date(values["expires_on"])
        row.fields, errors = _checked(
            practitioner=practitioner,
            template_name=values["template"],
            course=values["course"],
            provider=values["provider"],
            completed_on=completed,
            expires_on=expires,
        )
        if "practitioner" in errors and practitioner is None:
            who = values["practitioner"] or "(blank)"
            errors["practitioner"] = f"No SafeHub user has the username or e-mail '{who}'"
        for key in ("completed_on", "expires_on"):
            if key in errors and values[key] and (completed, expires)[key == "expires_on"] is None:
                errors[key] = f"'{values[key]}' is not a date like 2026-03-31 or 31/03/2026"
        row.problems = list(errors.values())
        rows.append(row)
    if not rows:
        raise ValidationError("The file has no rows after its first line")
    return rows


@transaction.atomic
def training_import_confirm(*, actor: User, csv_text: str) -> list[TrainingRecord]:
    """Record every row of the file, or none: refused while any row has a problem."""
    rows = training_import_preview(actor=actor, csv_text=csv_text)
    bad = [row for row in rows if row.problems]
    if bad:
        raise ValidationError([f"Line {row.line}: {'; '.join(row.problems)}" for row in bad])
    return [_create(actor, row.fields) for row in rows]


def has_current_training(*, user: User, template: ProfileTemplate, on: date) -> bool:
    return TrainingRecord.objects.filter(
        practitioner=user,
        template_name=template.name,
        completed_on__lte=on,
        expires_on__gte=on,
    ).exists()


def require_current_training(
    *, user: User, template: ProfileTemplate, on: date, doing: str
) -> None:
    """Refuse, naming who to contact, unless `user` holds training in `template` that is
    current on `on` (completed by then and expiring on or after it)."""
    if has_current_training(user=user, template=template, on=on):
        return
    raise PermissionDeniedError(
        f"You need current training in the {template.name} to {doing}. "
        f"To arrange training, contact {settings.NEGLECT_LEAD_CONTACT}."
    )


def training_refusal(*, user: User, templates: list[ProfileTemplate], on: date) -> str | None:
    """Why `user` cannot start a profile on any of `templates` today, naming who to
    contact; None when they hold current training in at least one."""
    if not templates:
        return (
            "No profile template is loaded yet, so no profile can be started. "
            f"Contact {settings.NEGLECT_LEAD_CONTACT}."
        )
    refusal = ""
    for template in templates:
        try:
            require_current_training(user=user, template=template, on=on, doing="start a profile")
        except PermissionDeniedError as error:
            refusal = refusal or error.message
        else:
            return None
    return refusal
