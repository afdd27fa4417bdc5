"""What every CIN rule module shares: the rule set, the context a check runs in (the census
year's dates) and the few column operations rules are built from. The rules themselves are in
`rules.py` (each written out), `rule_table.py` (rules that share a shape, as a table) and
`rules_children.py` (about the child), `rules_links.py` (across an episode's modules);
importing `rules` registers them all."""

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from safehub.core.workdays import is_working_day
from safehub.returns.cin.spec import YEARS, CensusYear
from safehub.returns.registry import RuleSet

CIN_RULES = RuleSet("CIN census")
ALL_YEARS = tuple(YEARS)
SEX_YEARS = ("2024-25", "2025-26")  # Sex (M/F/U) replaced GenderCurrent in 2024-25

Tables = dict[str, pd.DataFrame]


@dataclass(frozen=True)
class Context:
    census: CensusYear
    reference_date: date  # as the header gives it (the year's end when it is missing)

    @property
    def start(self) -> pd.Timestamp:
        return pd.Timestamp(self.census.start)

    @property
    def end(self) -> pd.Timestamp:
        return pd.Timestamp(self.census.end)


def found(frame: pd.DataFrame, mask: "pd.Series[bool]", *fields: str) -> pd.DataFrame:
    return frame.loc[mask, ["LAchildID", "line", *fields]]


def whole_return(detail: str) -> pd.DataFrame:
    return pd.DataFrame({"LAchildID": [""], "line": [None], "detail": [detail]})


def nothing() -> pd.DataFrame:
    return pd.DataFrame({"LAchildID": [], "line": []})


def with_referral(t: Tables, frame: pd.DataFrame) -> pd.DataFrame:
    episode = t["cin"][["CINdetailsID", "CINreferralDate", "ReferralNFA", "ReasonForClosure"]]
    return frame.merge(episode, on="CINdetailsID", how="left")


def working_days_back(end: date, days: int) -> pd.Timestamp:
    """The day `days` working days before `end`: work started before it has taken more
    than `days` working days by `end` (England-and-Wales bank holidays, `core.workdays`)."""
    day, counted = end, 0
    while counted < days:
        if is_working_day(day):
            counted += 1
        day -= timedelta(days=1)
    return pd.Timestamp(day)


def weekend(dates: "pd.Series[pd.Timestamp]") -> "pd.Series[bool]":
    return dates.notna() & (dates.dt.day_of_week >= 5)
