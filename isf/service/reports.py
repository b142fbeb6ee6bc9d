"""SLA reports for the inside-sales lead and the review meeting.

Attainment per service, team and month (share of completed orders finished within the service level),
per segment (each order measured against the service level that applied to it when it was received, the
segment's own target or the contract line's default), volume against the contract's expected monthly volume, median and 90th-percentile lead time in business
hours (running clock time, pauses waiting for the requester excluded), ratings per service/team/agent, and
the open breaches. Everything is computed from one pass over the period's orders.
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time

import numpy as np
from django.utils import timezone
from django.utils.translation import pgettext

from isf.core import spreadsheet
from isf.service.choices import OPEN_STATUSES, OrderStatus, SlaState
from isf.service.models import ContractLine, ServiceOrder
from isf.service.selectors import ORDER_RELATED, sla_condition


@dataclass
class Stat:
    key: str
    label: str
    done: int = 0
    met: int = 0
    lead_hours: list | None = None
    ratings: list | None = None

    def __post_init__(self):
        self.lead_hours = []
        self.ratings = []

    @property
    def attainment(self) -> float | None:
        return round(100 * self.met / self.done, 1) if self.done else None

    @property
    def median(self) -> float | None:
        return round(float(np.median(self.lead_hours)), 1) if self.lead_hours else None

    @property
    def p90(self) -> float | None:
        return round(float(np.percentile(self.lead_hours, 90)), 1) if self.lead_hours else None

    @property
    def rating(self) -> float | None:
        return round(sum(self.ratings) / len(self.ratings), 2) if self.ratings else None

    @property
    def n_ratings(self) -> int:
        return len(self.ratings)


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _month_label(month: str) -> str:
    """'2026-11' as people read it: 'November 2026' in the page language (the key stays ISO for sorting and CSV)."""
    from isf.core.dates import format_month

    return format_month(date(int(month[:4]), int(month[5:7]), 1))


def _month(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m")


def sla_report(*, start: date, end: date, team_id: int | None = None, now: datetime | None = None) -> dict:
    """Report over orders completed (attainment, lead times, ratings) or created (volume) in [start, end)."""
    now = now or timezone.now()
    base = ServiceOrder.objects.all()
    if team_id:
        base = base.filter(team_id=team_id)
    done = (
        base.filter(status=OrderStatus.DONE, completed_at__gte=_aware(start), completed_at__lt=_aware(end))
        .select_related("service", "team", "assignee", "rating", "segment")
    )
    groups: dict[str, dict[str, Stat]] = {"service": {}, "team": {}, "segment": {}, "month": {}, "agent": {}}
    cells: dict[tuple[str, str, str], Stat] = {}
    for order in done.iterator(chunk_size=2000):
        month = _month(order.completed_at)
        keys = {
            "service": (order.service.code, order.service.name),
            "team": (order.team.code if order.team else "-", str(order.team or "–")),
            # the segment the order was received for: its service level is the one that applied then
            "segment": (order.segment.code if order.segment_id else "-",
                        order.segment.name if order.segment_id else pgettext("SLA report", "no segment")),
            "month": (month, _month_label(month)),
            "agent": (str(order.assignee_id or "-"), str(order.assignee or "–")),
        }
        cell_key = (month, order.service.code, keys["team"][0])
        stats = [groups[g].setdefault(k, Stat(k, label)) for g, (k, label) in keys.items()]
        stats.append(cells.setdefault(cell_key, Stat("|".join(cell_key), order.service.name)))
        rating = getattr(order, "rating", None) if hasattr(order, "rating") else None
        for stat in stats:
            stat.done += 1
            stat.met += order.sla_state != SlaState.BREACHED
            stat.lead_hours.append(order.business_seconds_elapsed / 3600)
            if rating is not None:
                stat.ratings.append(rating.score)
    volume = _volume(base, start, end, timezone.localtime(now).date())
    breaches = (
        base.filter(status__in=OPEN_STATUSES).filter(sla_condition(SlaState.BREACHED, now))
        .select_related(*ORDER_RELATED).order_by("due_at")
    )
    total = Stat("total", "total")
    for stat in groups["service"].values():
        total.done += stat.done
        total.met += stat.met
        total.lead_hours += stat.lead_hours
        total.ratings += stat.ratings
    return {
        "start": start, "end": end, "total": total,
        "by_service": sorted(groups["service"].values(), key=lambda s: s.label),
        "by_team": sorted(groups["team"].values(), key=lambda s: s.label),
        "by_segment": sorted(groups["segment"].values(), key=lambda s: (s.key == "-", s.label)),
        "by_month": sorted(groups["month"].values(), key=lambda s: s.key),
        "by_agent": sorted(groups["agent"].values(), key=lambda s: s.label),
        "cells": [cells[k] for k in sorted(cells)],
        "volume": volume,
        "open_breaches": breaches,
    }


def _volume(base, start: date, end: date, today: date | None = None) -> list[dict]:
    """Orders created per service and month against the contract's expected monthly volume: the one definition
    of "volume against the contract" (SLA report, KPI dashboard, review pack).

    The expectation covers the same days as the count: a month only partly inside [start, end) or not yet over
    (today) expects its monthly volume pro rata of the days counted (7 of 31 days: 7/31 of it), so a running
    month is never compared with a whole month's volume. Contracts accepted by both leads only.
    """
    today = today or timezone.localdate()
    counted_end = min(end, date.fromordinal(today.toordinal() + 1))
    created = defaultdict(int)
    names = {}
    for code, name_de, created_at in base.filter(
        created_at__gte=_aware(start), created_at__lt=_aware(end)
    ).values_list("service__code", "service__name_de", "created_at").iterator(chunk_size=5000):
        created[(_month(created_at), code)] += 1
        names[code] = name_de
    expected = {}
    for line in ContractLine.objects.filter(contract__accepted_by_vl__isnull=False,
                                            contract__accepted_by_idl__isnull=False,
                                            contract__valid_from__lt=end, contract__valid_to__gte=start
                                            ).select_related("contract", "service").order_by("contract__version"):
        month = date(line.contract.valid_from.year, line.contract.valid_from.month, 1)
        while month <= line.contract.valid_to and month < end:
            following = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
            first = max(month, start, line.contract.valid_from)
            last_excl = min(following, counted_end, date.fromordinal(line.contract.valid_to.toordinal() + 1))
            days = (last_excl - first).days
            if days > 0:
                share = days / calendar.monthrange(month.year, month.month)[1]
                expected[(month.strftime("%Y-%m"), line.service.code)] = round(line.expected_monthly_volume * share, 1)
                names.setdefault(line.service.code, line.service.name_de)
            month = following
    rows = []
    for key in sorted(set(created) | set(expected)):
        month, code = key
        actual, plan = created.get(key, 0), expected.get(key)
        rows.append({"month": month, "month_label": _month_label(month), "service": code, "name": names.get(code, code), "actual": actual,
                     "expected": plan, "ratio": round(100 * actual / plan, 1) if plan else None})
    return rows


def volume_by_service(base, start: date, end: date, today: date | None = None) -> list[dict]:
    """:func:`_volume` summed over the months per service (the KPI dashboard's and the pack's table); ``ratio``
    as a fraction. Most orders first."""
    totals: dict[str, dict] = {}
    for row in _volume(base, start, end, today):
        entry = totals.setdefault(row["service"], {"code": row["service"], "service": row["name"], "actual": 0,
                                                   "expected": None})
        entry["actual"] += row["actual"]
        if row["expected"] is not None:
            entry["expected"] = round((entry["expected"] or 0) + row["expected"], 1)
    for entry in totals.values():
        entry["ratio"] = entry["actual"] / entry["expected"] if entry["expected"] else None
    return sorted(totals.values(), key=lambda r: (-r["actual"], r["code"]))


def sla_report_csv(report: dict) -> str:
    """CSV (German conventions: ';', decimal comma, UTF-8 with BOM) per month, service and team."""
    rows: list[list] = [[pgettext("SLA export", "Month"), pgettext("SLA export", "Service"),
                         pgettext("SLA export", "Team"), pgettext("SLA export", "Completed"),
                         pgettext("SLA export", "Within the service level"), pgettext("SLA export", "Attainment %"),
                         pgettext("SLA export", "Lead time median (business hours)"),
                         pgettext("SLA export", "Lead time P90 (business hours)"),
                         pgettext("SLA export", "Average rating"), pgettext("SLA export", "Ratings")]]
    for cell in report["cells"]:
        month, service, team = cell.key.split("|")
        rows.append([month, service, team, cell.done, cell.met, cell.attainment, cell.median, cell.p90, cell.rating,
                     cell.n_ratings])
    rows.append([])
    rows.append([pgettext("SLA export", "Month"), pgettext("SLA export", "Service"), pgettext("SLA export", "Orders"),
                 pgettext("SLA export", "Expected by the contract"), pgettext("SLA export", "Actual/expected %")])
    rows += ([row["month"], row["service"], row["actual"], row["expected"], row["ratio"]] for row in report["volume"])
    return spreadsheet.csv_string(rows)
