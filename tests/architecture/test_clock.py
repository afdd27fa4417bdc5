"""The suite runs on a pinned clock (conftest.TEST_NOW), so no test depends on the day it
runs: the product's own reads of the clock see the pinned day too."""

import re
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from conftest import TEST_NOW, TEST_TODAY
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[2]
CLOCK_READ = re.compile(r"timezone\.now\(|localdate\(|date\.today\(|datetime\.now\(|time\.time\(")


def test_every_clock_the_product_reads_is_pinned() -> None:
    assert timezone.localdate() == TEST_TODAY
    assert abs(time.time() - TEST_NOW.timestamp()) < 24 * 3600
    assert abs((timezone.now() - TEST_NOW).total_seconds()) < 24 * 3600
    assert datetime.now(tz=ZoneInfo("Europe/London")).date() == TEST_TODAY


def test_no_test_module_reads_the_clock_when_imported() -> None:
    """A clock read at module level runs at collection, before the clock is pinned."""
    offenders = []
    files = [*ROOT.glob("tests/**/*.py"), *ROOT.glob("src/safehub/*/tests/*.py")]
    for path in files:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if line[:1] not in ("", " ", "#", ")", "]", "}") and CLOCK_READ.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)
