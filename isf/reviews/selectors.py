"""Reads of the review meeting: meeting lists, announcements for a user, and the review pack's figures."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from isf.capacity import kpis, sources, staffing
from isf.capacity.schedule import deferred_summary
from isf.capacity.selectors import LOCAL
from isf.org.choices import Role
from isf.reviews.models import Acknowledgement, Announcement, MeetingStatus, ReviewMeeting


def meetings():
    base = ReviewMeeting.objects.select_related("sales_lead", "inside_lead").annotate(
        n_actions=Count("actions", distinct=True),
        n_open=Count("actions", filter=Q(actions__task__status__in=["open", "claimed"]), distinct=True),
    )
    now = timezone.now()
    upcoming = base.filter(scheduled_at__gte=now - timedelta(hours=12), status=MeetingStatus.PLANNED).order_by(
        "scheduled_at"
    )
    past = base.exclude(pk__in=upcoming.values("pk")).order_by("-scheduled_at")
    return upcoming, past


def announcements_for(user, *, unacknowledged_only: bool = True, limit: int = 5):
    """What inside sales should read on its home page: announcements for all or for the user's team."""
    if not getattr(user, "is_authenticated", False) or user.role not in (Role.INSIDE_AGENT, Role.INSIDE_LEAD):
        return Announcement.objects.none()
    qs = Announcement.objects.select_related("author", "team")
    if user.role == Role.INSIDE_AGENT:
        qs = qs.filter(Q(team__isnull=True) | Q(team_id=user.team_id))
    qs = qs.annotate(acked=Exists(Acknowledgement.objects.filter(announcement=OuterRef("pk"), user=user)))
    if unacknowledged_only:
        qs = qs.filter(acked=False)
    return qs[:limit]


def announcement_list():
    """For the leads: every announcement with how many of its audience acknowledged it."""
    from isf.org.models import User

    rows = list(Announcement.objects.select_related("author", "team").annotate(n_acks=Count("acknowledgements")))
    inside = User.objects.filter(is_active=True, role=Role.INSIDE_AGENT)
    all_inside = inside.count()
    per_team = dict(inside.values_list("team_id").annotate(n=Count("pk")).values_list("team_id", "n"))
    for a in rows:
        a.audience = per_team.get(a.team_id, 0) if a.team_id else all_inside
    return rows


def _escalations():
    """Open escalations: service orders flagged escalated (when the service app has them), else overdue
    approval requests and service-order tasks in the work queue."""
    from isf.planning.models import Task

    order = sources.service_order_model()
    if order is not None and sources.has_table(order):
        fields = {f.name for f in order._meta.get_fields()}
        if {"sla_state", "status"} <= fields:
            breached = order.objects.filter(sla_state="breached").exclude(status__in=["done", "rejected", "cancelled"])
            since = "breach_at" if "breach_at" in fields else "created_at"
            return [{"title": str(o), "since": getattr(o, since, None)}
                    for o in breached.order_by(since)[:20]]
    overdue = Task.objects.filter(
        kind__in=["approval", "service_order"], status__in=["open", "claimed"], due_at__lt=timezone.now()
    ).order_by("due_at")[:20]
    return [{"title": t.title, "since": t.due_at} for t in overdue]


def _segments(period):
    from isf.customers.models import OrderLine
    from isf.segmentation.models import Segment

    revenue = dict(
        OrderLine.objects.filter(order_date__gte=period.first, order_date__lte=period.last)
        .values("account__segment_id").annotate(r=Sum("net_revenue")).values_list("account__segment_id", "r")
    )
    total = sum(float(v or 0) for v in revenue.values()) or 1.0
    rows = []
    for s in Segment.objects.annotate(n=Count("accounts")).order_by("precedence"):
        r = float(revenue.get(s.pk) or 0)
        rows.append({"code": s.code, "name": s.name, "accounts": s.n, "revenue": r, "share": r / total})
    return rows


def _call_volumes(period):
    """Calls offered per team in the period against the same number of days before (the expectation): measured by
    the phone system where it sends events, else imported (``isf.capacity.intervals.offered_by_team``)."""
    from isf.capacity.intervals import offered_by_team

    before = kpis.Period(period.first - timedelta(days=period.days), period.first - timedelta(days=1))

    def totals(p):
        return offered_by_team(p.since, p.until)

    now, prev = totals(period), totals(before)
    rows = []
    for team in sorted(set(now) | set(prev), key=lambda t: t or ""):
        actual, expected = now.get(team) or 0, prev.get(team) or 0
        rows.append({"team": team, "actual": actual, "expected": expected,
                     "change": (actual / expected - 1) if expected else None})
    return rows


def review_pack(meeting: ReviewMeeting) -> dict:
    """Everything the pack shows for the meeting's period."""
    from isf.org.models import Team

    period = kpis.Period(meeting.period_start, meeting.period_end)
    data = kpis.dashboard(period)
    capacity = []
    deferred = deferred_summary(since=meeting.period_start, until=meeting.period_end + timedelta(days=1))
    for team in Team.objects.all():
        plan = staffing.team_plan(team, days=14)
        capacity.append({"team": team, "weeks": plan.weeks(), "source": plan.source, "error": plan.error,
                         "deferred": deferred.get(team.pk)})
    return {
        "meeting": meeting,
        "period": period,
        "generated_at": timezone.now().astimezone(LOCAL),
        **data,
        "volumes": _call_volumes(period),
        "capacity": capacity,
        "segments": _segments(period),
        "escalations": _escalations(),
        "actions": meeting.actions.select_related("owner", "task"),
        "previous_actions": _previous_actions(meeting),
    }


def _previous_actions(meeting):
    from isf.reviews.models import ReviewAction

    return ReviewAction.objects.filter(meeting__scheduled_at__lt=meeting.scheduled_at).select_related(
        "owner", "task", "meeting").order_by("-meeting__scheduled_at", "due_date")[:30]
