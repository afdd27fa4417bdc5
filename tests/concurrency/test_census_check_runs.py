"""Two census checks started at the same moment, each on its own connection (ADR 0043):
they never run at once. Either one takes the lease and the other does not start, or the
second starts only after the first has finished; either way no issue is opened twice."""

import itertools
import threading
from datetime import date
from typing import Any

import pytest
from conftest import TEST_TODAY, make_person
from django.db import connections

from safehub.casework.models import Episode
from safehub.core.identifiers import UPN_LETTERS, upn_check_letter
from safehub.insight.tests.conftest import allocation
from safehub.returns.models import RunStatus, ValidationIssue, ValidationRun
from safehub.returns.services import validation_run

BODY = "201145001001"
GOOD = upn_check_letter(BODY) + BODY
BAD_UPN = UPN_LETTERS[(UPN_LETTERS.index(GOOD[0]) + 1) % len(UPN_LETTERS)] + BODY


@pytest.mark.django_db(transaction=True)
def test_two_census_checks_at_once_never_overlap(users: Any) -> None:
    for n in range(5):
        child = make_person("Leo", f"Ward{n}", date(2016, 5, 4), upn=BAD_UPN, sex="M")
        Episode.objects.create(
            kind="cin",
            child=child,
            referral_date=date(2026, 6, 1),
            referral_source="1A",
            primary_need="N1",
            opened_by=users["social_worker"],
        )
        allocation(child, users["social_worker"], date(2026, 6, 2))
    start = threading.Barrier(2)
    results: list[Any] = [None, None]
    errors: list[BaseException] = []

    def check(n: int) -> None:
        try:
            start.wait()
            results[n] = validation_run(as_of=TEST_TODAY)
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=check, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    ran = sorted((r for r in results if r is not None), key=lambda r: r.started_at)
    assert ran, "neither check ran"
    for earlier, later in itertools.pairwise(ran):
        assert earlier.finished_at <= later.started_at
    assert ValidationRun.objects.filter(status=RunStatus.RUNNING).count() == 0
    assert ValidationIssue.objects.filter(rule="1510", resolved_at__isnull=True).count() == 5
