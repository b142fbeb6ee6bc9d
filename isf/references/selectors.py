"""Reads of the reference library: the search with its filters."""

from django.db.models import Q, QuerySet

from isf.customers.choices import Industry
from isf.references.models import ReferenceCase

APPROVAL = ("approved", "pending")


def reference_filters(query) -> dict:
    """The filters from an ``isf.core.params.QueryParams``: unknown values refused."""
    return {"q": query.text("q"), "group": query.id("group"), "industry": query.choice("industry", Industry.values),
            "approval": query.choice("approval", APPROVAL)}


def reference_search(*, q: str = "", group: int | None = None, industry: str = "", approval: str = "") \
        -> QuerySet[ReferenceCase]:
    """Reference cases matching the text (title, result, starting point, customer), a product group, an industry and
    the approval state; newest first."""
    qs = ReferenceCase.objects.select_related("account").prefetch_related("product_groups")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(result__icontains=q) | Q(challenge__icontains=q)
                       | Q(account__name__icontains=q) | Q(account__erp_number=q))
    if group:
        qs = qs.filter(product_groups__pk=group)
    if industry:
        qs = qs.filter(industry=industry)
    if approval == "approved":
        qs = qs.filter(approved_on__isnull=False)
    elif approval == "pending":
        qs = qs.filter(approved_on__isnull=True)
    return qs.distinct().order_by("-created_at", "-pk")
