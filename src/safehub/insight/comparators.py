"""England's (and, where a council adds them, its region's and statistical neighbours')
published figures, from the data file shipped with the app (`data/comparators.json`: each
figure with its area, period and source)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).with_name("data") / "comparators.json"


@dataclass(frozen=True)
class Comparator:
    area: str
    value: float
    period: str
    source: str


@cache
def _data() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def comparators_for(code: str) -> list[Comparator]:
    """The published figures for one dashboard figure, the newest first per area."""
    return [Comparator(**row) for row in _data()["figures"].get(code, [])]


def charted(code: str, kind: str) -> Comparator | None:
    """The published figure a chart draws beside the council's: the newest, and only for a
    rate or a share. A count is drawn alone: England's total (83,630 children looked after)
    on the same axis as one council's would flatten the council's line to nothing; the
    tables still give it."""
    found = comparators_for(code)
    return found[0] if found and kind != "count" else None


def missing_areas() -> list[str]:
    """What the shipped file does not hold, in words for the page."""
    return [
        str(part["note"])
        for key in ("region", "statistical_neighbours")
        if not (part := _data()[key]).get("name")
    ]
