"""CSV cells a spreadsheet shows as text and never runs as a formula."""

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from safehub.core.spreadsheet import FORMULA_STARTS, spreadsheet_cell, spreadsheet_csv


def test_each_formula_start_is_neutralised():
    for start in FORMULA_STARTS:
        assert spreadsheet_cell(f"{start}SUM(A1:A9)") == f"'{start}SUM(A1:A9)"


def test_ordinary_text_and_empty_cells_are_unchanged():
    assert spreadsheet_cell("Came to school hungry") == "Came to school hungry"
    assert spreadsheet_cell("") == ""
    assert spreadsheet_cell(None) == ""
    assert spreadsheet_cell(42) == "42"


@given(st.lists(st.lists(st.text(max_size=20), min_size=1, max_size=4), max_size=5))
def test_no_cell_read_back_starts_a_formula_and_nothing_else_changes(rows):
    text = spreadsheet_csv(["Header"], rows)
    back = list(csv.reader(io.StringIO(text, newline="")))
    assert back[0] == ["Header"]
    for sent, read in zip(rows, back[1:], strict=True):
        for original, cell in zip(sent, read, strict=True):
            assert not cell.startswith(FORMULA_STARTS)
            assert cell in (original, "'" + original)
