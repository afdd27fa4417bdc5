from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from safehub.access.policy import (
    can_handle_subject_access,
    can_hold_mace_actions,
    can_list_encompass_notices,
    can_load_neglect_templates,
    can_manage_cases,
    can_manage_users,
    can_match_partner_events,
    can_open_registers,
    can_produce_returns,
    can_record_neglect_training,
    can_refer,
    can_review_audit,
    can_review_retention,
    can_search_people,
    can_see_concern_rules,
    can_see_front_door_figures,
    can_see_neglect_use,
    can_see_performance,
    can_send_partner_events,
    can_triage,
    can_watch_partner_feeds,
    can_work_adopters,
    can_work_concern_alerts,
    can_work_mash_queue,
    holds_cases,
    reviews_children_in_care,
)


def nav_for(request: HttpRequest) -> list[dict[str, Any]]:
    """Service navigation: only the places this user's role can use."""
    user = request.user
    if not user.is_authenticated:
        return []
    items = []
    if holds_cases(user):
        items.append(("My work", reverse("casework:my-work")))
    if can_manage_cases(user):
        items.append(("Team", reverse("casework:team-work")))
    if reviews_children_in_care(user):
        items.append(("My reviews", reverse("careplanning:iro-work")))
    if can_work_mash_queue(user):
        items.append(("MASH contacts", reverse("frontdoor:contact-queue")))
    elif can_refer(user):
        items.append(("Referrals", reverse("frontdoor:referral-list")))
        items.append(("Information requests", reverse("frontdoor:request-list")))
    if can_match_partner_events(user):
        items.append(("Partner information", reverse("partners:queue")))
    if can_open_registers(user):
        items.append(("Registers", reverse("hardtosee:registers")))
        items.append(("Contexts", reverse("hardtosee:contexts")))
        items.append(("MACE panels", reverse("hardtosee:panels")))
    elif can_hold_mace_actions(user):
        items.append(("MACE actions", reverse("hardtosee:my-actions")))
    if can_send_partner_events(user):
        items.append(("Send partner information", reverse("partners:upload")))
    if can_work_concern_alerts(user):
        alerts = "concerns:mash-alert-list" if can_triage(user) else "concerns:alert-list"
        items.append(("Concern alerts", reverse(alerts)))
    if can_see_concern_rules(user):
        items.append(("Concern rules", reverse("concerns:rule-list")))
    if can_work_adopters(user):
        items.append(("Adopters", reverse("permanence:adopters")))
    if can_see_front_door_figures(user):
        items.append(("Front door health", reverse("frontdoor:queue-health")))
    if can_watch_partner_feeds(user):
        items.append(("Partner feeds", reverse("partners:feeds")))
    if can_list_encompass_notices(user):
        items.append(("Encompass notices", reverse("partners:notices")))
    if can_search_people(user):
        items.append(("Find a person", reverse("people:person-search")))
    if can_review_audit(user):
        items.append(("Access audit", reverse("audit:audit-home")))
        items.append(("Break-glass reviews", reverse("audit:break-glass-queue")))
        items.append(("User administration", reverse("audit:user-admin-log")))
    if can_handle_subject_access(user):
        items.append(("Subject access", reverse("subjectaccess:list")))
    if can_review_retention(user):
        items.append(("Retention", reverse("retention:review")))
    if can_manage_users(user):
        items.append(("Users", reverse("organisations:user-list")))
    if can_record_neglect_training(user):
        items.append(("Neglect training", reverse("neglect:training-list")))
    if can_see_neglect_use(user):
        items.append(("Neglect profile use", reverse("neglect:use")))
    if can_see_performance(user):
        items.append(("Performance", reverse("insight:dashboard")))
    if can_produce_returns(user):
        items.append(("CIN census", reverse("returns:cin")))
        items.append(("Ofsted Annex A", reverse("returns:annex-a")))
    if can_load_neglect_templates(user):
        items.append(("Neglect templates", reverse("neglect:templates")))
    items.append(("Messages", reverse("notifications:inbox")))
    items.append(("Your account", reverse("ui:account")))
    # The page's place is the longest address it falls under: the partner information
    # queue (/mash/partner-information/) is not also "MASH contacts" (/mash/).
    current = max((h for _, h in items if request.path.startswith(h)), key=len, default=None)
    return [{"text": text, "href": href, "active": href == current} for text, href in items]
