"""The exportable lists: rows and columns per list, built from the owning app's selectors (permissions apply).

Each list reads the same query parameters as its page (the page's "Export CSV / Excel" links carry them), so
an export is the list as filtered on screen.  Who may export a list is who may open its page
(:data:`PAGE_OF`, checked against :data:`isf.core.access.RULES` by the view); object permissions come from
the apps' selectors.
"""

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from isf.core.params import QueryParams
from isf.customers import selectors as customer_selectors
from isf.customers.models import Contact
from isf.imports.exports import time_heading


def _import_columns(kind: str):
    from isf.imports.kinds import KINDS

    return KINDS[kind]


def _query(request) -> QueryParams:
    """The list's filters, read strictly: an invalid value refuses the export (400), never an empty file."""
    return QueryParams(request.GET, strict=True)


def _account_list(query, user, *, sort: str):
    filters = customer_selectors.account_filters(query, user)
    return customer_selectors.account_list(user=user, q=query.text("q"), filters=filters, sort=sort)


def accounts(request):
    since = customer_selectors.twelve_months_ago()
    query = _query(request)
    qs = _account_list(query, request.user, sort=query.choice("sort", customer_selectors.SORTS, default="name"))
    targeting_only = customer_selectors.targeting_only(request.user)
    if not targeting_only:  # marketing sees the targeting fields, not orders or revenue (docs/permissions.md)
        qs = qs.annotate(revenue_12m=Sum("order_lines__net_revenue", filter=Q(order_lines__order_date__gt=since)))
    # the account import's own labels, so the file re-imports unchanged ("accounts" kind, no mapping step)
    label = {c.name: c.heading() for c in _import_columns("accounts")}
    columns = [
        (label["erp_number"], lambda a: a.erp_number),
        (label["name"], lambda a: a.name),
        (label["street"], lambda a: a.street),
        (label["postcode"], lambda a: a.postcode),
        (label["city"], lambda a: a.city),
        (label["state"], lambda a: a.state),
        (label["industry"], lambda a: a.industry),
        (label["employee_band"], lambda a: a.employee_band),
        (label["customer_type"], lambda a: a.customer_type),
        (_("segment"), lambda a: a.segment.code if a.segment_id else ""),
        (_("lifecycle phase"), lambda a: a.get_phase_display()),
        (label["region"], lambda a: a.region.name if a.region_id else ""),
        (_("field rep"), lambda a: a.owner.get_full_name() if a.owner_id else ""),
        (label["potential"], lambda a: a.potential),
    ]
    if not targeting_only:
        columns.append((_("revenue last 12 months (EUR)"), lambda a: a.revenue_12m or 0))
    return qs.iterator(chunk_size=2000), columns


def contacts(request):
    """Contacts of exactly the accounts the account list shows with the same filters and search."""
    accounts_shown = _account_list(_query(request), request.user, sort="name")
    qs = Contact.objects.filter(account__in=accounts_shown.order_by().values("pk")).select_related("account").order_by(
        "account__name", "last_name", "pk")
    # the contact import's own labels, so the file re-imports unchanged ("contacts" kind, no mapping step)
    label = {c.name: c.heading() for c in _import_columns("contacts")}
    columns = [
        (label["external_id"], lambda c: c.external_id or ""),
        (label["customer_number"], lambda c: c.account.erp_number),
        (_("account"), lambda c: c.account.name),
        (label["salutation"], lambda c: c.salutation),
        (label["first_name"], lambda c: c.first_name),
        (label["last_name"], lambda c: c.last_name),
        (label["function"], lambda c: c.function),
        (label["buying_role"], lambda c: c.get_buying_role_display()),
        (label["email"], lambda c: c.email),
        (label["status"], lambda c: c.get_status_display()),
        (label["status_date"], lambda c: c.status_date),
    ]
    return qs.iterator(chunk_size=2000), columns


def tasks(request):
    """The work queue as on screen: ``scope=mine`` leaves out the team's unclaimed tasks, ``kind`` filters."""
    from isf.planning.selectors import queue_filters, work_queue

    filters = queue_filters(_query(request))
    qs = work_queue(user=request.user, include_team=filters["scope"] != "mine", kind=filters["kind"])
    columns = [
        (time_heading(_("due")), lambda t: t.due_at),
        (_("task"), lambda t: t.display_title),
        (_("kind"), lambda t: t.get_kind_display()),
        (_("status"), lambda t: t.get_status_display()),
        (_("account"), lambda t: t.account.name if t.account_id else ""),
        (_("assignee"), lambda t: t.assignee.get_full_name() if t.assignee_id else ""),
        (_("team"), lambda t: t.team.name if t.team_id else ""),
    ]
    return qs.iterator(chunk_size=2000), columns


def leads(request):
    """The lead list with its filters (q, status, class, source)."""
    from isf.campaigns.selectors import lead_filters, lead_list

    qs = lead_list(**lead_filters(_query(request))).order_by("-pk")
    columns = [
        (_("company"), lambda x: x.company),
        (_("contact person"), lambda x: x.contact_name),
        (_("e-mail"), lambda x: x.email),
        (_("phone"), lambda x: x.phone),
        (_("postcode"), lambda x: x.postcode),
        (_("city"), lambda x: x.city),
        (_("region"), lambda x: x.region.name if x.region_id else ""),
        (_("source"), lambda x: x.get_source_display()),
        (_("status"), lambda x: x.get_status_display()),
        (_("class"), lambda x: x.get_qualification_class_display()),
        (_("score"), lambda x: x.score),
        (_("potential (EUR)"), lambda x: x.potential),
        (_("assigned to"), lambda x: x.assigned_to.get_full_name() if x.assigned_to_id else ""),
        (time_heading(_("created")), lambda x: x.created_at),
        (_("lead number"), lambda x: x.pk),  # the key the lead import finds the lead by (a re-import changes nothing)
    ]
    return qs.iterator(chunk_size=2000), columns


def service_orders(request):
    """The service order list as on screen: its filters, its default (agents: open orders) and visibility."""
    from isf.service import selectors as service_selectors

    user = request.user
    filters = service_selectors.order_list_filters(_query(request), user)
    qs = service_selectors.order_list(user=user, filters=filters)
    columns = [
        (_("order"), lambda o: o.number),
        (time_heading(_("received")), lambda o: o.created_at),
        (_("service"), lambda o: o.service.name),
        (_("customer number"), lambda o: o.account.erp_number),
        (_("account"), lambda o: o.account.name),
        (_("requested by"), lambda o: o.requester.get_full_name()),
        (_("team"), lambda o: o.team.name if o.team_id else ""),
        (_("assignee"), lambda o: o.assignee.get_full_name() if o.assignee_id else ""),
        (_("status"), lambda o: o.get_status_display()),
        (_("SLA state"), lambda o: o.get_sla_state_display()),
        (time_heading(_("due")), lambda o: o.due_at),
        (time_heading(_("completed")), lambda o: o.completed_at),
    ]
    return qs.iterator(chunk_size=2000), columns


def campaign_results(request):
    """Outcome per call-list entry: ``campaign`` (id; the campaign page's link), ``status``, ``outcome``, ``agent``."""
    from isf.campaigns.choices import CallOutcome, EntryStatus
    from isf.campaigns.selectors import campaign_entries_visible_to

    qs = campaign_entries_visible_to(request.user).select_related("campaign", "account", "agent").order_by(
        "campaign_id", "account__name", "pk")
    query = _query(request)
    filters = {"campaign_id": query.id("campaign"), "status": query.choice("status", EntryStatus.values),
               "outcome": query.choice("outcome", CallOutcome.values), "agent_id": query.id("agent")}
    qs = qs.filter(**{field: value for field, value in filters.items() if value})
    columns = [
        (_("campaign"), lambda e: e.campaign.name),
        (_("customer number"), lambda e: e.account.erp_number),
        (_("account"), lambda e: e.account.name),
        (_("city"), lambda e: e.account.city),
        (_("agent"), lambda e: e.agent.get_full_name() if e.agent_id else ""),
        (_("status"), lambda e: e.get_status_display()),
        (_("attempts"), lambda e: e.attempts),
        (_("outcome"), lambda e: e.get_outcome_display()),
        (time_heading(_("last attempt")), lambda e: e.last_attempt_at),
        (time_heading(_("next attempt")), lambda e: e.next_attempt_at),
    ]
    return qs.iterator(chunk_size=2000), columns


def telemarketing_results(request):
    """A telemarketing list's results against its control group (``campaign``: id; all lists without it)."""
    from isf.campaigns.choices import CampaignKind
    from isf.campaigns.models import Campaign
    from isf.campaigns.telemarketing_results import results_export

    campaigns = Campaign.objects.filter(kind=CampaignKind.TELEMARKETING).order_by("created_at", "pk")
    campaign_id = _query(request).id("campaign")
    if campaign_id:
        campaigns = campaigns.filter(pk=campaign_id)
    return results_export(campaigns, figures=not customer_selectors.targeting_only(request.user))


#: list name -> builder(request) -> (rows, columns)
EXPORTS = {"accounts": accounts, "contacts": contacts, "tasks": tasks, "leads": leads,
           "service_orders": service_orders, "campaign_results": campaign_results,
           "telemarketing_results": telemarketing_results}

#: list name -> the import kind its export re-imports through unchanged (created 0, updated 0; the test loops over
#: every list). The other lists - tasks, service orders, campaign results - report work done in ISF and have no import.
IMPORT_KIND = {"accounts": "accounts", "contacts": "contacts", "leads": "leads"}

#: list name -> (namespace, url name) of the page the list is exported from: who may open it may export it
PAGE_OF = {
    "accounts": ("customers", "account-list"),
    "contacts": ("customers", "account-list"),
    "tasks": ("planning", "queue"),
    "service_orders": ("service", "order-list"),
    "leads": ("campaigns", "lead-list"),
    "campaign_results": ("campaigns", "campaign-detail"),
    "telemarketing_results": ("campaigns", "campaign-detail"),
}
