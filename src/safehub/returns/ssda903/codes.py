"""The 903's code sets taken from the records' choices (Django's `TextChoices`), and written
to `code_sets.json` beside this module, which `spec.py` reads. The validator reads the file
so that it need not load Django's models (ADR 0059); `manage.py returns_rules_doc` writes it
again and `returns/tests/test_903_files.py` fails when it differs from these."""

import json

from safehub.casework.codes import (
    AllocationReason,
    LegalStatus,
    MissingKind,
    Participation,
    PlacementChangeReason,
    PlacementProvider,
    PlacementType,
    PrimaryNeed,
    ReasonCeased,
    ReasonNewEpisode,
    SDQReason,
)
from safehub.leaving_care.codes import Accommodation, Activity, InTouch
from safehub.people.codes import Ethnicity, Sex
from safehub.permanence.codes import (
    AdopterLegalStatus,
    AdopterSexes,
    PreviousPermanence,
    ReversalReason,
)
from safehub.returns.ssda903.spec import CODE_SETS_FILE


def records_code_sets() -> dict[str, tuple[str, ...]]:
    """Each 903 code set as the records hold it."""
    accommodation = tuple(f"{a}{s}" for a in Accommodation.values for s in ("1", "2"))
    return {
        # 2024-25 replaced SEX 1/2 with M/F/U, as the CIN census did (reference.md section 2
        # still shows the earlier codes; the published validator's 2024-25 rule 101 has these).
        "sex": tuple(Sex.values),
        "ethnicity": tuple(Ethnicity.values),
        "mother": ("0", "1"),
        "rne": tuple(ReasonNewEpisode.values),
        "ls": tuple(LegalStatus.values),
        "cin": tuple(c for c in PrimaryNeed.values if c not in ("N0", "N9")),  # N1 to N8
        "place": tuple(PlacementType.values),
        "provider": tuple(PlacementProvider.values),
        "rec": tuple(ReasonCeased.values),
        "place_change": tuple(PlacementChangeReason.values),
        "review_code": tuple(Participation.values),
        "missing": tuple(MissingKind.values),
        "sdq_reason": tuple(SDQReason.values),
        "in_touch": tuple(InTouch.values),
        # The DfE's activity codes (`leaving_care.codes.Activity` and "0" for not in touch); a
        # record made before the retired F3/P3 were withdrawn is reported by rule 132.
        "activ": (*Activity.values, "0"),
        "accom": (*accommodation, "0"),
        "nb_adoptr": ("1", "2"),
        "sex_adoptr": tuple(AdopterSexes.values),
        "ls_adoptr": tuple(AdopterLegalStatus.values),
        "reason_placed_ceased": tuple(ReversalReason.values),
        "prev_perm": tuple(PreviousPermanence.values),
        "sw_reason": tuple(AllocationReason.values),
    }


def code_sets_json() -> str:
    return json.dumps(records_code_sets(), indent=1) + "\n"


def write_code_sets() -> None:
    CODE_SETS_FILE.write_text(code_sets_json(), encoding="utf-8")
