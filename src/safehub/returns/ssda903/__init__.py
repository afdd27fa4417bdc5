"""The SSDA903 children-looked-after return: its files (`spec.py`), produced from live
records (`export.py`) and validated (`validate.py`, `rules.py`)."""
