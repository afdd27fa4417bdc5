"""Each figure counts what its definition says for October 2026, and nothing else: records
built by hand on each side of every boundary (the month's edges, the 12 months, the 45
working days, the two years, the review and visit clocks)."""

from datetime import date, timedelta

import pytest
from conftest import make_person

from safehub.insight import figures as f
from safehub.insight.tests.conftest import (
    OCT,
    Assessment,
    allocation,
    at,
    care,
    contact,
    cp_visit,
    episode,
    plan,
    review,
    went_missing,
)

pytestmark = pytest.mark.django_db


def month(code: str) -> f.Month:
    return f.FIGURES[code].compute([OCT])[OCT]


def children(m: f.Month, *, met: bool = True) -> set[int | None]:
    return {i.child_id for i in m.items if i.met is met}


def test_contacts_conversion_and_decisions_in_a_day(by):
    a, b, c = make_person("A", "One"), make_person("B", "Two"), make_person("C", "Three")
    # Received Friday 2 October, decided Monday 5th: one working day. A referral.
    contact(a, at(2026, 10, 2), at(2026, 10, 5, 16), "assessment")
    # Received Thursday 1 October, decided Monday 5th: late. Not a referral.
    contact(b, at(2026, 10, 1), at(2026, 10, 5), "nfa")
    # Received in September, decided 1 October within the day: counted for October decisions.
    contact(c, at(2026, 9, 30), at(2026, 10, 1), "strategy")
    contact(c, at(2026, 11, 1), None)  # November: not October's
    assert len(month("contacts").items) == 2
    conv = month("conversion")
    assert (conv.numerator, conv.denominator) == (2, 3)
    assert children(conv) == {a.pk, c.pk}
    day = month("decisions_in_a_day")
    assert children(day) == {a.pk, c.pk}
    assert children(day, met=False) == {b.pk}


def test_re_referrals_within_twelve_months(by):
    again, first, long_ago = (make_person(n, "R") for n in ("Again", "First", "Old"))
    episode(again, by, date(2026, 1, 10), date(2026, 3, 1))
    episode(again, by, date(2026, 10, 5))
    episode(first, by, date(2026, 10, 6))
    episode(long_ago, by, date(2025, 10, 1), date(2025, 11, 1))  # more than 12 months before
    episode(long_ago, by, date(2026, 10, 7))
    m = month("re_referrals")
    assert children(m) == {again.pk}
    assert m.denominator == 3


def test_assessments_within_45_working_days(by):
    on_time, late = make_person("On", "Time"), make_person("Late", "One")
    for child, done in ((on_time, date(2026, 10, 9)), (late, date(2026, 10, 20))):
        ep = episode(child, by, date(2026, 8, 1))
        Assessment.objects.create(
            episode=ep, start_date=date(2026, 8, 3), due_date=date(2026, 10, 9), completed_date=done
        )
    m = month("assessments_in_time")
    assert children(m) == {on_time.pk}
    assert children(m, met=False) == {late.pk}


def test_cp_plans_rate_second_plans_and_two_years(by, settings):
    settings.CHILD_POPULATION = 20_000
    open_, ended_in_oct, second, long = (make_person(n, "P") for n in "WXYZ")
    plan(open_, by, date(2026, 5, 1))
    plan(ended_in_oct, by, date(2026, 3, 1), date(2026, 10, 10))
    plan(second, by, date(2025, 1, 1), date(2025, 6, 1))
    plan(second, by, date(2026, 10, 3))
    plan(long, by, date(2024, 10, 1), date(2026, 10, 20))
    assert children(month("cp_plans")) == {open_.pk, second.pk}
    rate = month("cp_rate")
    assert f.value(f.FIGURES["cp_rate"], rate.numerator, rate.denominator) == 1.0
    assert children(month("cp_second")) == {second.pk}
    two = month("cp_two_years")
    assert children(two) == {long.pk}
    assert children(two, met=False) == {ended_in_oct.pk}


def test_rate_counts_children_on_record_without_a_population(by, settings):
    settings.CHILD_POPULATION = 0
    child = make_person("Rate", "Child", date(2015, 1, 1))
    make_person("Adult", "Person", date(1980, 1, 1), kind="adult")
    plan(child, by, date(2026, 5, 1))
    rate = month("cp_rate")
    assert (rate.numerator, rate.denominator) == (1, 1)


def test_cp_reviews_and_visits_in_time(by):
    timely, late = make_person("Timely", "R"), make_person("Late", "R")
    p1 = plan(timely, by, date(2026, 7, 10))
    review(p1, by, date(2026, 10, 9))  # within three months of the plan's start
    p2 = plan(late, by, date(2026, 4, 1))
    review(p2, by, date(2026, 4, 20))
    review(p2, by, date(2026, 10, 30))  # more than six months after the review before
    m = month("cp_reviews_in_time")
    assert children(m) == {timely.pk}
    assert children(m, met=False) == {late.pk}
    cp_visit(p1, by, date(2026, 9, 28))
    cp_visit(p1, by, date(2026, 10, 9))  # 9 working days later
    cp_visit(p2, by, date(2026, 9, 1))
    cp_visit(p2, by, date(2026, 10, 6))  # 25 working days later
    v = month("cp_visits_in_time")
    assert children(v) == {timely.pk}
    assert children(v, met=False) == {late.pk}


def test_looked_after_placements_stability_and_missing(by):
    settled = make_person("Settled", "C", date(2014, 1, 1))
    moved = make_person("Moved", "C", date(2012, 1, 1))
    left = make_person("Left", "C", date(2012, 1, 1))
    care(settled, by, date(2023, 1, 1), ((date(2023, 6, 1), "L"), (date(2024, 3, 1), "P")))
    care(moved, by, date(2023, 1, 1), ((date(2026, 1, 5), "P"), (date(2026, 6, 1), "T")))
    gone = care(left, by, date(2025, 1, 1))
    gone.end_date = date(2026, 10, 15)
    gone.save()
    assert children(month("looked_after")) == {settled.pk, moved.pk}
    three = month("three_placements")
    assert children(three) == {moved.pk}
    assert children(three, met=False) == {settled.pk}
    stable = month("long_term_stability")
    assert children(stable) == {settled.pk}
    assert children(stable, met=False) == {moved.pk}
    went_missing(moved, by, date(2026, 10, 2))
    went_missing(settled, by, date(2026, 9, 2))  # September: not October's
    assert children(month("missing")) == {moved.pk}


def test_placements_more_than_20_miles_from_home(by):
    far, near, unknown = (make_person(n, "Placed") for n in ("Far", "Near", "Unknown"))
    care(far, by, date(2026, 1, 1), postcodes=("DS1 1AA", "DS10 2AB"))
    care(near, by, date(2026, 1, 1), postcodes=("DS1 1AA", "DS2 4AB"))
    care(unknown, by, date(2026, 1, 1), postcodes=("DS1 1AA", "ZZ9 9ZZ"))
    m = month("placed_far")
    assert children(m) == {far.pk}
    assert children(m, met=False) == {near.pk}
    assert 20 < (f.miles_between("DS1 1AA", "DS10 2AB") or 0) < 30


def test_caseloads_per_worker(users, by):
    sw, colleague = users["social_worker"], users["colleague"]
    kids = [make_person(f"K{i}", "Case") for i in range(3)]
    allocation(kids[0], sw, date(2026, 1, 1))
    allocation(kids[1], sw, date(2026, 9, 1))
    allocation(kids[2], colleague, date(2026, 11, 2))  # after October
    m = month("caseloads")
    assert (m.numerator, m.denominator) == (2, 1)
    assert f.value(f.FIGURES["caseloads"], m.numerator, m.denominator) == 2.0


def test_months_run_to_the_given_month():
    months = f.months_to(date(2026, 10, 31))
    assert len(months) == 24
    assert (months[0], months[-1]) == (date(2024, 11, 1), OCT)
    assert f.month_end(date(2026, 2, 1)) == date(2026, 2, 1) + timedelta(days=27)


def test_a_chart_draws_englands_rate_or_share_but_not_its_count() -> None:
    from safehub.insight.comparators import charted, comparators_for
    from safehub.insight.figures import FIGURES

    assert FIGURES["looked_after"].kind == "count"
    assert comparators_for("looked_after")[0].value == 83630  # in the tables
    assert charted("looked_after", FIGURES["looked_after"].kind) is None
    rate = charted("looked_after_rate", FIGURES["looked_after_rate"].kind)
    assert rate is not None
    assert rate.value == 70.0
