"""Chart.js configurations built on the server (labels translated here); static/js/capacity.js draws them."""

from django.utils.translation import gettext as _

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
COLOURS = ["#1d4ed8", "#15803d", "#d97706", "#b91c1c", "#7c3aed", "#0e7490", "#64748b"]


def line(labels, series: list[tuple[str, list]], y_title: str = "") -> dict:
    return {
        "type": "line",
        "data": {"labels": labels, "datasets": [
            {"label": name, "data": data, "borderColor": COLOURS[i % len(COLOURS)], "pointRadius": 0, "tension": 0.3,
             "fill": False} for i, (name, data) in enumerate(series)]},
        "options": {"responsive": True, "maintainAspectRatio": False, "animation": False,
                    "scales": {"y": {"beginAtZero": True, "title": {"display": bool(y_title), "text": y_title}}}},
    }


def bars(labels, series: list[tuple[str, list]], y_title: str = "", stacked: bool = False) -> dict:
    return {
        "type": "bar",
        "data": {"labels": labels, "datasets": [
            {"label": name, "data": data, "backgroundColor": COLOURS[i % len(COLOURS)]}
            for i, (name, data) in enumerate(series)]},
        "options": {"responsive": True, "maintainAspectRatio": False, "animation": False,
                    "scales": {"x": {"stacked": stacked},
                               "y": {"stacked": stacked, "beginAtZero": True,
                                     "title": {"display": bool(y_title), "text": y_title}}}},
    }


def gap_chart(chart: dict) -> dict:
    """Required vs available FTE per day as bars, the gap as a line on top."""
    config = bars(chart["labels"], [(_("Required FTE"), chart["required"]), (_("Available FTE"), chart["available"])],
                  y_title=_("FTE"))
    config["data"]["datasets"].append({"type": "line", "label": _("Gap (available − required)"), "data": chart["gap"],
                                       "borderColor": COLOURS[3], "backgroundColor": COLOURS[3], "pointRadius": 3})
    config["options"]["scales"]["y"]["beginAtZero"] = False
    return config


def profile_chart(profile: dict) -> dict:
    names = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
    series = [(names[wd], profile["weekdays"][wd]) for wd in range(7) if profile["totals"] and profile["totals"][wd]]
    return line(profile["labels"], series, y_title=_("Calls per interval"))


def forecast_chart(history: list, days: list) -> dict:
    """Daily calls: the last weeks as observed, the coming days as forecast."""
    labels = [d.strftime("%d.%m.") for d, _v in history] + [d.day.strftime("%d.%m.") for d in days]
    observed = [round(v, 1) for _d, v in history] + [None] * len(days)
    predicted = [None] * len(history) + [round(d.calls, 1) for d in days]
    config = line(labels, [(_("Calls (observed)"), observed), (_("Calls (forecast)"), predicted)], y_title=_("Calls"))
    config["data"]["datasets"][1]["borderDash"] = [6, 4]
    for dataset in config["data"]["datasets"]:
        dataset["pointRadius"] = 2
        dataset["tension"] = 0
    return config
