"""Capacity pages: volumes, forecast and staffing gap; process times; the KPI dashboard. Thin."""

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from isf.capacity import charts, intervals, kpis, processtimes, selectors, services, staffing
from isf.capacity.forms import AdoptForm, ErlangForm, StaffingParametersForm
from isf.core.access import can
from isf.core.params import QueryParams
from isf.org.models import Team
from isf.planning.selectors import contact_plan_figures
from isf_stats.capacity import ErlangInputError, required_agents


def _team_by_code(teams):
    return lambda code: next((t for t in teams if t.code == code), None)


def _team(request):
    """All teams and the one shown: ``?team=`` (an unknown code is ignored with a message; a form posting one is
    refused with 400, nothing saved for another team), else the user's team, else the first."""
    teams = list(Team.objects.all())
    if request.method == "POST":
        selected = QueryParams(request.POST, strict=True).lookup("team", _team_by_code(teams))
    else:
        query = QueryParams(request.GET)
        selected = query.lookup("team", _team_by_code(teams))
        query.warn(request)
    if selected is None and request.user.team_id:
        selected = next((t for t in teams if t.pk == request.user.team_id), None)
    return teams, selected or (teams[0] if teams else None)


def _erlang(request):
    if "calls_per_hour" not in request.GET:
        return ErlangForm(), None, ""
    form = ErlangForm(request.GET)
    if not form.is_valid():
        return form, None, ""
    d = form.cleaned_data
    try:
        result = required_agents(
            float(d["calls_per_hour"]), d["aht"], target_level=d["target_level"] / 100,
            target_seconds=d["target_seconds"], shrinkage=d["shrinkage"],
            max_occupancy=float(d["max_occupancy"]) if d["max_occupancy"] else None,
        )
    except ErlangInputError as exc:
        return form, None, str(exc)
    return form, result, ""


def overview(request):
    teams, team = _team(request)
    if request.method == "POST":
        form = StaffingParametersForm(request.POST, instance=services.staffing_parameters_for(team))
        if form.is_valid():
            try:
                services.staffing_parameters_update(team=team, **{k: form.cleaned_data[k] for k in form.fields})
            except services.CapacityError as exc:
                form.add_error(exc.field or None, str(exc))
            else:
                messages.success(request, _("Staffing parameters saved."))
                return redirect(f"{request.path}?team={team.code}")
    else:
        form = StaffingParametersForm(instance=services.staffing_parameters_for(team)) if team else None
    context = {"teams": teams, "team": team, "params_form": form, "can_edit": can(request.user, "capacity:overview", "POST")}
    if team is not None:
        series = selectors.volume_series(team)
        plan = staffing.team_plan(team, series=series)
        profile = selectors.weekday_profile(series)
        context.update(
            plan=plan,
            weeks=plan.weeks(),
            profile=profile,
            gap_chart=charts.gap_chart(staffing.plan_chart(plan)),
            profile_chart=charts.profile_chart(profile) if profile["labels"] else None,
        )
        if plan.source:
            context["forecast_chart"] = charts.forecast_chart(selectors.daily_totals(series)[-28:], plan.days)
        day = intervals.last_day_with_calls(team)
        context["interval_day"] = day
        context["interval_figures"] = intervals.interval_figures(team, day) if day else None
    # the imports page takes the file (preview, dry run, error report): the form is offered to who may post there
    context["can_upload"] = can(request.user, "imports:list", "POST")
    context["erlang_form"], context["erlang"], context["erlang_error"] = _erlang(request)
    context["volume_sources"] = selectors.volume_overview()
    return render(request, "capacity/overview.html", context)


def process_times(request):
    teams = list(Team.objects.all())
    query = QueryParams(request.GET)
    team = query.lookup("team", _team_by_code(teams))  # none: all teams
    query.warn(request)
    until = timezone.now()
    since = until - timedelta(days=90)
    rows = processtimes.service_process_times(since=since, until=until, team=team)
    for row in rows or []:  # what adopting would change, shown before it is saved
        row.fte_change = (staffing.standard_change_fte(row.service_id, row.measured_effort_min)
                          if row.measured_effort_min and row.service_id else None)
    context = {
        "teams": teams,
        "team": team,
        "rows": rows,
        "calls": processtimes.call_handling_times(since=since, until=until, team=team),
        "contacts": processtimes.planned_contact_times(since=since, until=until, team=team),
        "plan": contact_plan_figures(since=since, until=until, team=team),
        "can_adopt": can(request.user, "capacity:adopt-standard", "POST"),
    }
    return render(request, "capacity/process_times.html", context)


@require_POST
def adopt_standard(request):
    form = AdoptForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The measured value is not a positive number of minutes."))
        return redirect("capacity:process-times")
    try:
        services.standard_effort_adopt(service_id=form.cleaned_data["service_id"],
                                       minutes=form.cleaned_data["minutes"], user=request.user)
    except services.CapacityError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The measured effort is now the standard effort of the service."))
    return redirect("capacity:process-times")


def dashboard(request):
    teams = list(Team.objects.all())
    query = QueryParams(request.GET)
    team = query.lookup("team", _team_by_code(teams))  # none: all teams
    kind = query.choice("period", kpis.PERIODS, default="month")
    offset = -1 if query.flag("previous") else 0
    query.warn(request)
    data = kpis.dashboard(kpis.period_for(kind, offset=offset), team)
    chart_calls = charts.bars(data["charts"]["calls"]["labels"],
                              [(_("Inbound"), data["charts"]["calls"]["inbound"]),
                               (_("Outbound"), data["charts"]["calls"]["outbound"])], y_title=_("Calls"), stacked=True)
    chart_coverage = charts.bars(data["charts"]["coverage"]["labels"],
                                 [(_("Planned contacts done (%)"), data["charts"]["coverage"]["rate"])], y_title="%")
    chart_process = charts.bars(data["charts"]["process"]["labels"],
                                [(_("Request to done, median (business hours)"), data["charts"]["process"]["median"]),
                                 (_("Standard effort (hours)"), data["charts"]["process"]["standard"])])
    return render(request, "capacity/dashboard.html", {
        **data, "teams": teams, "team": team, "kind": kind, "previous": bool(offset),
        "periods": [("week", _("Week")), ("month", _("Month")), ("quarter", _("Quarter"))],
        "chart_calls": chart_calls, "chart_coverage": chart_coverage, "chart_process": chart_process,
    })
