"""The main navigation per role.

Entries name a URL; an entry whose URL does not exist (yet) is left out, so each feature
switches its menu item on simply by registering its URL name.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from isf.org.choices import Role

ALL = frozenset(Role.values)
LEADS = frozenset({Role.SALES_LEAD, Role.INSIDE_LEAD})
INSIDE = frozenset({Role.INSIDE_LEAD, Role.INSIDE_AGENT})
SALES = frozenset({Role.SALES_LEAD, Role.FIELD_REP, Role.INSIDE_LEAD, Role.INSIDE_AGENT})


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset


NAV = [
    NavItem(_("Home"), "home", ALL),
    NavItem(_("Work queue"), "planning:queue", SALES | {Role.MARKETING}),
    NavItem(_("Customer screen"), "calls:screen", INSIDE | {Role.SALES_LEAD}),
    NavItem(_("Accounts"), "customers:account-list", SALES | {Role.MARKETING, Role.ADMIN}),
    NavItem(_("Visit report"), "visits:new", frozenset({Role.FIELD_REP, Role.SALES_LEAD})),
    NavItem(_("Appointments"), "campaigns:appointment-list", frozenset({Role.FIELD_REP})),
    NavItem(_("Order a service"), "service:order-new", frozenset({Role.FIELD_REP, Role.SALES_LEAD})),
    NavItem(_("Service orders"), "service:order-list", SALES),
    NavItem(_("Segments"), "segmentation:kpis", LEADS),
    NavItem(_("Portfolio"), "segmentation:portfolio", LEADS | {Role.FIELD_REP}),
    NavItem(_("Care matrix"), "planning:matrix-list", SALES),
    NavItem(_("Coverage"), "planning:coverage", LEADS),
    NavItem(_("Lifecycle"), "lifecycle:overview", LEADS),
    NavItem(_("Alerts"), "monitoring:overview", INSIDE | {Role.SALES_LEAD}),
    NavItem(_("Leads"), "campaigns:lead-list", INSIDE | {Role.MARKETING, Role.SALES_LEAD}),
    NavItem(_("Campaigns"), "campaigns:campaign-list", INSIDE | {Role.MARKETING, Role.SALES_LEAD}),
    NavItem(_("Service catalog"), "service:catalog", LEADS | {Role.INSIDE_AGENT, Role.FIELD_REP}),
    NavItem(_("SLA report"), "service:sla-report", LEADS),
    NavItem(_("Capacity"), "capacity:overview", LEADS),
    NavItem(_("KPI dashboard"), "capacity:dashboard", LEADS),
    NavItem(_("Reviews"), "reviews:list", LEADS),
    NavItem(_("Imports"), "imports:list", frozenset({Role.ADMIN, Role.INSIDE_LEAD, Role.SALES_LEAD})),
    NavItem(_("Administration"), "admin:index", frozenset({Role.ADMIN})),
    NavItem(_("Operations"), "operations", frozenset({Role.ADMIN})),
]


def nav_for(user) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    role = Role.ADMIN if user.is_superuser and user.role == Role.ADMIN else user.role
    items = []
    for item in NAV:
        if role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url, "name": item.url_name})
    return items
