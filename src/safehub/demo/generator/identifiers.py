"""Synthetic identifiers that pass SafeHub's own checks and never repeat.

Uniqueness comes from arithmetic, not from remembering what was issued, so a million-person
run needs no set of every number in memory.
"""

from stdnum.gb import upn as stdnum_upn

# Demo NHS numbers start with 9: England issues 400-499 and 600-799 to patients, so these
# cannot be a real person's number. `i -> (A*i + B) mod 10^8` is a bijection (A is coprime
# with 10^8), which spreads consecutive people over the range without repeats.
_NHS_SPACE = 10**8
_NHS_MULTIPLIER = 48_271_459
_NHS_OFFSET = 31_415_926

# The demo council issues UPNs under LA code 873 (a code stdnum knows); the 2-digit year is
# counted from a fixed year, so a child's UPN does not change with the day you seed.
UPN_LA_CODE = "873"
UPN_BASE_YEAR = 2026


def nhs_check_digit(nine: str) -> int:
    """Modulus 11 over the first nine digits; 10 means the number is not issued."""
    total = sum(int(d) * (10 - i) for i, d in enumerate(nine))
    check = 11 - total % 11
    return 0 if check == 11 else check


class NhsNumbers:
    def __init__(self) -> None:
        self.issued = 0
        self._i = 0

    def next(self) -> str:
        while True:
            nine = str(900_000_000 + (_NHS_MULTIPLIER * self._i + _NHS_OFFSET) % _NHS_SPACE)
            self._i += 1
            check = nhs_check_digit(nine)
            if check != 10:
                self.issued += 1
                return nine + str(check)


class Upns:
    """UPN = check letter + LA code + establishment number + 2-digit year + 3-digit serial,
    with a serial counter per (establishment, year)."""

    def __init__(self) -> None:
        self._serials: dict[tuple[str, int], int] = {}

    def next(self, establishments: list[str], age_years: int) -> str:
        """A UPN first issued by one of `establishments` (tried in order) when the child was
        four; the next establishment takes over if one year's 999 serials run out."""
        year = (UPN_BASE_YEAR - age_years + 4) % 100
        for establishment in establishments:
            serial = self._serials.get((establishment, year), 0) + 1
            if serial <= 999:
                self._serials[(establishment, year)] = serial
                body = f"{UPN_LA_CODE}{establishment}{year:02d}{serial:03d}"
                return stdnum_upn.calc_check_digit(body) + body
        raise RuntimeError("Out of UPN serials: add establishments")


def postcode(district: int, sector: int, unit: int, letters: str) -> str:
    """The `unit`-th postcode of a sector, e.g. postcode(3, 4, 0, ...) -> 'DS3 4AA'."""
    first, second = divmod(unit, len(letters))
    return f"DS{district} {sector}{letters[first % len(letters)]}{letters[second]}"
