from django.db import models

from safehub.core.models import VersionedModel

ANALYSIS_MAX = 5000


class EntryNote(VersionedModel):
    """One practitioner's reading of one entry on a child's chronology: whether they mark it
    a key event, and their analysis of it. Each author keeps their own row (edited under
    optimistic locking); the entry is a key event for everyone once anyone marks it."""

    # The child whose chronology this is (an entry can concern several people).
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(
        "chronology.ChronologyEntry", on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")
    key_event = models.BooleanField(default=False)
    analysis = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "entry", "author"], name="entry_note_one_per_author"
            ),
        ]
        indexes = [
            models.Index(fields=["person", "entry"], name="entry_note_person_entry_idx"),
            models.Index(
                fields=["person", "entry"],
                name="entry_note_key_idx",
                condition=models.Q(key_event=True),
            ),
        ]
