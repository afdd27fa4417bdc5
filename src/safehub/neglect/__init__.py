"""Neglect profiles: the graded profile tool's templates (loaded from a documented JSON file,
version-stamped), who is trained to use each template, and the profiles practitioners
complete for a child (grades and evidence per item, the family's views, scores rolled up by
the template's rule, an action plan and review date) and supervisors sign off.

Imports people, access, audit, chronology, organisations and core; never casework or
frontdoor."""
