"""The alerts through the API: listed, read with their explanation and facts, and worked
(acknowledged, acted on, dismissed) as on the pages, with the same refusals: a stale
version is a conflict, a missing reason or action is refused in plain English, and the
MASH's queue is only for those who triage. Who may reach which alert is the access matrix's
(tests/access_matrix/test_concern_matrix.py)."""

import json
from typing import Any

import pytest
from django.urls import reverse

from safehub.access.models import ApiToken, hash_token
from safehub.audit.models import AuditEvent
from safehub.concerns.models import Alert, AlertState

pytestmark = pytest.mark.django_db


def _headers(user: Any) -> dict[str, str]:
    secret = ApiToken.new_secret()
    ApiToken.objects.create(user=user, name="alerts", token_hash=hash_token(secret))
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _post(client: Any, url: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def test_the_mash_queue_lists_the_alert_soonest_due_first(mash_alert, users, client) -> None:
    headers = _headers(users["mash_worker"])
    url = reverse("api-v1:concern_alerts_api")
    listed = client.get(url, {"queue": "mash"}, **headers).json()
    assert (listed["total"], listed["page"], listed["pages"]) == (1, 1, 1)
    [item] = listed["items"]
    assert item["id"] == mash_alert.pk
    assert item["rule"] == "many-agencies-no-plan"
    assert item["person_id"] == mash_alert.person_id
    assert (item["state"], item["for_mash"], item["overdue"]) == ("new", True, True)
    assert AuditEvent.objects.filter(
        action="list",
        object_type="concerns.mash_alerts",
        subject_ids__contains=f",{item['person_id']},",
    ).exists()
    assert client.get(url, **headers).json()["total"] == 0  # none that they lead on
    worker = _headers(users["social_worker"])
    assert client.get(url, {"queue": "mash"}, **worker).status_code == 403


def test_an_alert_reads_with_its_rule_findings_and_facts(mash_alert, users, client) -> None:
    headers = _headers(users["mash_worker"])
    body = client.get(reverse("api-v1:concern_alert_api", args=[mash_alert.pk]), **headers).json()
    assert body["rationale"] == mash_alert.rule.rationale
    assert body["version"] == mash_alert.version
    assert "3 different agencies" in body["explanation"][0]["text"]
    summaries = [f["summary"] for f in body["facts"]]
    assert summaries[:2] == ["Hungry at school.", "Missed."]  # oldest first
    assert {f["entry_id"] for f in body["facts"]} == set(mash_alert.fact_ids)
    assert body["facts"][0]["agency"] == "Elm Primary School"
    assert body["hidden_facts"] == 0
    assert AuditEvent.objects.filter(
        action="view", object_type="concerns.Alert", person_id=mash_alert.person_id
    ).exists()


def test_acting_on_an_alert_records_it_and_a_stale_version_is_a_conflict(
    mash_alert, users, client
) -> None:
    headers = _headers(users["mash_worker"])
    act = reverse("api-v1:concern_alert_act_api", args=[mash_alert.pk])
    unknown = _post(client, act, {"version": mash_alert.version, "action_taken": "x"}, headers)
    assert unknown.status_code == 422
    assert "Select what you did about the alert" in json.dumps(unknown.json())
    # A colleague acknowledges it meanwhile: acting on the version read before is refused.
    colleague = _headers(users["mash_manager"])
    acknowledge = reverse("api-v1:concern_alert_acknowledge_api", args=[mash_alert.pk])
    seen = _post(client, acknowledge, {"version": mash_alert.version}, colleague).json()
    body = {"version": mash_alert.version, "action_taken": "contact", "note": "Contact C-9"}
    stale = _post(client, act, body, headers)
    assert stale.status_code == 409
    assert Alert.objects.get(pk=mash_alert.pk).state == AlertState.ACKNOWLEDGED
    acted = _post(client, act, {**body, "version": seen["version"]}, headers)
    assert acted.status_code == 200
    assert (acted.json()["state"], acted.json()["action_taken"]) == ("acted", "contact")
    mash_alert.refresh_from_db()
    assert (mash_alert.state, mash_alert.note) == (AlertState.ACTED, "Contact C-9")


def test_acknowledging_then_dismissing_needs_a_reason(mash_alert, users, client) -> None:
    headers = _headers(users["mash_worker"])
    acknowledge = reverse("api-v1:concern_alert_acknowledge_api", args=[mash_alert.pk])
    seen = _post(client, acknowledge, {"version": mash_alert.version}, headers).json()
    assert seen["state"] == "acknowledged"
    again = _post(client, acknowledge, {"version": seen["version"]}, headers)
    assert again.status_code == 422
    dismiss = reverse("api-v1:concern_alert_dismiss_api", args=[mash_alert.pk])
    blank = _post(client, dismiss, {"version": seen["version"], "reason": "  "}, headers)
    assert blank.status_code == 422
    assert "Enter why you are dismissing the alert" in json.dumps(blank.json())
    done = _post(client, dismiss, {"version": seen["version"], "reason": "Known to EH"}, headers)
    assert (done.json()["state"], done.json()["note"]) == ("dismissed", "Known to EH")
    # Closed alerts leave the open queue.
    listed = client.get(reverse("api-v1:concern_alerts_api"), {"queue": "mash"}, **headers)
    assert listed.json()["total"] == 0


def test_a_manager_lists_their_teams_alerts_as_the_page_does(
    mash_alert, users, people, client
) -> None:
    Alert.objects.create(
        rule=mash_alert.rule,
        rule_version=1,
        person=people["same_team"],
        raised_at=mash_alert.raised_at,
        fact_ids=[],
        explanation=[],
        fingerprint="team",
        lead_professional=users["colleague"],
        due_at=mash_alert.due_at,
    )
    url = reverse("api-v1:concern_alerts_api")
    listed = client.get(url, {"queue": "team"}, **_headers(users["team_manager"])).json()
    [item] = listed["items"]
    assert (item["person_id"], item["lead_professional_id"]) == (
        people["same_team"].pk,
        users["colleague"].pk,
    )
    assert AuditEvent.objects.filter(action="list", object_type="concerns.team_alerts").exists()
    worker = _headers(users["colleague"])
    assert client.get(url, {"queue": "team"}, **worker).status_code == 403
