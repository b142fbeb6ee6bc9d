"""API endpoints that complete the REST API (issue 9): tokens, account writes, contacts, quotes, tasks, order bulk.

Account writes go through the one writer of accounts (``isf.customers.services.account_upsert``), order lines
through the order import's validation; errors come back as ``{"message": ..., "field": ...}``.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.db import transaction
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from isf.api.pagination import Pages
from isf.api.types import Choice, Line, ModelText, Postcode, SaneDate
from isf.capacity.kpis import PERIODS
from isf.core.params import QueryParams
from isf.customers.choices import ContactStatus, CustomerType, EmployeeBand, Industry, QuoteStatus
from isf.customers.models import Account, Contact, Order, Product, Quote
from isf.customers.selectors import accounts_visible_to
from isf.customers.services import CustomerError, account_upsert
from isf.org.choices import FederalState, Role
from isf.org.selectors import tokens_visible_to
from isf.org.services import api_token_revoke
from isf.planning.choices import TaskKind, TaskStatus

router = Router()
WRITERS = {Role.ADMIN, Role.SALES_LEAD, Role.INSIDE_LEAD}


class Error(Schema):
    message: str
    field: str | None = None


class ImportErrorItem(Schema):
    row: int | None
    field: str | None
    value: str
    message: str


class BulkResult(Schema):
    message: str
    created: int
    updated: int
    unchanged: int
    errors: int
    problems: list[ImportErrorItem]


# --- tokens ----------------------------------------------------------------------------------------------------

class TokenOut(Schema):
    id: int
    prefix: str
    name: str
    user: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    @staticmethod
    def resolve_user(obj) -> str:
        return obj.user.username


@router.get("/tokens", response=list[TokenOut], tags=["tokens"], summary="API tokens (own; all for admins)")
def list_tokens(request):
    return list(tokens_visible_to(request.user))


@router.delete("/tokens/{token_id}", response={200: TokenOut, 404: Error}, tags=["tokens"],
               summary="Revoke a token")
def revoke_token(request, token_id: int):
    token = get_object_or_404(tokens_visible_to(request.user), pk=token_id)
    return api_token_revoke(token=token)


# --- accounts (writes) -----------------------------------------------------------------------------------------

class AccountIn(Schema):
    erp_number: ModelText(Account, "erp_number")
    name: ModelText(Account, "name")
    street: ModelText(Account, "street") = ""
    postcode: Postcode = ""
    city: ModelText(Account, "city") = ""
    state: Choice(FederalState, blank=True) = ""
    region: Line(30) = ""
    industry: Choice(Industry, blank=True) = ""
    employee_band: Choice(EmployeeBand, blank=True) = ""
    customer_type: Choice(CustomerType, blank=True) = ""
    potential: Decimal | None = None
    phone: Line(40) = ""


class AccountPatch(Schema):
    name: ModelText(Account, "name") | None = None
    street: ModelText(Account, "street") | None = None
    postcode: Postcode | None = None
    city: ModelText(Account, "city") | None = None
    state: Choice(FederalState, blank=True) | None = None
    industry: Choice(Industry, blank=True) | None = None
    potential: Decimal | None = None


class AccountWritten(Schema):
    id: int
    erp_number: str
    name: str
    postcode: str
    city: str
    region_id: int | None
    potential: Decimal


def _account_upsert(values: dict, actor):
    """Through the one writer of accounts (isf.customers.services); a new account is placed (segment, team, field
    rep) as a file import places it."""
    from isf.imports.placement import accounts_place

    try:
        with transaction.atomic():
            account, created = account_upsert(values=values, actor=actor)
            if created:
                accounts_place(account_ids=[account.pk])
    except CustomerError as exc:
        return 422, {"message": str(exc), "field": exc.field}
    account.refresh_from_db()
    return (201 if created else 200), account


def create_account(request, payload: AccountIn):
    return _account_upsert(payload.dict(), request.user)


def update_account(request, account_id: int, payload: AccountPatch):
    account = get_object_or_404(accounts_visible_to(request.user), pk=account_id)
    current = {"erp_number": account.erp_number, "name": account.name, "street": account.street,
               "postcode": account.postcode, "city": account.city, "state": account.state,
               "industry": account.industry, "potential": account.potential,
               "employee_band": account.employee_band, "customer_type": account.customer_type}
    current.update({k: v for k, v in payload.dict().items() if v is not None})
    status, body = _account_upsert(current, request.user)
    return (200 if status == 201 else status), body



def attach_account_writes(target: Router) -> None:
    """Add POST /accounts and PATCH /accounts/{id} to the router that serves GET on the same paths.

    Two routers with the same path would shadow each other's methods (405), so the writes join the accounts
    router of isf.customers when it exists (else this module's router).
    """
    target.post("/accounts", response={200: AccountWritten, 201: AccountWritten, 403: Error, 422: Error},
                tags=["accounts"], summary="Create (or update by ERP number) an account")(create_account)
    target.patch("/accounts/{account_id}", response={200: AccountWritten, 403: Error, 404: Error, 422: Error},
                 tags=["accounts"], summary="Update an account")(update_account)


# --- contacts, quotes, tasks -----------------------------------------------------------------------------------

class ContactOut(Schema):
    id: int
    account_id: int
    first_name: str
    last_name: str
    function: str
    email: str
    status: Choice(ContactStatus)
    external_id: str | None


@router.get("/contacts", response=list[ContactOut], tags=["contacts"])
@paginate(Pages, page_size=100)
def list_contacts(request, account: int | None = None, q: str = ""):
    account = QueryParams(request.GET, strict=True).id("account")  # in the database's range, or 400
    qs = Contact.objects.filter(account__in=accounts_visible_to(request.user)).order_by("pk")
    if account:
        qs = qs.filter(account_id=account)
    if q:
        qs = qs.filter(last_name__icontains=q)
    return qs


class QuoteOut(Schema):
    id: int
    number: str
    account_id: int
    date: date
    amount: Decimal
    valid_until: date
    status: Choice(QuoteStatus)


@router.get("/quotes", response=list[QuoteOut], tags=["quotes"])
@paginate(Pages, page_size=100)
def list_quotes(request, account: int | None = None, status: Choice(QuoteStatus, blank=True) = ""):
    query = QueryParams(request.GET, strict=True)  # an unknown status or an id out of range: 400
    account, status = query.id("account"), query.choice("status", QuoteStatus.values)
    qs = Quote.objects.filter(account__in=accounts_visible_to(request.user)).order_by("-date", "pk")
    if account:
        qs = qs.filter(account_id=account)
    if status:
        qs = qs.filter(status=status)
    return qs


class TaskOut(Schema):
    id: int
    title: str
    kind: Choice(TaskKind)
    status: Choice(TaskStatus)
    due_at: datetime | None
    account_id: int | None
    assignee_id: int | None
    team_id: int | None
    priority: int
    priority_reasons: list[str]

    @staticmethod
    def resolve_priority_reasons(obj) -> list[str]:
        return obj.priority_reason_texts


TASK_ORDERS = {"priority": ("-priority", "due_at", "pk"), "due": ("due_at", "pk")}


@router.get("/tasks", response=list[TaskOut], tags=["tasks"], summary="The caller's work queue",
            description="Open tasks of the caller and the caller's team, highest `priority` first (`order=due`: "
                        "earliest due first). `priority_reasons` say why, in the language of the request "
                        "(Accept-Language). `assignee=me`: only the tasks assigned to the caller.")
@paginate(Pages, page_size=100)
def list_tasks(request, assignee: Literal["", "me"] = "", order: Literal["priority", "due"] = "priority",
               kind: Choice(TaskKind, blank=True) = ""):
    from isf.planning.priority import priorities_refresh_stale
    from isf.planning.selectors import work_queue

    priorities_refresh_stale()
    qs = work_queue(user=request.user, include_team=assignee != "me", kind=kind)
    if assignee == "me":
        qs = qs.filter(assignee=request.user)
    return qs.order_by(*TASK_ORDERS[order])


class ContactPlanOut(Schema):
    team: str | None
    due: int
    on_time: int
    done_late: int
    overdue: int
    on_time_share: float | None
    overdue_tasks: int


class ContactPlanFiguresOut(Schema):
    period_first: date
    period_last: date
    teams: list[ContactPlanOut]
    total: ContactPlanOut


@router.get("/contact-plan", response=ContactPlanFiguresOut, tags=["tasks"],
            summary="Contact plan on time and overdue tasks, per team",
            description="The same figures as the team overview, the KPI dashboard and the review pack: planned "
                        "contacts whose due day has passed in the period (`week`, `month`, `quarter`; default the "
                        "current month up to today), done on time (by the end of the due day), done late, still "
                        "open; and the open tasks whose due day has passed (`overdue_tasks`, at the time of the call).")
def contact_plan(request, period: Literal[PERIODS] = "month"):
    from isf.capacity.kpis import period_for
    from isf.org.models import Team
    from isf.planning.selectors import contact_plan_figures, team_loads

    span = period_for(period)
    per_team = contact_plan_figures(since=span.since, until=span.until, group="team")
    loads = team_loads()
    teams = []
    for team in Team.objects.order_by("code"):
        figures = per_team.get(team.pk)
        load = loads.get(team.pk)
        teams.append({"team": team.code, **(figures.as_dict() if figures else _EMPTY_PLAN),
                      "overdue_tasks": load.overdue if load else 0})
    total = contact_plan_figures(since=span.since, until=span.until)
    return {"period_first": span.first, "period_last": span.last, "teams": teams,
            "total": {"team": None, **total.as_dict(), "overdue_tasks": sum(v.overdue for v in loads.values())}}


_EMPTY_PLAN = {"due": 0, "on_time": 0, "done_late": 0, "overdue": 0, "on_time_share": None}


# --- orders: bulk create for ERP integration -------------------------------------------------------------------

class OrderLineIn(Schema):
    order_number: ModelText(Order, "number")
    line: int
    customer_number: ModelText(Account, "erp_number")
    order_date: SaneDate
    sku: ModelText(Product, "sku")
    quantity: Decimal
    net_revenue: Decimal
    margin: Decimal = Decimal(0)


class BulkOrdersIn(Schema):
    lines: list[OrderLineIn]
    skip_invalid: bool = False


@router.post("/orders/bulk", response={200: BulkResult, 400: BulkResult, 403: Error}, tags=["orders"],
             summary="Create or update order lines (all or nothing unless skip_invalid; idempotent)",
             description="400: lines failed validation; `problems` names each line (row = position in `lines`, "
                         "1-based) and field. Nothing is written unless skip_invalid.")
def bulk_orders(request, payload: BulkOrdersIn):
    from isf.imports.orders import import_orders
    from isf.imports.reader import TableReader, XlsxDialect

    header = ["order_number", "line", "customer_number", "order_date", "sku", "quantity", "net_revenue", "margin"]
    rows = ((i + 1, {"order_number": ln.order_number, "line": str(ln.line), "customer_number": ln.customer_number,
                     "order_date": ln.order_date.isoformat(), "sku": ln.sku, "quantity": str(ln.quantity),
                     "net_revenue": str(ln.net_revenue), "margin": str(ln.margin)})
            for i, ln in enumerate(payload.lines))
    table = TableReader(file="request", header=header, header_row=0, dialect=XlsxDialect(sheet="api", sheets=("api",)),
                        rows=rows, closer=lambda: None)
    with transaction.atomic():
        result = import_orders(table, skip_invalid=payload.skip_invalid)
    body = {"message": result.summary().replace("request: ", "", 1), "created": result.created, "updated": result.updated, "unchanged": result.unchanged,
            "errors": result.error_count,
            "problems": [{"row": p.row, "field": p.column, "value": p.value, "message": p.message}
                         for p in result.problems[:1000]]}
    return (200 if result.ok else 400), body
