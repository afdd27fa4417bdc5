"""Care leavers (ADR 0030): the category worked out from the care history, the personal
adviser, pathway plans, staying put, the 903 OC3 birthday records and the rows for the
returns."""
