"""Demoshire's neglect profile tool: the neutral template SafeHub ships, and training in it
for the demo sign-ins who complete or supervise profiles."""

from datetime import date, timedelta
from pathlib import Path

from safehub.access.policy import rules_for
from safehub.demo.generator.organisations import PRINTED_SIGNINS
from safehub.neglect.models import TrainingRecord
from safehub.neglect.services import template_load_file
from safehub.organisations.models import User

DEMO_TEMPLATE = (
    Path(__file__).resolve().parents[2] / "neglect" / "profiles" / "demoshire-neglect-profile.json"
)


def seed_neglect(as_of: date) -> int:
    """Load the demo template and train the printed sign-ins whose role completes or signs
    off profiles (trained 200 days before `as_of`, for three years). Returns how many."""
    template, _ = template_load_file(path=DEMO_TEMPLATE)
    names = [s.username for s in PRINTED_SIGNINS]
    trained = [
        user
        for user in User.objects.filter(username__in=names, agency__isnull=False)
        if rules_for(user).can_profile_neglect or rules_for(user).can_supervise_neglect_profiles
    ]
    completed = as_of - timedelta(days=200)
    TrainingRecord.objects.bulk_create(
        TrainingRecord(
            practitioner=user,
            agency_id=user.agency_id,
            template_name=template.name,
            course="Using the Demoshire neglect profile (one day)",
            provider="Demoshire Safeguarding Children Partnership",
            completed_on=completed,
            expires_on=completed + timedelta(days=3 * 365),
        )
        for user in trained
    )
    return len(trained)
