"""Reads compiled once and run with each call's keys (core.statements, ADR 0063): the same
rows as the queryset, the keys of this call and no other, and the reads that cannot be
compiled once refused when first compiled."""

from datetime import timedelta
from typing import Any

import pytest
from conftest import TEST_TODAY, make_person
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Count, Window
from django.test.utils import CaptureQueriesContext

from safehub.casework.models import DueItem
from safehub.core import statements
from safehub.core.statements import fixed_read, fixed_rows, group_by
from safehub.organisations.models import User
from safehub.people.models import Person

pytestmark = pytest.mark.django_db


def _due(child: Person, days: int, *, done: bool = False) -> DueItem:
    return DueItem.objects.create(
        child=child,
        kind="test",
        label=f"In {days} days",
        due_date=TEST_TODAY + timedelta(days=days),
        source_type="test",
        source_id=f"{child.pk}-{days}",
        done_on=TEST_TODAY if done else None,
    )


def _open(child_pk: int) -> Any:
    return (
        DueItem.objects.filter(child=child_pk, done_on__isnull=True)
        .annotate(_total=Window(Count("pk")))
        .order_by("-due_date", "-pk")[:2]
    )


@pytest.fixture(autouse=True)
def _forget_compiled() -> Any:
    """Each test compiles its reads afresh, as a new process would."""
    saved = dict(statements._compiled), dict(statements._models)
    statements._compiled.clear()
    yield
    statements._compiled.clear()
    statements._compiled.update(saved[0])
    statements._models.update(saved[1])


def test_the_same_rows_as_the_queryset_for_each_call_s_own_keys() -> None:
    ann, ben = make_person("Ann", "Fixed"), make_person("Ben", "Fixed")
    for days in (1, 5, 9):
        _due(ann, days)
    _due(ann, 3, done=True)
    _due(ben, 2)
    for child in (ann, ben, ann):  # compiled on the first call, reused for the others
        rows = fixed_read("test.open_due", _open, child.pk)
        expected = list(_open(child.pk))
        assert [(r.pk, r.label, r.due_date, r._total) for r in rows] == [
            (r.pk, r.label, r.due_date, r._total) for r in expected
        ]
        assert all(r._state.db == "default" and not r._state.adding for r in rows)
    assert [r.label for r in fixed_read("test.open_due", _open, ann.pk)] == [
        "In 9 days",
        "In 5 days",
    ]
    assert fixed_read("test.open_due", _open, 0) == []


def test_a_read_is_compiled_once_and_still_one_query_a_call(
    django_assert_num_queries: Any,
) -> None:
    child = make_person("Cal", "Fixed")
    _due(child, 4)
    fixed_read("test.open_due", _open, child.pk)
    calls: list[int] = []

    def counted(key: int) -> Any:
        calls.append(key)
        return _open(key)

    with django_assert_num_queries(1):
        rows = fixed_read("test.open_due", counted, child.pk)
    assert calls == []  # the build was not called again: the statement was kept
    assert len(rows) == 1


def test_related_rows_are_read_with_the_row(users: Any) -> None:
    worker = users["social_worker"]

    def reads(key: int) -> Any:
        return User.objects.filter(pk=key).select_related("team").only("username", "team__name")

    found = fixed_read("test.user_team", reads, worker.pk)
    with CaptureQueriesContext(connection) as captured:
        assert found[0].team.name == worker.team.name
        assert found[0].username == worker.username
    assert len(captured) == 0


@pytest.mark.parametrize(
    "build",
    [
        lambda k: DueItem.objects.filter(child=k, due_date__gte=TEST_TODAY),  # a day in it
        lambda k: DueItem.objects.filter(done_on__isnull=True),  # the key not in it
        lambda k: DueItem.objects.filter(child=k).values("pk"),  # not model instances
        lambda k: Person.objects.filter(pk=k).prefetch_related("names"),  # a prefetch
    ],
)
def test_a_read_that_cannot_be_compiled_once_is_refused(build: Any) -> None:
    with pytest.raises(ImproperlyConfigured):
        fixed_read("test.refused", build, 1)


def test_group_by_keeps_each_group_in_the_rows_order() -> None:
    class Row:
        def __init__(self, parent: int, n: int) -> None:
            self.parent_id, self.n = parent, n

    rows = [Row(1, 1), Row(2, 2), Row(1, 3), Row(2, 4), Row(1, 5)]
    grouped = group_by(rows, "parent_id")
    assert {k: [r.n for r in v] for k, v in grouped.items()} == {1: [1, 3, 5], 2: [2, 4]}


def test_rows_are_the_queryset_s_tuples_for_each_call_s_own_keys() -> None:
    ann, ben = make_person("Ann", "Rows"), make_person("Ben", "Rows")
    for days in (1, 5, 9):
        _due(ann, days)
    _due(ben, 2)

    def labels(key: int) -> Any:
        return _open(key).values_list("label", "due_date", "_total")

    for child in (ann, ben, ann):
        assert fixed_rows("test.open_due_rows", labels, child.pk) == list(labels(child.pk))
    assert fixed_rows("test.open_due_rows", labels, 0) == []


@pytest.mark.parametrize(
    "build",
    [
        lambda k: DueItem.objects.filter(child=k),  # model instances: fixed_read's
        lambda k: DueItem.objects.filter(child=k).values_list("pk", flat=True),  # not tuples
        lambda k: DueItem.objects.filter(child=k, due_date__gte=TEST_TODAY).values_list("pk"),
    ],
)
def test_rows_that_cannot_be_compiled_once_are_refused(build: Any) -> None:
    with pytest.raises(ImproperlyConfigured):
        fixed_rows("test.refused_rows", build, 1)


def test_a_text_key_reads_each_call_s_own_rows() -> None:
    ann, ben = make_person("Ann", "Texted"), make_person("Ben", "Texted")
    ann.upn, ben.upn = "A123456789012", "B123456789012"
    ann.save(update_fields=["upn"])
    ben.save(update_fields=["upn"])

    def by_upn(upn: str) -> Any:
        return Person.objects.filter(upn=upn)

    for person in (ann, ben, ann):
        assert fixed_read("test.by_upn", by_upn, str(person.upn)) == [person]
    assert fixed_read("test.by_upn", by_upn, "no such upn") == []
    # An injection-looking key is a parameter like any other.
    assert fixed_read("test.by_upn", by_upn, "x' OR '1'='1") == []

    def by_upn_and_pk(upn: str, pk: int) -> Any:
        return Person.objects.filter(upn=upn, pk=pk)

    assert fixed_read("test.by_upn_pk", by_upn_and_pk, str(ann.upn), ann.pk) == [ann]
    assert fixed_read("test.by_upn_pk", by_upn_and_pk, str(ann.upn), ben.pk) == []


def test_a_read_is_called_with_the_kinds_of_key_it_was_compiled_for() -> None:
    def by_pk(pk: Any) -> Any:
        return Person.objects.filter(pk=pk)

    fixed_read("test.kinds", by_pk, 1)
    with pytest.raises(TypeError):
        fixed_read("test.kinds", by_pk, "1")
    with pytest.raises(TypeError):
        fixed_read("test.kinds_bool", by_pk, True)


def test_a_text_key_the_lookup_changes_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured):  # `contains` wraps the key in wildcards
        fixed_read("test.contains", lambda t: Person.objects.filter(family_name__contains=t), "x")


def test_rows_left_as_a_prefetch_are_read_without_a_query() -> None:
    ann = make_person("Ann", "Prefetched")
    person = Person.objects.get(pk=ann.pk)
    names = list(ann.names.all())
    assert names
    statements.as_prefetched(person, "names", names)
    with CaptureQueriesContext(connection) as captured:
        assert list(person.names.all()) == names
        assert all(name.person is person for name in person.names.all())
    assert len(captured) == 0
