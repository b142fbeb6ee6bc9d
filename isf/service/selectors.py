"""Reads of the service firm: catalog per account, visible orders, queues, notifications."""

from datetime import datetime

from django.db.models import CharField, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils import timezone

from isf.core.params import parse_id
from isf.customers.models import Account
from isf.customers.selectors import accounts_visible_to
from isf.org.choices import Role
from isf.service.choices import OPEN_STATUSES, RUNNING_STATUSES, DecisionStatus, OrderStatus, SlaState
from isf.service.decisions import active_contract  # noqa: F401  (re-exported)
from isf.service.models import Decision, Notification, ServiceCatalogEntry, ServiceOrder

ORDER_RELATED = ("service", "account", "requester", "team", "assignee", "segment")


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
    if user.role in {Role.SALES_LEAD, Role.INSIDE_LEAD}:
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


ORDER_LIST_FILTERS = ("status", "team", "sla_state", "service", "order")


def _team_id(raw: str) -> int | None:
    from isf.org.models import Team

    condition = Q(pk=parse_id(raw)) | Q(code=raw) if parse_id(raw) else Q(code=raw)
    return Team.objects.filter(condition).values_list("pk", flat=True).first()


def _user_id(raw: str) -> int | None:
    from isf.org.models import User

    condition = Q(pk=parse_id(raw)) | Q(username=raw) if parse_id(raw) else Q(username=raw)
    return User.objects.filter(condition).values_list("pk", flat=True).first()


def order_list_filters(query, user, *, page_defaults: bool = True) -> dict:
    """The service order list's filters from an ``isf.core.params.QueryParams`` (the page, its export and the
    API read them alike): ``status`` (``open`` = all open), ``team`` (code or id), ``sla_state``, ``service``
    (code), ``account`` (id), ``requester`` (id or user name), ``mine``. Unknown values are refused by ``query``.

    On the page (``page_defaults``) an inside agent who chose no filter sees the open orders; ``mine`` means assigned to me (inside sales) or
    requested by me (field).
    """
    filters = {
        "status": query.choice("status", ("open", *OrderStatus.values)),
        "team": query.lookup("team", _team_id),
        "sla_state": query.choice("sla_state", SlaState.values),
        "service": query.choice("service", ServiceCatalogEntry.objects.values_list("code", flat=True)),
        "account": query.id("account"),
        "requester": query.lookup("requester", _user_id),
    }
    if page_defaults and user.role == Role.INSIDE_AGENT and not any(query.raw(k) for k in (*ORDER_LIST_FILTERS, "mine")):
        filters["status"] = "open"
    if query.flag("mine"):
        filters["assignee" if user.role in {Role.INSIDE_AGENT, Role.INSIDE_LEAD} else "requester"] = user.pk
    return filters


def order_list(*, user, filters: dict | None = None, now: datetime | None = None) -> QuerySet[ServiceOrder]:
    """Visible orders filtered as ``order_list_filters`` reads them: status (``open`` = all open), team id,
    account id, requester id, assignee id, service code, sla_state."""
    filters = filters or {}
    now = now or timezone.now()
    qs = orders_visible_to(user)
    status = filters.get("status")
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    for key in ("team", "account", "requester", "assignee"):
        if filters.get(key):
            qs = qs.filter(**{f"{key}_id": filters[key]})
    if filters.get("service"):
        qs = qs.filter(service__code=filters["service"])
    if filters.get("sla_state"):
        qs = qs.filter(sla_condition(filters["sla_state"], now))
    qs = ranked(qs.select_related(*ORDER_RELATED))
    if filters.get("order") == "newest":
        return qs.order_by("-created_at", "-pk")
    return qs.order_by(F("rank").desc(nulls_last=True), "due_at", "-created_at", "-pk")


def ranked(qs: QuerySet[ServiceOrder]) -> QuerySet[ServiceOrder]:
    """Orders with ``rank`` and ``rank_reasons``: the priority of their open work-queue task
    (``isf.planning.priority``, the same number the queue sorts by); None for orders without open work."""
    from isf.planning.choices import OPEN_STATUSES as TASK_OPEN
    from isf.planning.choices import TaskKind
    from isf.planning.models import Task

    task = (Task.objects.filter(source="service", kind=TaskKind.SERVICE_ORDER, status__in=TASK_OPEN,
                                source_id=Cast(OuterRef("pk"), CharField()))
            .order_by("-pk"))
    return qs.annotate(rank=Subquery(task.values("priority")[:1]),
                       rank_reasons=Subquery(task.values("priority_reasons")[:1]))


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


def sla_breached_orders(*, limit: int = 20) -> list[ServiceOrder]:
    """Open service orders past their SLA, longest breached first (the review pack's escalations)."""
    return list(ServiceOrder.objects.filter(sla_state=SlaState.BREACHED, status__in=OPEN_STATUSES)
                .order_by("breach_at")[:limit])
