"""Contact entries on children's chronologies credited the worker who linked the contact
(with the referrer's agency) and a decision's manager instead of the worker who made it.
Credit them as `frontdoor.services` now does, and give each signed-off decision its own
sign-off entry."""

from django.db import migrations

INDIVIDUAL_SOURCES = frozenset({"1A", "1B", "1C", "1D", "9", "10"})


def _label(contact, source_label):
    # frontdoor.services.referrer_label as it stood when this migration was written.
    lowered = source_label[:1].lower() + source_label[1:]
    if not source_label[1:2].islower():
        lowered = source_label
    if contact.channel != "phone":
        return f"a member of the public: {lowered}"
    if contact.referral_source in INDIVIDUAL_SOURCES or not contact.referrer_name:
        return f"a caller: {lowered}"
    return f"{contact.referrer_name} ({source_label}, by telephone)"


def _source_label(contact):
    return dict(type(contact)._meta.get_field("referral_source").choices).get(
        contact.referral_source, contact.referral_source
    )


def credit_contacts(apps, schema_editor):
    entry_model = apps.get_model("chronology", "ChronologyEntry")
    link_model = apps.get_model("chronology", "ChronologyLink")
    contact_model = apps.get_model("frontdoor", "Contact")
    entries = list(
        entry_model.objects.filter(
            source_type="frontdoor.Contact",
            event_type__in=["CONTACT_RECEIVED", "CONTACT_DECISION"],
        ).order_by("pk")
    )
    for start in range(0, len(entries), 1000):
        batch = entries[start : start + 1000]
        contacts = contact_model.objects.select_related("decided_by", "signed_off_by").in_bulk(
            {int(e.source_id) for e in batch if e.source_id.isdigit()}
        )
        for entry in batch:
            contact = contacts.get(int(entry.source_id)) if entry.source_id.isdigit() else None
            if contact is None:
                continue
            if entry.event_type == "CONTACT_RECEIVED":
                _credit_referrer(entry, contact)
            elif contact.decided_by_id and contact.decided_at:
                _credit_decision(entry, contact, entry_model, link_model)


def _credit_referrer(entry, contact):
    staff_id = contact.referrer_user_id
    entry.done_by_id = staff_id
    entry.done_by_label = "" if staff_id else _label(contact, _source_label(contact))
    entry.source_agency_id = contact.referrer_agency_id if staff_id else None
    entry.recorded_by_id = staff_id or contact.recorded_by_id
    entry.recorded_at = contact.created_at
    entry.save(
        update_fields=[
            "done_by",
            "done_by_label",
            "source_agency",
            "recorded_by",
            "recorded_at",
        ]
    )


def _credit_decision(entry, contact, entry_model, link_model):
    decider = contact.decided_by
    entry.done_by_id = entry.recorded_by_id = decider.pk
    entry.source_agency_id = decider.agency_id
    entry.occurred_at = entry.recorded_at = contact.decided_at
    entry.save(
        update_fields=["done_by", "recorded_by", "source_agency", "occurred_at", "recorded_at"]
    )
    link_model.objects.filter(entry=entry).update(occurred_at=contact.decided_at)
    signer = contact.signed_off_by
    if signer is None or contact.signed_off_at is None:
        return
    if entry_model.objects.filter(
        source_type="frontdoor.Contact",
        source_id=entry.source_id,
        event_type="CONTACT_DECISION_SIGNED_OFF",
    ).exists():
        return
    label = entry.summary.split(": ", 1)[-1]
    sign_off = entry_model.objects.create(
        occurred_at=contact.signed_off_at,
        time_known=True,
        done_by_id=signer.pk,
        source_agency_id=signer.agency_id,
        recorded_by_id=signer.pk,
        recorded_at=contact.signed_off_at,
        event_type="CONTACT_DECISION_SIGNED_OFF",
        category=entry.category,
        significance=1,
        summary=f"Decision on contact {contact.reference} signed off: {label}",
        source_type="frontdoor.Contact",
        source_id=entry.source_id,
    )
    link_model.objects.bulk_create(
        link_model(entry=sign_off, person_id=person_id, occurred_at=contact.signed_off_at)
        for person_id in link_model.objects.filter(entry=entry).values_list(
            "person_id", flat=True
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("frontdoor", "0004_phone_contact_recorded_by"),
        ("chronology", "0003_entry_done_by_and_time_known"),
    ]

    operations = [
        migrations.RunPython(credit_contacts, migrations.RunPython.noop, elidable=True),
    ]
