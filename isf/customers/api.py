"""API: accounts and products."""

from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from isf.api.pagination import Pages
from isf.api.types import Choice
from isf.core.params import QueryParams
from isf.customers.choices import CustomerType
from isf.customers.models import Account, Product
from isf.customers.selectors import account_filters, account_list, accounts_visible_to, targeting_only
from isf.lifecycle.choices import Phase
from isf.org.choices import FederalState

router = Router(tags=["accounts"])


class AccountOut(Schema):
    id: int
    erp_number: str
    name: str
    postcode: str
    city: str
    state: Choice(FederalState, blank=True)
    customer_type: Choice(CustomerType)
    owner: str | None
    owner_id: int | None
    owner_team: str | None = Field(description="the inside team that owns the account (then owner is null); "
                                               "null for marketing")
    team: str | None
    segment: str | None
    phase: Choice(Phase)
    potential: Decimal | None = Field(description="null for marketing (targeting fields only)")
    phones: list[str]

    # marketing gets the targeting fields only (docs/permissions.md): no owner, phone numbers or potential
    @staticmethod
    def resolve_owner(obj: Account, context) -> str | None:
        return obj.owner.username if obj.owner_id and not _targeting(context) else None

    @staticmethod
    def resolve_owner_id(obj: Account, context) -> int | None:
        return None if _targeting(context) else obj.owner_id

    @staticmethod
    def resolve_owner_team(obj: Account, context) -> str | None:
        return obj.owner_team.code if obj.owner_team_id and not _targeting(context) else None

    @staticmethod
    def resolve_potential(obj: Account, context) -> Decimal | None:
        return None if _targeting(context) else obj.potential

    @staticmethod
    def resolve_team(obj: Account) -> str | None:
        return obj.team.code if obj.team_id else None

    @staticmethod
    def resolve_segment(obj: Account) -> str | None:
        return obj.segment.code if obj.segment_id else None

    @staticmethod
    def resolve_phones(obj: Account, context) -> list[str]:
        return [] if _targeting(context) else [p.e164 for p in obj.phones.all()]


def _targeting(context) -> bool:
    request = (context or {}).get("request")
    return request is None or targeting_only(request.user)  # no request: show nothing the scope may hide


class ProductOut(Schema):
    id: int
    sku: str
    name: str
    group: str
    list_price: Decimal
    unit: str

    @staticmethod
    def resolve_group(obj: Product) -> str:
        return obj.group.code


@router.get("/accounts", response=list[AccountOut])
@paginate(Pages, page_size=50)
def list_accounts(request, q: str = "", segment: str = "", phase: Choice(Phase, blank=True) = ""):
    query = QueryParams(request.GET, strict=True)  # an unknown segment or phase: 400, as on every list
    all_filters = account_filters(query, request.user)
    filters = {"segment__code": all_filters["segment__code"], "phase": all_filters["phase"]}
    return account_list(user=request.user, q=q, filters=filters).prefetch_related("phones")


@router.get("/accounts/{account_id}", response=AccountOut)
def get_account(request, account_id: int):
    qs = accounts_visible_to(request.user).select_related("owner", "owner_team", "team", "segment").prefetch_related("phones")
    return get_object_or_404(qs, pk=account_id)


@router.get("/products", response=list[ProductOut], tags=["products"])
@paginate(Pages, page_size=100)
def list_products(request, q: str = ""):
    qs = Product.objects.select_related("group").order_by("sku")
    if q:
        qs = qs.filter(name__icontains=q) | qs.filter(sku__istartswith=q)
    return qs
