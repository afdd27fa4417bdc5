"""The health endpoints answer every role and anyone signed out alike, with the state of the
service's parts and nothing about any person, and write no audit row (they read no person)."""

import pytest
from django.test import Client

from safehub.audit.models import AuditEvent
from tests.access_matrix.matrix import EVERY_SIGNED_IN_ROLE

CHECKS = {"healthz": {"status", "database"}, "readyz": {"status", "database", "cache", "queue"}}


@pytest.mark.parametrize("role", [*sorted(EVERY_SIGNED_IN_ROLE), "signed_out"])
@pytest.mark.parametrize("path", sorted(CHECKS))
def test_health_answers_everyone_the_same_and_names_nobody(role, path, people, client_for):
    client = Client() if role == "signed_out" else client_for(role)
    audit_rows = AuditEvent.objects.count()
    response = client.get(f"/{path}")
    assert response.status_code == 200, (role, path)
    assert set(response.json()) == CHECKS[path]
    content = response.content.decode()
    for person in people.values():
        assert person.family_name not in content
    assert AuditEvent.objects.count() == audit_rows
