"""Ofsted's ILACS Annex A child-level lists 1 to 11 as one workbook: the lists described once
(`spec.py`), their rows read from live records (`export.py`) and written by openpyxl."""
