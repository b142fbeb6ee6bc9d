"""The account timeline: visit reports, calls, completed tasks, campaign call attempts, service orders, quotes,
orders, complaints, alerts (with their outcome), phase, segment and owner changes, newest first and filterable by kind.

Each source reads its newest `limit` entries (one query each), the merge keeps the newest
`limit`. Service orders, complaints, phase and segment changes come through isf.calls.sources.
"""

from datetime import date, datetime, time

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from isf.calls import sources
from isf.calls.models import CallLog
from isf.core.language import in_language
from isf.core.numbers import format_eur
from isf.planning.choices import TaskKind, TaskStatus
from isf.planning.models import Task

KINDS = [
    ("visit", gettext_lazy("Visit reports")),
    ("call", gettext_lazy("Calls")),
    ("task", gettext_lazy("Completed tasks")),
    ("campaign_call", gettext_lazy("Campaign calls")),
    ("service_order", gettext_lazy("Service orders")),
    ("quote", gettext_lazy("Quotes")),
    ("order", gettext_lazy("Orders")),
    ("complaint", gettext_lazy("Complaints")),
    ("alert", gettext_lazy("Alerts")),
    ("phase", gettext_lazy("Phase changes")),
    ("segment", gettext_lazy("Segment changes")),
    ("change", gettext_lazy("Company changes")),
    ("need", gettext_lazy("Needs")),
    ("potential", gettext_lazy("Potential estimates")),
    ("contact", gettext_lazy("Contacts")),
    ("press", gettext_lazy("Press findings")),
    ("reference", gettext_lazy("Reference cases")),
    ("owner", gettext_lazy("Owner changes")),
]
KIND_CODES = [k for k, _label in KINDS]
TIMELINE_LIMIT, TIMELINE_MIN, TIMELINE_MAX = 30, 10, 300  # entries shown first, at least, at most ("Show more": +30)


def _sort_key(at) -> datetime:
    if isinstance(at, datetime):
        return timezone.localtime(at).replace(tzinfo=None) if timezone.is_aware(at) else at
    if isinstance(at, date):
        return datetime.combine(at, time(23, 59, 59))  # noqa: DTZ001
    return datetime(1, 1, 1)  # noqa: DTZ001 - a naive local sort key


def _visits(account, limit):
    from isf.visits.models import AccountChangeEvent, VisitReport

    out = []
    for r in VisitReport.objects.filter(account=account).select_related("author", "visit_type")[:limit]:
        out.append({"at": r.visit_date, "kind": "visit", "title": f"{r.visit_type.name} · {r.author or ''}",
                    "detail": r.headline, "status": "", "url": r.get_absolute_url()})
    changes = []
    for e in AccountChangeEvent.objects.filter(account=account)[:limit]:
        changes.append({"at": e.date, "kind": "change", "title": str(e.get_kind_display()),
                        "detail": e.description[:200], "status": "", "url": e.report.get_absolute_url() if e.report_id else None})
    return out, changes


def _calls(account, limit):
    out = []
    for c in CallLog.objects.filter(account=account).select_related("agent", "contact")[:limit]:
        who = " · ".join(str(x) for x in (c.contact, c.agent) if x)
        detail = " · ".join(part for part in (c.note[:200], c.measured_text) if part)
        if c.cross_sell_offered:
            detail = (detail + " · " if detail else "") + (
                _("cross-sell accepted") if c.cross_sell_accepted else _("cross-sell offered"))
        out.append({"at": c.started_at, "kind": "call", "title": f"{c.get_direction_display()}: {c.outcome_label}"
                    + (f" ({who})" if who else ""), "detail": detail, "status": "", "url": None})
    return out


def _orders(account, limit):
    qs = account.orders.annotate(revenue=Sum("lines__net_revenue")).order_by("-date", "-number")[:limit]
    return [{"at": o.date, "kind": "order", "title": _("Order %(number)s") % {"number": o.number},
             "detail": format_eur(o.revenue or 0, 2),
             "status": "", "url": None} for o in qs]


def _quotes(account, limit):
    return [{"at": q.date, "kind": "quote", "title": _("Quote %(number)s") % {"number": q.number},
             "detail": format_eur(q.amount or 0, 2),
             "status": str(q.get_status_display()), "url": None}
            for q in account.quotes.order_by("-date", "-number")[:limit]]


def _joined(*parts) -> str:
    return " · ".join(str(p).strip() for p in parts if p and str(p).strip())


def _task_status(task) -> str:
    """'Done · Reached': the status and, once completed, the outcome in the active language."""
    if task.status == TaskStatus.DONE and task.outcome:
        return _joined(task.get_status_display(), task.outcome_label)
    return str(task.get_status_display())


def _alerts(account, limit):
    """Monitoring's alerts reach people as ALERT tasks of the work queue: open and done with their outcome and note,
    newest first."""
    return [{"at": t.created_at, "kind": "alert", "title": t.display_title, "detail": _joined(t.reason_text, t.note)[:300],
             "status": _task_status(t), "url": reverse("planning:task-detail", args=[t.pk])}
            for t in Task.objects.filter(account=account, kind=TaskKind.ALERT).order_by("-created_at")[:limit]]


#: completed tasks that have an entry of their own on the timeline (the alert, the service order)
TASKS_SHOWN_ELSEWHERE = (TaskKind.ALERT, TaskKind.SERVICE_ORDER)


def _tasks(account, limit):
    """Every completed task of the work queue (care calls, visits, call-backs, …) when it was done: kind, title,
    outcome, who, and the note."""
    done = (Task.objects.filter(account=account, status=TaskStatus.DONE).exclude(kind__in=TASKS_SHOWN_ELSEWHERE)
            .select_related("assignee").order_by("-completed_at", "-pk")[:limit])
    return [{"at": t.completed_at, "kind": "task",
             "title": _joined(f"{t.get_kind_display()}: {t.display_title}", t.assignee),
             "detail": t.note[:300], "status": _task_status(t), "url": reverse("planning:task-detail", args=[t.pk])}
            for t in done]


def _campaign_calls(account, limit):
    """Every call attempt on the account's campaign call lists: campaign, outcome, contact and agent, note."""
    from isf.campaigns.models import CallAttempt

    attempts = (CallAttempt.objects.filter(entry__account=account)
                .select_related("entry__campaign", "agent", "contact").order_by("-at", "-pk")[:limit])
    return [{"at": a.at, "kind": "campaign_call",
             "title": _joined(f"{a.entry.campaign.name}: {a.get_outcome_display()}", a.contact, a.agent),
             "detail": a.note[:300], "status": "", "url": None}
            for a in attempts]


def _needs(account, limit):
    """The needs the customer told us about: product group, expected volume, timing, who recorded it."""
    from isf.customers.models import CustomerNeed

    needs = (CustomerNeed.objects.filter(account=account).select_related("product_group", "recorded_by")
             .order_by("-recorded_at", "-pk")[:limit])
    return [{"at": n.recorded_at, "kind": "need",
             "title": _joined(_("Need: %(group)s") % {"group": in_language(n.product_group.name, n.product_group.name_en)}, n.recorded_by),
             "detail": _joined(format_eur(n.expected_volume) if n.expected_volume is not None else "",
                               n.get_timing_display(), n.note),
             "status": "", "url": None} for n in needs]


def _potentials(account, limit):
    """Each potential estimate with its source and date, newest first (the latest is the account's potential)."""
    from isf.customers.models import PotentialEstimate

    rows = (PotentialEstimate.objects.filter(account=account).select_related("recorded_by")
            .order_by("-estimated_on", "-pk")[:limit])
    return [{"at": e.estimated_on, "kind": "potential",
             "title": _joined(_("Potential estimated at %(value)s") % {"value": format_eur(e.value)}, e.recorded_by),
             "detail": _joined(e.get_source_display(), e.note), "status": "", "url": None} for e in rows]


def _contacts(account, limit):
    """Contacts a person added or changed (their history with its author; loads and imports name none): name,
    function and buying-center role."""
    from isf.customers.models import Contact

    rows = (Contact.history.filter(account_id=account.pk, history_type__in=("+", "~"),
                                   history_user__isnull=False)
            .select_related("history_user").order_by("-history_date", "-history_id")[:limit])
    roles = dict(Contact._meta.get_field("buying_role").flatchoices)
    out = []
    for h in rows:
        name = " ".join(p for p in (h.first_name, h.last_name) if p)
        title = (_("New contact: %(name)s") if h.history_type == "+" else _("Contact changed: %(name)s")) % {
            "name": name}
        out.append({"at": h.history_date, "kind": "contact", "title": _joined(title, h.history_user),
                    "detail": _joined(h.function, roles.get(h.buying_role, "") if h.buying_role else "", h.email),
                    "status": "", "url": None})
    return out


def _press(account, limit):
    """Articles about the customer (isf.references): publication, headline, what it means for us."""
    from isf.references.models import PressFinding

    rows = PressFinding.objects.filter(account=account).select_related("recorded_by")[:limit]
    return [{"at": p.published_on, "kind": "press", "title": _joined(p.publication, p.headline),
             "detail": _joined(p.note, p.recorded_by), "status": "", "url": p.url or None} for p in rows]


def _references(account, limit):
    """The customer's stories in the reference library, with their approval."""
    from isf.core.dates import format_date
    from isf.references.models import ReferenceCase

    rows = ReferenceCase.objects.filter(account=account).order_by("-created_at", "-pk")[:limit]
    return [{"at": c.created_at, "kind": "reference", "title": c.title, "detail": c.result[:300],
             "status": (_("approved by %(who)s on %(day)s") % {"who": c.approved_by, "day": format_date(c.approved_on)})
             if c.approved_on else _("approval pending"),
             "url": reverse("references:list") + f"?q={c.account.erp_number}"} for c in rows]


def timeline_for(account, *, kinds: list[str] | None = None, limit: int = 30) -> list[dict]:
    """The newest `limit` entries of the selected kinds (all kinds when none are given)."""
    wanted = set(kinds or KIND_CODES) & set(KIND_CODES) or set(KIND_CODES)
    entries: list[dict] = []
    if wanted & {"visit", "change"}:
        visits, changes = _visits(account, limit)
        entries += [e for e in visits + changes if e["kind"] in wanted]
    if "call" in wanted:
        entries += _calls(account, limit)
    if "order" in wanted:
        entries += _orders(account, limit)
    if "quote" in wanted:
        entries += _quotes(account, limit)
    if "alert" in wanted:
        entries += _alerts(account, limit)
    if "task" in wanted:
        entries += _tasks(account, limit)
    if "campaign_call" in wanted:
        entries += _campaign_calls(account, limit)
    if "service_order" in wanted:
        entries += sources.items(sources.SERVICE_ORDERS, account, "service_order", limit=limit)
    if "complaint" in wanted:
        entries += sources.items(sources.COMPLAINTS, account, "complaint", limit=limit)
    if "phase" in wanted:
        entries += sources.items(sources.PHASE_CHANGES, account, "phase", limit=limit)
    if "segment" in wanted:
        entries += sources.items(sources.SEGMENT_CHANGES, account, "segment", limit=limit)
    if "need" in wanted:
        entries += _needs(account, limit)
    if "potential" in wanted:
        entries += _potentials(account, limit)
    if "contact" in wanted:
        entries += _contacts(account, limit)
    if "press" in wanted:
        entries += _press(account, limit)
    if "reference" in wanted:
        entries += _references(account, limit)
    if "owner" in wanted:
        from isf.customers.owners import owner_changes_for

        entries += owner_changes_for(account, limit)
    labels = dict(KINDS)
    for e in entries:
        e["kind_label"] = labels[e["kind"]]
        e["sort"] = _sort_key(e["at"])
        e["has_time"] = isinstance(e["at"], datetime)
    entries.sort(key=lambda e: e["sort"], reverse=True)
    return entries[:limit]


def timeline_context(account, *, kinds: list[str] | None = None, limit: int = TIMELINE_LIMIT) -> dict:
    selected = [k for k in (kinds or []) if k in KIND_CODES]
    limit = max(TIMELINE_MIN, min(limit, TIMELINE_MAX))
    return {
        "account": account,
        "entries": timeline_for(account, kinds=selected, limit=limit),
        "kinds": KINDS,
        "selected": selected,
        "limit": limit,
        "more": min(limit + TIMELINE_LIMIT, TIMELINE_MAX),
    }
