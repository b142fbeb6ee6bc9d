"""Who may open which page: one table, enforced by RoleAccessMiddleware and walked by a test.

Rules are keyed by URL name ("namespace:name"), with "namespace:*" as the default of an app.
A route without any rule is denied (secure by default; the route-walking test names it). Object
permissions (a field rep sees his own and his region's accounts, margins only for leads and
the owner, ...) are applied on top by the selectors. docs/permissions.md explains the matrix.
"""

from django.shortcuts import redirect, render
from django.urls import resolve
from django.urls.exceptions import Resolver404

from isf.org.choices import Role

VL, AD, IDL, ID, MKT, ADMIN = (Role.SALES_LEAD, Role.FIELD_REP, Role.INSIDE_LEAD, Role.INSIDE_AGENT,
                               Role.MARKETING, Role.ADMIN)
TEL = Role.TELEPHONY  # the phone system's integration user: posts call events (isf/api/access.py), no page
EVERYONE = frozenset(Role.values) - {TEL}
LEADS = frozenset({VL, IDL})
SALES = frozenset({VL, AD, IDL, ID})
INSIDE = frozenset({IDL, ID})
PUBLIC = "public"

RULES: dict[str, frozenset | str] = {
    # shell
    "root": PUBLIC,
    "login": PUBLIC,
    "logout": PUBLIC,
    "set_language": PUBLIC,
    "home": EVERYONE,
    # customer base: marketing sees accounts for targeting (orders and margins are hidden for it)
    "customers:*": SALES | {MKT, ADMIN},
    # work queue
    "planning:*": SALES | {MKT},
    "planning:coverage": LEADS,
    "planning:replan": frozenset({AD, VL}),  # a rep's own planned visits
    "planning:matrix-list": LEADS | {AD, ID},
    "planning:matrix": LEADS | {AD, ID},
    "planning:matrix-edit": LEADS,  # the IDL opens it for the what-if workload only; the VL saves
    "planning:weights": frozenset({IDL}),
    "matrix-pdf": LEADS | {AD, ID},
    # segments
    # the IDL reads rules and the ABC proposal; the views let only the VL save
    "segmentation:*": LEADS,
    "segmentation:portfolio": LEADS | {AD},
    "segmentation:account-find": SALES,
    "segmentation:account-history": SALES,
    "segmentation:segment-new": frozenset({VL}),
    "segmentation:segment-edit": frozenset({VL}),
    "lifecycle:*": LEADS,
    "lifecycle:account": SALES,
    # field to inside
    "visits:*": SALES,
    "visits:new": frozenset({VL, AD}),
    "calls:*": SALES,
    # internal service firm
    "service:*": SALES,
    "service:catalog-new": LEADS,
    "service:catalog-edit": LEADS,
    "service:order-new": frozenset({VL, AD}),
    "service:contract-list": LEADS,
    "service:contract-detail": LEADS,
    "service:contract-print": LEADS,
    "service:contract-pdf": LEADS,
    "service:contract-new": LEADS,
    "service:contract-edit": LEADS,
    "service:contract-accept": LEADS,
    "service:contract-new-version": LEADS,
    "service:sla-report": LEADS,
    "service:sla-report-csv": LEADS,
    # monitoring
    "monitoring:*": INSIDE | {VL},
    "monitoring:account": SALES,
    # leads and campaigns: marketing and inside sales; the field sees its appointments and customers' cases
    "campaigns:*": SALES,
    "campaigns:public-contact": PUBLIC,
    "campaigns:calendar-feed": PUBLIC,  # secret token in the URL, per rep, renewable
    "campaigns:feed-renew": frozenset({AD}),
    "campaigns:appointment-book": frozenset({VL, IDL, ID}),
    "campaigns:campaign-list": frozenset({MKT, VL, IDL, ID}),
    "campaigns:campaign-detail": frozenset({MKT, VL, IDL, ID}),
    "campaigns:campaign-new": frozenset({MKT, VL, IDL}),
    "campaigns:campaign-assign": frozenset({MKT, VL, IDL}),
    "campaigns:call-list": INSIDE,
    "campaigns:call-record": INSIDE,
    "campaigns:lead-list": frozenset({MKT, VL, IDL, ID}),
    "campaigns:lead-detail": frozenset({MKT, VL, IDL, ID}),
    "campaigns:lead-action": frozenset({MKT, VL, IDL, ID}),
    "campaigns:lead-new": frozenset({MKT, VL, IDL, ID}),
    "campaigns:lead-import": frozenset({MKT, VL, IDL}),
    "campaigns:lead-privacy": frozenset({VL, IDL, ADMIN}),  # GDPR: export, consent/objection, erasure
    "campaigns:lead-privacy-action": frozenset({VL, IDL, ADMIN}),
    # performance and reviews
    "capacity:*": LEADS,
    "reviews:*": LEADS,
    "reviews:announcement-ack": SALES,
    # data in and out
    "imports:*": frozenset({ADMIN, IDL, VL}),
    "imports:export": SALES | {MKT, ADMIN},
    "imports:tokens": EVERYONE,
    "imports:token-revoke": EVERYONE,
}


def rule_for(namespace: str, url_name: str):
    full = f"{namespace}:{url_name}" if namespace else url_name
    if full in RULES:
        return RULES[full]
    if namespace and f"{namespace}:*" in RULES:
        return RULES[f"{namespace}:*"]
    return None


class RoleAccessMiddleware:
    """Applies RULES before any view runs. The API (/api/) and the admin have their own checks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        path = request.path_info
        if path.startswith(("/api/", "/admin/", "/static/", "/media/", "/i18n/")):
            return None
        try:
            match = request.resolver_match or resolve(path)
        except Resolver404:
            return None
        rule = rule_for(match.namespace, match.url_name or "")
        if rule == PUBLIC:
            return None
        user = request.user
        if not user.is_authenticated:
            return redirect(f"/login/?next={path}")
        if rule is None or (user.role not in rule and not user.is_superuser):
            return render(request, "403.html", status=403)
        return None
