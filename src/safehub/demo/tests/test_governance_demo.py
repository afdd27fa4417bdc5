"""The data protection officer and the system administrator find work in the demo: a record
opened by breaking the glass waiting for review and one reviewed, subject access requests
being answered (one extended), the police feed's live token and the one it replaced; each
with its audit row, and nothing dated after the day the council was built for."""

import html
from datetime import datetime, time

import pytest
from conftest import TEST_TODAY, sign_in
from django.test import Client
from django.urls import reverse

from safehub.access.models import ApiToken, BreakGlass
from safehub.audit.models import AuditEvent
from safehub.core.workdays import LONDON
from safehub.demo.generator import generate
from safehub.organisations.models import User
from safehub.subjectaccess.models import SubjectAccessRequest

pytestmark = pytest.mark.django_db


def test_the_demo_gives_the_governance_pages_their_work(client: Client) -> None:
    generate("small", persons=600, reference_date=TEST_TODAY)
    built = datetime.combine(TEST_TODAY, time(9), tzinfo=LONDON)
    waiting = BreakGlass.objects.filter(reviewed_at__isnull=True)
    assert waiting.count() == 1
    assert BreakGlass.objects.filter(reviewed_at__isnull=False).count() == 1
    for grant in BreakGlass.objects.all():
        assert grant.person.is_restricted
        assert grant.created_at < built
        assert AuditEvent.objects.filter(
            action="break_glass", object_id=str(grant.pk), person_id=grant.person_id
        ).exists()
    requests = SubjectAccessRequest.objects.all()
    assert requests.count() == 2
    assert requests.filter(extended_to__isnull=False).count() == 1
    assert all(r.received_on < TEST_TODAY for r in requests)
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 1
    assert ApiToken.objects.filter(revoked_at__isnull=False).count() == 1

    dpo = sign_in(client, User.objects.get(username="dpo"))
    queue = html.unescape(dpo.get(reverse("audit:break-glass-queue")).content.decode())
    assert waiting.get().reason[:40] in queue
    listed = html.unescape(dpo.get(reverse("subjectaccess:list")).content.decode())
    assert all(r.requester_name in listed for r in requests)
    admin = sign_in(Client(), User.objects.get(username="sysadmin"))
    tokens = admin.get(reverse("api-tokens:token-list")).content.decode()
    assert "Police case system: notifications feed" in tokens
