"""Hard-to-see children: the registers of children a professional may not be seeing
(elective home education, missing education, babies under one, no recent contact), read
from the one multi-agency chronology, and the council's EHE officer for each child
(ADR 0025)."""
