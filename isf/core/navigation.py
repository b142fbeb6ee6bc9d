"""The main navigation: the pages in menu order.

Entries name a URL; an entry appears when its URL exists and the access declaration (isf/core/access.py) lets the
user open it - no role list here. ``only`` narrows an entry to the roles whose daily work it is (a field rep may
open the customer screen, but his menu leads to his visit reports and appointments instead).
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from isf.core.access import can
from isf.core.roles import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    only: frozenset | None = None


NAV = [
    NavItem(_("Home"), "home"),
    NavItem(_("Work queue"), "planning:queue"),
    NavItem(_("Customer screen"), "calls:screen", only=frozenset({Role.INSIDE_LEAD, Role.INSIDE_AGENT, Role.SALES_LEAD})),
    NavItem(_("Accounts"), "customers:account-list"),
    NavItem(_("Visit report"), "visits:new"),
    NavItem(_("Appointments"), "campaigns:appointment-list", only=frozenset({Role.FIELD_REP})),
    NavItem(_("Order a service"), "service:order-new"),
    NavItem(_("Service orders"), "service:order-list"),
    NavItem(_("Segments"), "segmentation:kpis"),
    NavItem(_("Portfolio"), "segmentation:portfolio"),
    NavItem(_("Account owners"), "customers:owners"),
    NavItem(_("Care matrix"), "planning:matrix-list"),
    NavItem(_("Coverage"), "planning:coverage"),
    NavItem(_("Lifecycle"), "lifecycle:overview"),
    NavItem(_("Alerts"), "monitoring:overview"),
    NavItem(_("Leads"), "campaigns:lead-list"),
    NavItem(_("Campaigns"), "campaigns:campaign-list"),
    NavItem(_("References"), "references:list"),
    NavItem(_("Service catalog"), "service:catalog"),
    NavItem(_("SLA report"), "service:sla-report"),
    NavItem(_("Capacity"), "capacity:overview"),
    NavItem(_("KPI dashboard"), "capacity:dashboard"),
    NavItem(_("Inside sales results"), "calls:results"),
    NavItem(_("Reviews"), "reviews:list"),
    NavItem(_("Targets"), "targets:overview"),
    NavItem(_("Care cost"), "targets:care-cost"),
    NavItem(_("Imports"), "imports:list"),
    NavItem(_("Administration"), "admin:index"),
    NavItem(_("Operations"), "operations"),
]


def nav_for(user) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    items = []
    for item in NAV:
        if (item.only is not None and user.role not in item.only) or not can(user, item.url_name):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url, "name": item.url_name})
    return items
