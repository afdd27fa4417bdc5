"""`access_person` refuses any id it is given in the same way, whatever its characters."""

import pytest

from safehub.access.policy import Action
from safehub.audit.models import AuditEvent
from safehub.core.exceptions import NotFound
from safehub.people.fetchers import access_person


@pytest.mark.parametrize("posted", ["7\x00", "\x00", "abc\x00def" * 20])
def test_an_id_with_a_nul_character_is_not_found_and_its_refusal_audited(users, posted):
    """Found by the form fuzzer on PostgreSQL: a NUL in a posted person id went into the
    refusal's audit row, which PostgreSQL's text columns reject, so linking a contact's
    subject to "7\\x00" was a server error instead of "not found"."""
    with pytest.raises(NotFound):
        access_person(actor=users["mash_worker"], person_id=posted, action=Action.EDIT)
    refusal = AuditEvent.objects.get(actor=users["mash_worker"])
    assert "\x00" not in refusal.object_id
    assert len(refusal.object_id) <= 60
