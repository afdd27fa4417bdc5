"""One child's records, as the services would write them: the stand-ins of every area."""

from safehub.demo.generator.casework_records.assessments import AssessmentRecords
from safehub.demo.generator.casework_records.care import CareRecords
from safehub.demo.generator.casework_records.child_protection import ChildProtectionRecords
from safehub.demo.generator.casework_records.episodes import EpisodeRecords
from safehub.demo.generator.casework_records.visits_notes import VisitNoteRecords


class Case(
    EpisodeRecords, AssessmentRecords, ChildProtectionRecords, CareRecords, VisitNoteRecords
):
    """The records of one child, written through small stand-ins for the casework services:
    each keeps the same rules and registers and completes the same due items."""
