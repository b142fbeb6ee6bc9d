"""Account list and account page. Thin: selectors do the reading."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Sum
from django.shortcuts import get_object_or_404, render

from isf.core.audit import history_for
from isf.core.params import QueryParams
from isf.core.permissions import can_see_margins
from isf.customers import selectors
from isf.lifecycle.choices import Phase
from isf.org.choices import FederalState
from isf.org.models import Region
from isf.segmentation.models import Segment

PAGE_SIZE = 25


@login_required
def account_list(request):
    query = QueryParams(request.GET)
    q = query.text("q")
    sort = query.choice("sort", selectors.SORTS, default="name")
    filters = selectors.account_filters(query, request.user)
    page_number = query.page()
    query.warn(request)
    qs = selectors.account_list(user=request.user, q=q, filters=filters, sort=sort)
    page = Paginator(qs, PAGE_SIZE).get_page(page_number)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page": page,
        "q": q,
        "sort": sort,
        "querystring": params.urlencode(),
        "segments": Segment.objects.all(),
        "phases": Phase.choices,
        "regions": Region.objects.all(),
        "states": FederalState.choices,
        "selected": {param: str(filters[field] or "") for param, field in selectors.LIST_FILTERS.items()},
    }
    return render(request, "customers/account_list.html", context)


@login_required
def account_detail(request, pk: int):
    from isf.calls.timeline import KIND_CODES, timeline_context  # the timeline lives with the call log (issue 5)
    from isf.monitoring.selectors import account_panel  # the purchase model's view (issue 6)

    visible = selectors.accounts_visible_to(request.user)
    account = get_object_or_404(visible.select_related("segment", "owner", "owner_team", "team", "region"), pk=pk)
    # Marketing targets accounts but does not see orders, revenue or margins (docs/permissions.md).
    show_orders = not selectors.targeting_only(request.user)
    context = {
        "account": account,
        "show_orders": show_orders,
        "contacts": account.contacts.prefetch_related("phones"),
        "phones": account.phones.filter(contact__isnull=True),
        "show_margins": can_see_margins(request.user, account),
        "history": history_for(account, limit=50),
    }
    query = QueryParams(request.GET)
    if show_orders:
        context.update(
            figures=selectors.account_figures(account=account),
            by_year=selectors.account_revenue_by_year(account=account),
            # The aggregate drops Order's Meta.ordering, so order newest first explicitly.
            orders=account.orders.annotate(revenue=Sum("lines__net_revenue"), margin=Sum("lines__margin"))
            .order_by("-date", "-number")[:10],
            quotes=account.quotes.select_related("contact")[:20],
            timeline=timeline_context(account, kinds=query.choice_list("kind", KIND_CODES)),
            monitoring_panel=account_panel(account),
        )
    query.warn(request)
    return render(request, "customers/account_detail.html", context)
