"""Demoshire's social workers' Social Work England registration numbers: every case-holding
member of staff (social workers and their managers) has one, the same on every load (by
username), unique and in the register's form ("SW" and six digits)."""

from safehub.access.policy import case_holding_roles
from safehub.organisations.models import User

FIRST_NUMBER = 100_001


def seed_swe_registrations() -> int:
    """Give each case-holding user a number; returns how many."""
    staff = list(User.objects.filter(role__in=case_holding_roles()).order_by("username"))
    for number, user in enumerate(staff, start=FIRST_NUMBER):
        user.swe_registration = f"SW{number}"
    User.objects.bulk_update(staff, ["swe_registration"], batch_size=1_000)
    return len(staff)
