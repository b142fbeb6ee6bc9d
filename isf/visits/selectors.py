"""Reads for visit reports: today's planned visits, recent accounts, reports of an account."""

from datetime import date, datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from isf.customers.models import Account
from isf.customers.selectors import account_search, accounts_visible_to
from isf.planning.choices import OPEN_STATUSES, TaskKind
from isf.planning.models import Task
from isf.visits.models import VisitReport, VisitType


def planned_visits_today(user, today: date | None = None) -> QuerySet[Task]:
    """Open visit tasks assigned to the user, due today (or overdue)."""
    today = today or timezone.localdate()
    end = timezone.make_aware(datetime.combine(today, time.max))
    return (Task.objects.filter(kind=TaskKind.VISIT, assignee=user, status__in=OPEN_STATUSES, due_at__lte=end,
                                account__isnull=False)
            .select_related("account").order_by("due_at")[:12])


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
