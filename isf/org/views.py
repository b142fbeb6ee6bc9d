"""Home pages: each role lands on its own page."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from isf.campaigns.models import RepCalendar
from isf.campaigns.selectors import rep_appointments_ahead
from isf.customers.selectors import accounts_visible_to, twelve_months_ago
from isf.org.choices import Role
from isf.org.models import Team, User
from isf.planning.field_day import field_day
from isf.planning.priority import priorities_refresh_stale
from isf.planning.selectors import contact_plan_figures, month_to_date, team_loads, work_queue
from isf.segmentation.selectors import segment_kpis
from isf.targets.selectors import home_targets

APPOINTMENT_DAYS = 7


@login_required
def home(request):
    user = request.user
    handler = {
        Role.INSIDE_AGENT: _home_agent,
        Role.FIELD_REP: _home_field,
        Role.INSIDE_LEAD: _home_idl,
        Role.SALES_LEAD: _home_vl,
        Role.MARKETING: _home_marketing,
        Role.ADMIN: _home_admin,
    }.get(user.role, _home_agent)
    return handler(request)


def _home_agent(request):
    priorities_refresh_stale()
    queue = work_queue(user=request.user)
    return render(request, "home/agent.html", {"tasks": queue[:50], "total": queue.count()})


def _home_field(request):
    """The rep's day: due today, overdue (the visits beyond their care interval as one re-plan item), appointments
    booked for him in the next 7 days with his calendar feed, his accounts."""
    user = request.user
    today = timezone.localdate()
    day = field_day(user)
    cal = RepCalendar.objects.filter(rep=user).only("feed_token").first()
    feed_url = request.build_absolute_uri(reverse("campaigns:calendar-feed", args=[cal.feed_token])) if cal else ""
    since = twelve_months_ago(today)
    accounts = (
        accounts_visible_to(user)
        .filter(owner=user)
        .annotate(revenue_12m=Sum("order_lines__net_revenue", filter=Q(order_lines__order_date__gt=since)))
        .select_related("segment")
        .order_by("-revenue_12m")[:15]
    )
    return render(
        request,
        "home/field.html",
        {"plan": day.today, "overdue": day.overdue, "replan": day.replan, "accounts": accounts,
         "appointments": rep_appointments_ahead(user, days=APPOINTMENT_DAYS), "appointment_days": APPOINTMENT_DAYS,
         "feed_url": feed_url, "owned": user.owned_accounts.count(), "today": today,
         "targets": home_targets(user, scope="rep", today=today)},
    )


def _home_idl(request):
    """Per team: agents, open, unclaimed and overdue tasks, and the contact plan on time this month - all from
    the one definition in isf.planning.selectors (the KPI dashboard, the review pack and the API read it too)."""
    now = timezone.now()
    teams = list(Team.objects.annotate(
        agents=Count("members", filter=Q(members__role=Role.INSIDE_AGENT, members__is_active=True), distinct=True),
    ))
    from isf.capacity.schedule import deferred_summary

    loads = team_loads(now=now)  # every team, and key None: tasks of no team (field visits, leads' own work)
    since, until = month_to_date(now)
    plan = contact_plan_figures(since=since, until=until, group="team", now=now)
    deferred = deferred_summary(since=timezone.localdate())
    for team in teams:
        load = loads.get(team.pk)
        team.open_tasks, team.unclaimed, team.overdue = (load.open, load.unclaimed, load.overdue) if load else (0, 0, 0)
        team.plan = plan.get(team.pk)
        team.deferred = deferred.get(team.pk)
    # the rows add up to the figures the KPI dashboard and the review pack show for all teams
    no_team = loads.get(None)
    total = {
        "open_tasks": sum(load.open for load in loads.values()),
        "unclaimed": sum(load.unclaimed for load in loads.values()),
        "overdue": sum(load.overdue for load in loads.values()),
        "plan": contact_plan_figures(since=since, until=until, now=now),
    }
    return render(request, "home/idl.html", {"teams": teams, "period_first": since, "no_team": no_team,
                                             "no_team_plan": plan.get(None), "total": total,
                                             "targets": home_targets(request.user, scope="team")})


def _home_vl(request):
    # The same aggregate as the segment KPI page, so the two never disagree.
    return render(request, "home/vl.html", {"rows": segment_kpis().rows,
                                            "targets": home_targets(request.user, scope="segment")})


def _home_marketing(request):
    return render(request, "home/marketing.html", {})


def _home_admin(request):
    return render(
        request,
        "home/admin.html",
        {"users": User.objects.filter(is_active=True).count(), "teams": Team.objects.count()},
    )


def root(request):
    return redirect("home")
