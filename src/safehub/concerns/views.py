"""Concern alert and rule pages. Each view fetches through its fetcher, binds a form, calls
one service, and redirects or re-renders with the GOV.UK error summary."""

import json
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from safehub.access.navigation import nav_for
from safehub.access.policy import (
    Action,
    can_manage_concern_rules,
    can_see_concern_rules,
)
from safehub.casework.sections import MyWorkRead, Section
from safehub.chronology import registry
from safehub.chronology.models import Category
from safehub.concerns import forms, selectors, services
from safehub.concerns.describe import describe
from safehub.concerns.fetchers import access_alert, access_rule
from safehub.concerns.parsing import MAX_COUNT, MAX_DAYS, MEASURES, STATES, parse_definition
from safehub.concerns.selectors import AlertQueue
from safehub.core.exceptions import ConcurrentEditError
from safehub.core.users import SignedInRequest
from safehub.organisations.models import User
from safehub.ui.forms_util import add_service_errors
from safehub.ui.pagination import pagination


def _render(
    request: SignedInRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    forms_in = [v for v in context.values() if hasattr(v, "errors") and hasattr(v, "fields")]
    context.setdefault("has_errors", any(f.errors for f in forms_in))
    context.setdefault("nav_items", nav_for(request))
    context.setdefault("notices", list(messages.get_messages(request)))
    context.setdefault("now", timezone.now())  # an open alert past its due time is overdue
    return render(request, template, context, status=status)


# --- Alerts ------------------------------------------------------------------------------


QUEUE_PAGES = {
    AlertQueue.MINE: "concerns:alert-list",
    AlertQueue.MASH: "concerns:mash-alert-list",
    AlertQueue.TEAM: "concerns:team-alert-list",
}


def alert_list_view(request: SignedInRequest) -> HttpResponse:
    """The open alerts about children the user leads on."""
    return _alert_list(request, AlertQueue.MINE)


def mash_alert_list_view(request: SignedInRequest) -> HttpResponse:
    """The MASH's queue: open alerts about children with no lead professional."""
    return _alert_list(request, AlertQueue.MASH)


def team_alert_list_view(request: SignedInRequest) -> HttpResponse:
    """A manager's oversight: open alerts about children their team's workers lead on."""
    return _alert_list(request, AlertQueue.TEAM)


def _alert_list(request: SignedInRequest, queue: AlertQueue) -> HttpResponse:
    queues = selectors.alert_queues(request.user)
    if queue not in queues:
        raise Http404
    found = selectors.alerts_for(
        actor=request.user, queue=queue, states=selectors.OPEN_STATES, page=request.GET.get("page")
    )
    here = reverse(QUEUE_PAGES[queue])
    return _render(
        request,
        "concerns/alerts.html",
        {
            "alerts": found.alerts,
            "found": found,
            "pagination": pagination(
                here, {}, page=found.page, pages=found.pages, label="Pages of alerts"
            ),
            "queue": queue.value,
            "other_queues": [(q.value, reverse(QUEUE_PAGES[q])) for q in queues if q != queue],
        },
    )


def _alert_page(
    request: SignedInRequest, alert: Any, status: int = 200, **bound: Any
) -> HttpResponse:
    version = {"version": alert.version}
    facts = selectors.alert_facts(alert, actor=request.user)
    return _render(
        request,
        "concerns/alert.html",
        {
            "alert": alert,
            "facts": facts,
            "new_facts": _listed_once(alert.explanation, facts.entries),
            "fact_links": {
                pk: _on_the_chronology(alert.person_id, e) for pk, e in facts.entries.items()
            },
            "act": bound.get("act") or forms.ActForm(initial=version),
            "dismiss": bound.get("dismiss") or forms.DismissForm(initial=version),
            "conflict": bound.get("conflict", False),
            "unreadable": bound.get("unreadable", False),
        },
        status=status,
    )


FACTS_LISTED = 10  # a finding lists its latest entries; the chronology holds the rest


def _listed_once(
    explanation: list[dict[str, Any]], entries: dict[int, Any]
) -> list[dict[str, Any]]:
    """For each finding, the facts (those the reader may see) no earlier finding listed,
    the latest FACTS_LISTED of them, and how many earlier ones are left to the chronology:
    findings often rest on the same entries (a weight of concerns and the agencies behind
    them), and "at least one concern, ever" can rest on hundreds."""
    shown: set[int] = set()
    listed = []
    for finding in explanation:
        new = [fid for fid in finding.get("facts", []) if fid in entries and fid not in shown]
        shown.update(new)
        new.sort(key=lambda fid: (entries[fid].occurred_at, fid))
        listed.append({"ids": new[-FACTS_LISTED:], "earlier": max(0, len(new) - FACTS_LISTED)})
    return listed


def _guide() -> dict[str, Any]:
    """What the definition guide names, from the code the check uses."""
    areas = dict(Category.choices)
    return {
        "states": sorted(STATES.items()),
        "measures": sorted(MEASURES.items()),
        "max_days": MAX_DAYS,
        "max_count": MAX_COUNT,
        "event_types": [
            {"code": e.code, "label": e.label, "area": areas.get(e.category, e.category)}
            for e in registry.all_types()
        ],
    }


def _on_the_chronology(person_id: int, entry: Any) -> str:
    """The child's multi-agency chronology filtered to the day of `entry`: the fact among
    that day's entries, however far back it is."""
    day = timezone.localtime(entry.occurred_at).date()
    bounds = {
        f"{name}-{part}": value
        for name in ("date_from", "date_to")
        for part, value in (("day", day.day), ("month", day.month), ("year", day.year))
    }
    return f"{reverse('multiagency:chronology', args=[person_id])}?{urlencode(bounds)}#entries"


def alert_detail_view(request: SignedInRequest, alert_id: int) -> HttpResponse:
    alert = access_alert(actor=request.user, alert_id=alert_id)
    return _alert_page(request, alert)


def _work(
    request: SignedInRequest, alert_id: int, form: Any, name: str | None, save: Any, done: str
) -> HttpResponse:
    """`name` is the page's form that shows `form`'s errors; None for a form with nothing
    to show them in (the acknowledge button's hidden version): the page as it is now, 400."""
    alert = access_alert(actor=request.user, alert_id=alert_id, action=Action.EDIT)
    if form.is_valid():
        try:
            save(alert, form.cleaned_data)
        except ConcurrentEditError:
            alert = access_alert(actor=request.user, alert_id=alert_id)
            return _alert_page(request, alert, status=409, conflict=True)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("concerns:alert-detail", alert.pk)
    alert = access_alert(actor=request.user, alert_id=alert_id)
    if name is None:
        return _alert_page(request, alert, status=400, unreadable=True)
    return _alert_page(request, alert, **{name: form})


@require_POST
def alert_acknowledge_view(request: SignedInRequest, alert_id: int) -> HttpResponse:
    def save(alert: Any, data: dict[str, Any]) -> Any:
        return services.alert_acknowledge(
            actor=request.user, alert=alert, expected_version=data["version"], now=timezone.now()
        )

    form = forms.VersionForm(request.POST)
    return _work(request, alert_id, form, None, save, "You have acknowledged the alert.")


@require_POST
def alert_act_view(request: SignedInRequest, alert_id: int) -> HttpResponse:
    def save(alert: Any, data: dict[str, Any]) -> Any:
        return services.alert_act(
            actor=request.user,
            alert=alert,
            expected_version=data["version"],
            action_taken=data["action_taken"],
            note=data["note"],
            now=timezone.now(),
        )

    form = forms.ActForm(request.POST)
    return _work(request, alert_id, form, "act", save, "You have recorded what you did.")


@require_POST
def alert_dismiss_view(request: SignedInRequest, alert_id: int) -> HttpResponse:
    def save(alert: Any, data: dict[str, Any]) -> Any:
        return services.alert_dismiss(
            actor=request.user,
            alert=alert,
            expected_version=data["version"],
            reason=data["reason"],
            now=timezone.now(),
        )

    form = forms.DismissForm(request.POST)
    return _work(request, alert_id, form, "dismiss", save, "You have dismissed the alert.")


# --- Rules -------------------------------------------------------------------------------


def rule_list_view(request: SignedInRequest) -> HttpResponse:
    """Every rule and its live record (counts only, no names)."""
    if not can_see_concern_rules(request.user):
        raise Http404
    return _render(
        request,
        "concerns/rules.html",
        {"records": selectors.rule_records(), "can_manage": can_manage_concern_rules(request.user)},
    )


def rule_detail_view(request: SignedInRequest, rule_id: int) -> HttpResponse:
    rule = access_rule(actor=request.user, rule_id=rule_id)
    return _render(
        request,
        "concerns/rule.html",
        {
            "rule": rule,
            "definition": json.dumps(rule.definition, indent=2),
            "described": describe(parse_definition(rule.definition)),
            "versions": selectors.rule_versions(rule),
            "can_manage": can_manage_concern_rules(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def rule_edit_view(request: SignedInRequest, rule_id: int) -> HttpResponse:
    """Change a rule: first its back-test over the council's history is shown, then the
    manager confirms and the new version is saved with it."""
    rule = access_rule(actor=request.user, rule_id=rule_id, action=Action.EDIT)
    if request.method != "POST":
        form = forms.RuleForm(
            initial={
                "name": rule.name,
                "rationale": rule.rationale,
                "definition": json.dumps(rule.definition, indent=2),
                "active": rule.active,
                "version": rule.version,
            }
        )
        return _render(
            request, "concerns/rule_edit.html", {"rule": rule, "form": form, "guide": _guide()}
        )
    form = forms.RuleForm(request.POST)
    backtest = None
    described = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("confirm") == "yes":
                saved = services.concern_rule_save(
                    actor=request.user,
                    rule=rule,
                    expected_version=data["version"],
                    code=rule.code,
                    name=data["name"],
                    rationale=data["rationale"],
                    definition=data["definition"],
                    active=data["active"],
                    now=timezone.now(),
                )
                messages.success(request, f"Version {saved.version} of the rule is saved.")
                return redirect("concerns:rule-detail", rule.pk)
            parsed = services.concern_rule_check(
                name=data["name"], rationale=data["rationale"], definition=data["definition"]
            )
            backtest = selectors.backtest(code=rule.code, definition=parsed, until=timezone.now())
            described = describe(parsed)
        except ConcurrentEditError:
            form.add_error(
                None, "Someone else changed this rule meanwhile. Reload it and try again"
            )
        except ValidationError as error:
            add_service_errors(form, error)
    return _render(
        request,
        "concerns/rule_edit.html",
        {
            "rule": rule,
            "form": form,
            "backtest": backtest,
            "described": described,
            "guide": _guide(),
        },
    )


def team_section(actor: User, now: datetime) -> Section | None:
    """On a team manager's team page: how many open concern alerts their team's workers
    lead on, how many overdue, and the way to the list (which names the children)."""
    if AlertQueue.TEAM not in selectors.alert_queues(actor):
        return None
    return Section(
        template="concerns/_team.html",
        context={"counts": selectors.team_alert_counts(actor=actor, now=now)},
        title="Concern alerts",
        anchor="concern-alerts",
    )


def my_work_section(actor: User, today: date, read: MyWorkRead) -> Section | None:
    """The open concern alerts about children the worker leads on, in "my work"
    (casework.sections): soonest due first; the children named are in the page's audit
    row."""
    alerts, total = selectors.my_work_alerts(actor=actor, read=read)
    if not alerts:
        return None
    return Section(
        template="concerns/_my_work.html",
        context={"alerts": alerts, "total": total, "now": timezone.now()},
        listed="concerns.my_alerts",
        shown=tuple(a.person_id for a in alerts),
    )
