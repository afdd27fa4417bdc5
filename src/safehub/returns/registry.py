"""The rule registry every return's validator shares (CIN now; SSDA903 and Annex A next).

A rule is a DfE validation rule number, whether it is an error (must be fixed) or a query
(fixed or explained; codes ending in Q), the DfE's meaning in our own words, the collection
years it belongs to, and a function that takes the return's tables (pandas DataFrames) and
returns the rows that break it, all at once: no rule loops over children. (The CIN census's
tables are pandas DataFrames; the SSDA903's are SQLite tables, ADR 0059.)"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

ERROR, QUERY = "error", "query"

# A check takes the tables and the context (the year's dates) and returns the rows that
# break it, with at least the child's ID and the row's `line`; other columns name the values
# shown. The return's validator says what its tables and rows are (pandas frames for the CIN
# census, SQL over a throwaway SQLite database for the 903), so this module imports neither.
Check = Callable[[Any, Any], Any]


@dataclass(frozen=True)
class Rule:
    code: str
    message: str
    years: tuple[str, ...]
    check: Check
    table: str  # the table its findings point into ("" for a rule about the whole return)
    fields: tuple[str, ...]
    la_level: bool = False  # about the return as a whole, not one child

    @property
    def severity(self) -> str:
        return QUERY if self.code.endswith("Q") else ERROR


@dataclass
class RuleSet:
    """The rules of one return, each registered once with the years it applies to."""

    name: str
    rules: dict[str, Rule] = field(default_factory=dict)

    def rule(
        self,
        code: str,
        message: str,
        *,
        table: str,
        fields: Iterable[str],
        years: Iterable[str],
        la_level: bool = False,
    ) -> Callable[[Check], Check]:
        def register(check: Check) -> Check:
            if code in self.rules:
                raise ValueError(f"{self.name} rule {code} is registered twice")
            self.rules[code] = Rule(
                code, message, tuple(years), check, table, tuple(fields), la_level
            )
            return check

        return register

    def for_year(self, year: str) -> list[Rule]:
        return sorted((r for r in self.rules.values() if year in r.years), key=_order)


def _order(rule: Rule) -> tuple[int, str]:
    digits = "".join(c for c in rule.code if c.isdigit())
    return int(digits or 0), rule.code
