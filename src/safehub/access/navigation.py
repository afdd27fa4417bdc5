from typing import Any

from django.http import HttpRequest

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
    may_read_neglect_profiles,
    reviews_children_in_care,
)
from safehub.core.reversing import plain_reverser


def nav_for(request: HttpRequest) -> list[dict[str, Any]]:
    """Service navigation: only the places this user's role works in. What every signed-in
    person has (messages, their account, signing out) is in the header instead."""
    user = request.user
    if not user.is_authenticated:
        return []
    link = plain_reverser()
    items = []
    sections: dict[str, str] = {}  # an item's address -> the wider address it stands for
    if holds_cases(user):
        items.append(("My work", link("casework:my-work")))
    if can_manage_cases(user):
        items.append(("Team", link("casework:team-work")))
    if reviews_children_in_care(user):
        items.append(("My reviews", link("careplanning:iro-work")))
    if can_work_mash_queue(user):
        items.append(("MASH contacts", link("frontdoor:contact-queue")))
    elif can_refer(user):
        items.append(("Referrals", link("frontdoor:referral-list")))
        items.append(("Information requests", link("frontdoor:request-list")))
    if can_match_partner_events(user):
        items.append(("Partner information", link("partners:queue")))
    if can_open_registers(user):
        items.append(("Registers", link("hardtosee:registers")))
        items.append(("Contexts", link("hardtosee:contexts")))
        items.append(("MACE panels", link("hardtosee:panels")))
    elif can_hold_mace_actions(user):
        items.append(("MACE actions", link("hardtosee:my-actions")))
    if can_send_partner_events(user):
        items.append(("Send partner information", link("partners:upload")))
    if can_work_concern_alerts(user):
        alerts = "concerns:mash-alert-list" if can_triage(user) else "concerns:alert-list"
        items.append(("Concern alerts", link(alerts)))
        # Every alert list and alert is under the one item, whichever list it opens.
        sections[link(alerts)] = link("concerns:alert-list")
    if can_see_concern_rules(user):
        items.append(("Concern rules", link("concerns:rule-list")))
    if can_work_adopters(user):
        items.append(("Adopters", link("permanence:adopters")))
    if can_see_front_door_figures(user):
        items.append(("Front door health", link("frontdoor:queue-health")))
    if can_watch_partner_feeds(user):
        items.append(("Partner feeds", link("partners:feeds")))
    if can_list_encompass_notices(user):
        items.append(("Encompass notices", link("partners:notices")))
    if can_search_people(user):
        items.append(("Find a person", link("people:person-search")))
    if can_review_audit(user):
        items.append(("Access audit", link("audit:audit-home")))
        items.append(("Break-glass reviews", link("audit:break-glass-queue")))
        items.append(("User administration", link("audit:user-admin-log")))
    if can_handle_subject_access(user):
        items.append(("Subject access", link("subjectaccess:list")))
    if can_review_retention(user):
        items.append(("Retention", link("retention:review")))
    if can_manage_users(user):
        items.append(("Users", link("organisations:user-list")))
    if may_read_neglect_profiles(user):
        items.append(("Neglect profiles", link("neglect:work")))
    if can_record_neglect_training(user):
        items.append(("Neglect training", link("neglect:training-list")))
    if can_see_neglect_use(user):
        items.append(("Neglect profile use", link("neglect:use")))
    if can_see_performance(user):
        items.append(("Performance", link("insight:dashboard")))
    if can_produce_returns(user):
        items.append(("CIN census", link("returns:cin")))
        items.append(("SSDA903", link("returns:903")))
        items.append(("Ofsted Annex A", link("returns:annex-a")))
    if can_load_neglect_templates(user):
        items.append(("Neglect templates", link("neglect:templates")))
    # The page's place is the longest address it falls under: the partner information
    # queue (/mash/partner-information/) is not also "MASH contacts" (/mash/).
    under = {href: sections.get(href, href) for _, href in items}
    current = max(
        (h for h, within in under.items() if request.path.startswith(within)),
        key=lambda h: len(under[h]),
        default=None,
    )
    return [{"text": text, "href": href, "active": href == current} for text, href in items]
