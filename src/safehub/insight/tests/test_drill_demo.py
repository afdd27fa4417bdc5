"""For every figure, a drill-down after the figures job lists the same items, in the same
order, as the figure worked out live for that month, filtered or not, page by page, on the
demo council (ADR 0054)."""

import io
from datetime import date
from typing import Any

import pytest
from conftest import TEST_TODAY, make_person
from django.core.management import call_command
from django.db import transaction

from safehub.insight import figures as f
from safehub.insight.models import MonthlyFigure
from safehub.insight.selectors import figure_drill
from safehub.insight.services import figures_refresh
from safehub.insight.tests.conftest import OCT, care
from safehub.organisations.models import User
from safehub.people.models import Person

pytestmark = pytest.mark.django_db

LATEST = OCT  # the last month the job works out on TEST_TODAY
A_YEAR_BEFORE = date(2025, 10, 1)


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """The demo council as of the suite's day with its figures worked out, once for the
    module, rolled back afterwards. The small demo has no child under 16 in care for two
    and a half years, so two are added: one settled, one moved last year."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command(
            "seed_demo", "--scale", "small", "--as-of", str(TEST_TODAY), stdout=io.StringIO()
        )
        by = User.objects.get(username="team.manager")
        care(make_person("Settled", "Long"), by, date(2021, 3, 1), ((date(2022, 5, 1), "P"),))
        care(make_person("Moved", "Long"), by, date(2021, 3, 1), ((date(2025, 12, 1), "P"),))
        figures_refresh(as_of=TEST_TODAY)
        yield User.objects.get(username="analyst")
        transaction.set_rollback(True)


def _every_page(actor: User, code: str, month: date, met: bool | None) -> tuple[Any, list]:
    first = figure_drill(actor=actor, code=code, month=month, met=met)
    items = [r.item for r in first.rows]
    for number in range(2, first.pages + 1):
        page = figure_drill(actor=actor, code=code, month=month, met=met, page=number)
        items += [r.item for r in page.rows]
    return first, items


@pytest.mark.parametrize("code", list(f.FIGURES))
def test_every_figure_drills_down_to_the_items_it_counts_live(demo, code):
    """The analyst sees every child by SafeHub ID but the restricted, who are counted; an
    item on no record (a contact not yet linked) is counted too. So the pages, walked end
    to end, list the live items less those, in the live order, filtered or not."""
    restricted = set(Person.objects.filter(is_restricted=True).values_list("pk", flat=True))
    listed_somewhere = 0
    for month in (LATEST, A_YEAR_BEFORE):
        live = f.FIGURES[code].compute([month])[month]
        stored = MonthlyFigure.objects.get(code=code, month=month)
        assert (stored.numerator, stored.item_count) == (live.numerator, len(live.items))
        for met in (None, True, False):
            expected = [i for i in f.in_listing_order(live.items) if met is None or i.met is met]
            drill, items = _every_page(demo, code, month, met)
            assert drill.worked_out_on == TEST_TODAY
            assert drill.total == len(expected), (month, met)
            assert drill.numerator == live.numerator
            assert drill.value == f.value(f.FIGURES[code], live.numerator, live.denominator)
            assert items == [i for i in expected if i.child_id and i.child_id not in restricted]
            listed_somewhere += len(items)
    assert listed_somewhere, f"the demo gives {code} nothing to list: the test shows nothing"
