"""What the queue's scheduler runs (`manage.py qcluster`): thin entry points, each calling
one service (ADR 0043)."""

from safehub.returns.services import validation_nightly


def nightly_validation() -> str:
    return validation_nightly()
