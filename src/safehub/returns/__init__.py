"""Statutory returns produced from live records and validated before they are sent: the CIN
census now (`returns.cin`); SSDA903 and Annex A sit beside it as sibling packages sharing
the rule registry (`registry.py`), the findings report (`report.py`) and the guarded XML
reader (`safexml.py`)."""
