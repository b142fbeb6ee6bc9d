"""Reads for visit reports: today's planned visits, recent accounts, reports of an account."""

from datetime import date, datetime, time

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from isf.customers.models import Account
from isf.customers.selectors import account_search, accounts_visible_to
from isf.planning.choices import OPEN_STATUSES, TaskKind
from isf.planning.models import Task
from isf.visits.models import VisitReport, VisitType


def _day_bounds(today: date) -> tuple[datetime, datetime]:
    return (timezone.make_aware(datetime.combine(today, time.min)),
            timezone.make_aware(datetime.combine(today, time.max)))


def _open_visits(user) -> QuerySet[Task]:
    return (Task.objects.filter(kind=TaskKind.VISIT, assignee=user, status__in=OPEN_STATUSES, account__isnull=False)
            .select_related("account"))


def planned_visits_today(user, today: date | None = None, limit: int = 12) -> list[Task]:
    """Open visit tasks assigned to the user for today, by start time (09:00 before 15:00)."""
    start, end = _day_bounds(today or timezone.localdate())
    return list(_open_visits(user).filter(due_at__gte=start, due_at__lte=end).order_by("due_at", "pk")[:limit])


def overdue_visits(user, today: date | None = None, limit: int = 12) -> list[Task]:
    """Open visit tasks of earlier days (not reported yet), the most recent first."""
    start, _end = _day_bounds(today or timezone.localdate())
    return list(_open_visits(user).filter(due_at__lt=start).order_by("-due_at", "-pk")[:limit])


def recent_accounts(user, limit: int = 8) -> list[Account]:
    """Accounts of the user's latest reports, then accounts the user owns."""
    ids = []
    for pk in VisitReport.objects.filter(author=user).order_by("-created_at").values_list("account_id", flat=True)[:50]:
        if pk not in ids:
            ids.append(pk)
        if len(ids) >= limit:
            break
    accounts = list(Account.objects.filter(pk__in=ids))
    accounts.sort(key=lambda a: ids.index(a.pk))
    if len(accounts) < limit:
        more = accounts_visible_to(user).filter(owner=user).exclude(pk__in=ids).order_by("-potential")
        accounts += list(more[: limit - len(accounts)])
    return accounts


def account_choices(user, q: str, limit: int = 20) -> list[Account]:
    return list(account_search(accounts_visible_to(user), q).order_by("name")[:limit])


def visit_types() -> list[VisitType]:
    types = list(VisitType.objects.all())
    if not types:  # an emptied database (e.g. after a flush): the templates come back
        from isf.visits.services import visit_types_ensure_defaults

        visit_types_ensure_defaults()
        types = list(VisitType.objects.all())
    return types


def reports_of(account) -> QuerySet[VisitReport]:
    return VisitReport.objects.filter(account=account).select_related("author", "visit_type")


def reports_visible_to(user) -> QuerySet[VisitReport]:
    return VisitReport.objects.filter(account__in=accounts_visible_to(user))


def follow_ups_of(report: VisitReport) -> list[dict]:
    """The report's follow-ups with the catalog service's name in the active language and the order's number."""
    from isf.service.models import ServiceCatalogEntry

    items = report.follow_ups or []
    entries = ServiceCatalogEntry.objects.in_bulk([i.get("code") for i in items if i.get("code")], field_name="code")
    out = []
    for i in items:
        entry = entries.get(i.get("code"))
        order = i.get("service_order")
        out.append({"name": entry.name if entry is not None else i.get("code", ""), "number": i.get("number", ""),
                    "url": reverse("service:order-detail", args=[order]) if order else None})
    return out
