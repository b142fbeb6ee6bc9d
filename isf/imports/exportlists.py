"""The exportable lists: rows and columns per list, built from the owning app's selectors (permissions apply)."""

from operator import attrgetter

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from isf.campaigns.models import Lead
from isf.customers import selectors as customer_selectors
from isf.customers.models import Contact

ACCOUNT_FILTERS = {"segment": "segment__code", "phase": "phase", "region": "region", "type": "customer_type",
                   "state": "state"}


def accounts(request):
    params = request.GET
    filters = {field: params.get(param, "") for param, field in ACCOUNT_FILTERS.items()}
    filters["region_id"] = filters.pop("region")
    if params.get("mine"):
        filters["owner_id"] = request.user.pk
    since = customer_selectors.twelve_months_ago()
    qs = customer_selectors.account_list(user=request.user, q=params.get("q", ""), filters=filters,
                                         sort=params.get("sort", "name"))
    qs = qs.annotate(revenue_12m=Sum("order_lines__net_revenue", filter=Q(order_lines__order_date__gt=since)))
    columns = [
        (_("customer number"), lambda a: a.erp_number),
        (_("name"), lambda a: a.name),
        (_("street"), lambda a: a.street),
        (_("postcode"), lambda a: a.postcode),
        (_("city"), lambda a: a.city),
        (_("segment"), lambda a: a.segment.code if a.segment_id else ""),
        (_("lifecycle phase"), lambda a: a.get_phase_display()),
        (_("region"), lambda a: a.region.name if a.region_id else ""),
        (_("field rep"), lambda a: a.owner.get_full_name() if a.owner_id else ""),
        (_("potential (EUR)"), lambda a: a.potential),
        (_("revenue last 12 months (EUR)"), lambda a: a.revenue_12m or 0),
    ]
    return qs.iterator(chunk_size=2000), columns


def contacts(request):
    visible = customer_selectors.accounts_visible_to(request.user)
    qs = Contact.objects.filter(account__in=visible).select_related("account").order_by("account__name", "last_name")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(last_name__icontains=q) | Q(first_name__icontains=q) | Q(account__name__icontains=q))
    columns = [
        (_("customer number"), lambda c: c.account.erp_number),
        (_("account"), lambda c: c.account.name),
        (_("salutation"), lambda c: c.salutation),
        (_("first name"), lambda c: c.first_name),
        (_("last name"), lambda c: c.last_name),
        (_("function"), lambda c: c.function),
        (_("e-mail"), lambda c: c.email),
        (_("status"), lambda c: c.get_status_display()),
    ]
    return qs.iterator(chunk_size=2000), columns


def tasks(request):
    from isf.planning.selectors import work_queue

    qs = work_queue(user=request.user)
    columns = [
        (_("due"), lambda t: t.due_at),
        (_("task"), lambda t: t.title),
        (_("kind"), lambda t: t.get_kind_display()),
        (_("status"), lambda t: t.get_status_display()),
        (_("account"), lambda t: t.account.name if t.account_id else ""),
        (_("assignee"), lambda t: t.assignee.get_full_name() if t.assignee_id else ""),
        (_("team"), lambda t: t.team.name if t.team_id else ""),
    ]
    return qs.iterator(chunk_size=2000), columns


def leads(request):
    qs = Lead.objects.all().order_by("-pk")
    fields = [f for f in Lead._meta.concrete_fields if f.name != "id"][:12]
    return qs.iterator(chunk_size=2000), [(f.verbose_name, attrgetter(f.attname)) for f in fields]


#: list name -> builder(request) -> (rows, columns)
EXPORTS = {"accounts": accounts, "contacts": contacts, "tasks": tasks, "leads": leads}
