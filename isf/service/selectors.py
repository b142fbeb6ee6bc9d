"""Reads of the service firm: catalog per account, visible orders, queues, notifications."""

from datetime import datetime

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from isf.customers.models import Account
from isf.customers.selectors import accounts_visible_to
from isf.org.choices import Role
from isf.service.choices import OPEN_STATUSES, RUNNING_STATUSES, DecisionStatus, SlaState
from isf.service.decisions import active_contract  # noqa: F401  (re-exported)
from isf.service.models import Decision, Notification, ServiceCatalogEntry, ServiceOrder

ORDER_RELATED = ("service", "account", "requester", "team", "assignee")


def catalog_for_account(account) -> QuerySet[ServiceCatalogEntry]:
    """Active services offered to the account's segment (a service without segments is offered to all)."""
    qs = ServiceCatalogEntry.objects.filter(active=True)
    if account is not None and account.segment_id:
        qs = qs.filter(Q(segments__isnull=True) | Q(segments=account.segment_id))
    else:
        qs = qs.filter(segments__isnull=True)
    return qs.distinct().select_related("default_team").order_by("sort_order", "code")


def catalog_names_for_account(account) -> list[tuple[str, str, str]]:
    """(code, German name, English name) of ``catalog_for_account(account)``, in its order, for a choice list.

    One plain query over the few active services and their segments, filtered here: no DISTINCT, no instances
    (the customer screen builds this list on every inbound call).
    """
    segment_id = account.segment_id if account is not None else None
    offered: dict[str, tuple[str, str, str]] = {}
    rows = (ServiceCatalogEntry.objects.filter(active=True).order_by("sort_order", "code")
            .values_list("code", "name_de", "name_en", "segments"))
    for code, name_de, name_en, segment in rows:
        if segment is None or (segment_id and segment == segment_id):
            offered.setdefault(code, (code, name_de, name_en))
    return list(offered.values())


def service_orders_for(account) -> QuerySet[ServiceOrder]:
    """The account's service orders, newest first (account timeline, customer screen)."""
    return ServiceOrder.objects.filter(account=account).select_related(*ORDER_RELATED).order_by("-created_at", "-pk")


def open_service_orders_for(account) -> QuerySet[ServiceOrder]:
    return service_orders_for(account).filter(status__in=OPEN_STATUSES)


def orders_visible_to(user) -> QuerySet[ServiceOrder]:
    """Leads see all; inside agents their team's and their own; field reps what they ordered or own."""
    qs = ServiceOrder.objects.all()
    if user.is_superuser or user.role in {Role.SALES_LEAD, Role.INSIDE_LEAD}:
        return qs
    if user.role == Role.INSIDE_AGENT:
        return qs.filter(Q(team_id=user.team_id) | Q(assignee=user)) if user.team_id else qs.filter(assignee=user)
    if user.role == Role.FIELD_REP:
        return qs.filter(Q(requester=user) | Q(account__owner=user))
    return qs.none()


def sla_condition(state: str, now: datetime) -> Q:
    """SQL condition for the SLA state at ``now`` (running orders by due times, others by the frozen state)."""
    running = Q(status__in=RUNNING_STATUSES)
    if state == SlaState.BREACHED:
        return (running & Q(breach_at__lt=now)) | (~running & Q(sla_state=SlaState.BREACHED))
    if state == SlaState.DUE_SOON:
        return (running & Q(due_soon_at__lte=now, breach_at__gte=now)) | (~running & Q(sla_state=SlaState.DUE_SOON))
    if state == SlaState.ON_TRACK:
        return (running & Q(due_soon_at__gt=now)) | (~running & Q(sla_state=SlaState.ON_TRACK))
    return Q()


ORDER_LIST_FILTERS = ("status", "team", "sla_state", "service")


def order_list_filters(params, user) -> dict:
    """The service order list's filters from its query parameters (the page and its export read them alike).

    An inside agent who chose no filter sees the open orders; ``mine`` means assigned to me (inside sales) or
    requested by me (field).
    """
    filters = {key: params.get(key, "") for key in ORDER_LIST_FILTERS}
    if user.role == Role.INSIDE_AGENT and not any(params.get(k) for k in (*ORDER_LIST_FILTERS, "mine")):
        filters["status"] = "open"
    if params.get("mine"):
        filters["assignee" if user.role in {Role.INSIDE_AGENT, Role.INSIDE_LEAD} else "requester"] = user.pk
    return filters


def order_list(*, user, filters: dict | None = None, now: datetime | None = None) -> QuerySet[ServiceOrder]:
    """Visible orders filtered by status (``open`` = all open), team (code or id), account, requester, sla_state."""
    filters = filters or {}
    now = now or timezone.now()
    qs = orders_visible_to(user)
    status = filters.get("status")
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    team = filters.get("team")
    if team:
        qs = qs.filter(team_id=int(team)) if str(team).isdigit() else qs.filter(team__code=team)
    if filters.get("account"):
        qs = qs.filter(account_id=filters["account"])
    requester = filters.get("requester")
    if requester:
        qs = qs.filter(requester_id=int(requester)) if str(requester).isdigit() else qs.filter(
            requester__username=requester)
    if filters.get("assignee"):
        qs = qs.filter(assignee_id=filters["assignee"])
    if filters.get("service"):
        qs = qs.filter(service__code=filters["service"])
    if filters.get("sla_state"):
        qs = qs.filter(sla_condition(filters["sla_state"], now))
    return qs.select_related(*ORDER_RELATED).order_by("-created_at", "-pk")


def recent_accounts_for(user, limit: int = 8) -> list[Account]:
    """Accounts the user ordered for lately first, then their own accounts (phone order form)."""
    recent_ids = list(
        ServiceOrder.objects.filter(requester=user).values("account_id").annotate(last=Max("created_at"))
        .order_by("-last").values_list("account_id", flat=True)[:limit]
    )
    visible = accounts_visible_to(user)
    by_id = {a.pk: a for a in visible.filter(pk__in=recent_ids).select_related("segment")}
    accounts = [by_id[pk] for pk in recent_ids if pk in by_id]
    if len(accounts) < limit:
        more = visible.filter(owner=user).exclude(pk__in=recent_ids).select_related("segment").order_by("-potential")
        accounts += list(more[: limit - len(accounts)])
    return accounts


def notifications_for(user, limit: int = 20) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).select_related("order")[:limit]


def notification_list(user, limit: int = 100) -> QuerySet[Notification]:
    """The user's notifications, read and unread, newest first (with the order and its account)."""
    return Notification.objects.filter(recipient=user).select_related("order__account", "order__service")[:limit]


def unread_notification_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def pending_approvals_for(user) -> QuerySet[Decision]:
    qs = Decision.objects.filter(status=DecisionStatus.PENDING).select_related("account", "order", "requested_by")
    if user.role == Role.SALES_LEAD:
        return qs
    return qs.filter(approver=user)
