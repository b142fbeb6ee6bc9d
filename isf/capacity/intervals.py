"""Call figures per 15-minute interval of one day: offered, answered, answer rate, mean wait, talk, wrap-up and
handling time (AHT).

Measured from the phone system's calls (``CallLog`` rows with ``source`` telephony) when it sends events for the
team that day (AHT: talk plus wrap-up of the answered calls); otherwise the imported interval file
(``CallVolume``: offered, and answered and AHT when the file has them; wait, talk and wrap-up stay empty).
Times in local wall clock.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Max, Sum
from django.db.models.functions import TruncDate

from isf.capacity import sources
from isf.capacity.models import CallVolume
from isf.capacity.selectors import LOCAL

RESOLUTION = 15


def _slot(moment: datetime) -> str:
    local = moment.astimezone(LOCAL)
    minute = local.minute - local.minute % RESOLUTION
    return f"{local.hour:02d}:{minute:02d}"


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def last_day_with_calls(team) -> date | None:
    """The last day with telephony calls of the team, else with imported volumes (None: no data)."""
    model = sources.call_model()
    qs = model.objects.filter(source="telephony", direction="inbound")
    if team is not None:
        qs = qs.filter(team=team)
    last = qs.aggregate(last=Max("started_at"))["last"]
    if last is None:
        last = CallVolume.objects.filter(team=team).aggregate(last=Max("start"))["last"]
    return last.astimezone(LOCAL).date() if last else None


def interval_figures(team, day: date) -> dict:
    """``{"source": "telephony_events"|"import"|"", "rows": [...]}``: one row per interval with calls."""
    since = datetime.combine(day, time(0), tzinfo=LOCAL)
    until = datetime.combine(day + timedelta(days=1), time(0), tzinfo=LOCAL)
    model = sources.call_model()
    qs = model.objects.filter(source="telephony", direction="inbound", started_at__gte=since, started_at__lt=until)
    if team is not None:
        qs = qs.filter(team=team)
    calls = list(qs.values_list("started_at", "answered_at", "wait_seconds", "talk_seconds", "wrap_up_seconds"))
    if calls:
        slots: dict = defaultdict(lambda: {"offered": 0, "answered": 0, "wait": [], "talk": [], "wrap_up": [],
                                           "aht": []})
        for started, answered, wait, talk, wrap_up in calls:
            row = slots[_slot(started)]
            row["offered"] += 1
            row["answered"] += answered is not None
            for key, value in (("wait", wait), ("talk", talk), ("wrap_up", wrap_up)):
                if value is not None and (key == "wait" or answered is not None):
                    row[key].append(value)
            if talk is not None:
                row["aht"].append(talk + (wrap_up or 0))
        rows = [{"start": start, "offered": r["offered"], "answered": r["answered"],
                 "answer_rate": round(100 * r["answered"] / r["offered"], 1), "wait_seconds": _mean(r["wait"]),
                 "talk_seconds": _mean(r["talk"]), "wrap_up_seconds": _mean(r["wrap_up"]), "aht_seconds": _mean(r["aht"])}
                for start, r in sorted(slots.items())]
        return {"source": "telephony_events", "rows": rows}
    slots: dict = defaultdict(lambda: {"offered": 0, "answered": None, "aht": 0.0, "weight": 0})
    for start, count, answered, aht in CallVolume.objects.filter(team=team, start__gte=since, start__lt=until).values_list(
            "start", "calls", "answered", "aht_seconds"):
        row = slots[_slot(start)]
        row["offered"] += count
        if answered is not None:
            row["answered"] = (row["answered"] or 0) + answered
        if aht is not None and (answered if answered is not None else count):
            weight = answered if answered is not None else count
            row["aht"], row["weight"] = row["aht"] + aht * weight, row["weight"] + weight
    rows = [{"start": start, "offered": r["offered"], "answered": r["answered"],
             "answer_rate": round(100 * r["answered"] / r["offered"], 1) if r["answered"] is not None else None,
             "wait_seconds": None, "talk_seconds": None, "wrap_up_seconds": None,
             "aht_seconds": round(r["aht"] / r["weight"], 1) if r["weight"] else None}
            for start, r in sorted(slots.items()) if r["offered"]]
    return {"source": "import" if rows else "", "rows": rows}


def offered_by_team(since: datetime, until: datetime) -> dict[str | None, int]:
    """Calls offered per team name in [since, until): per team and day, the phone system's inbound calls where it
    sent any that day, else the team's imported interval volumes - the same rule as the figures per interval, so a
    phone system connected in the middle of a month adds its measured days to the imported ones before."""
    imported = (CallVolume.objects.filter(start__gte=since, start__lt=until)
                .annotate(day=TruncDate("start", tzinfo=LOCAL)).values("team__name", "day").annotate(n=Sum("calls")))
    measured = (sources.call_model().objects.filter(source="telephony", direction="inbound", started_at__gte=since,
                                                    started_at__lt=until)
                .annotate(day=TruncDate("started_at", tzinfo=LOCAL)).values("team__name", "day")
                .annotate(n=Count("pk")))
    per_day = {(r["team__name"], r["day"]): r["n"] for r in imported}
    per_day.update({(r["team__name"], r["day"]): r["n"] for r in measured})
    totals: dict[str | None, int] = defaultdict(int)
    for (team, _day), n in per_day.items():
        totals[team] += n
    return dict(totals)
