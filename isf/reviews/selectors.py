"""Reads of the review meeting: meeting lists, announcements for a user, and the review pack's figures."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext

from isf.capacity import kpis, staffing
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
    """Open escalations: the service orders past their SLA, longest breached first (isf.service.selectors)."""
    from isf.service.selectors import sla_breached_orders

    return [{"title": str(o), "since": o.breach_at} for o in sla_breached_orders(limit=20)]


def _segments(period):
    """Revenue per segment in the period with its share, shown to one decimal and adding up to 100 % (largest
    remainder, as on the segment overview)."""
    from isf.core.numbers import largest_remainder
    from isf.customers.models import OrderLine
    from isf.segmentation.models import Segment

    revenue = dict(
        OrderLine.objects.filter(order_date__gte=period.first, order_date__lte=period.last)
        .values("account__segment_id").annotate(r=Sum("net_revenue")).values_list("account__segment_id", "r")
    )
    total = sum(float(v or 0) for v in revenue.values())
    rows = []
    for s in Segment.objects.annotate(n=Count("accounts")).order_by("precedence"):
        r = float(revenue.get(s.pk) or 0)
        rows.append({"code": s.code, "name": s.name, "accounts": s.n, "revenue": r,
                     "share": r / total if total else None})
    unsegmented = float(revenue.get(None) or 0)
    if unsegmented:
        rows.append({"code": "", "name": gettext("no segment"), "accounts": None, "revenue": unsegmented,
                     "share": unsegmented / total})
    for row, shown in zip(rows, largest_remainder([r["share"] for r in rows]), strict=True):
        row["share_shown"] = shown
    return rows


def elapsed_part(period, today=None):
    """A period still running is compared by its elapsed part: (the part up to today, the same number of days
    at the start of the period before, partial?). A closed period: itself and the same length before."""
    today = today or timezone.localdate()
    current = period if period.last < today else kpis.Period(period.first, max(period.first, today))
    length = current.days
    before_first = _period_before_start(period)
    before = kpis.Period(before_first, min(before_first + timedelta(days=length - 1), period.first - timedelta(days=1)))
    return current, before, current.last != period.last


def _period_before_start(period):
    """First day of the period before: whole calendar months step back by months (November before December),
    any other period by its number of days."""
    following = period.last + timedelta(days=1)
    if period.first.day == 1 and following.day == 1:
        months = (following.year - period.first.year) * 12 + following.month - period.first.month
        index = period.first.year * 12 + period.first.month - 1 - months
        return period.first.replace(year=index // 12, month=index % 12 + 1)
    return period.first - timedelta(days=period.days)


def _call_volumes(period):
    """Calls offered per team in the period against the period before (the same elapsed days while it runs):
    measured by the phone system where it sends events, else imported (``isf.capacity.intervals.offered_by_team``)."""
    from isf.capacity.intervals import offered_by_team

    current, before, partial = elapsed_part(period)

    def totals(p):
        return offered_by_team(p.since, p.until)

    now, prev = totals(current), totals(before)
    rows = []
    for team in sorted(set(now) | set(prev), key=lambda t: t or ""):
        actual, previous = now.get(team) or 0, prev.get(team) or 0
        rows.append({"team": team, "actual": actual, "expected": previous,
                     "change": (actual / previous - 1) if previous else None})
    return {"rows": rows, "current": current, "before": before, "partial": partial,
            "offered": sum(r["actual"] for r in rows)}


def review_pack(meeting: ReviewMeeting) -> dict:
    """Everything the pack shows for the meeting's period."""
    from isf.org.models import Team
    from isf.targets.selectors import pack_targets

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
        "targets": pack_targets(meeting),
    }


def _previous_actions(meeting):
    from isf.reviews.models import ReviewAction

    return ReviewAction.objects.filter(meeting__scheduled_at__lt=meeting.scheduled_at).select_related(
        "owner", "task", "meeting").order_by("-meeting__scheduled_at", "due_date")[:30]
