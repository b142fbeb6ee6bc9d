"""A telemarketing list's results against its control group: the called accounts and the held-out ones are measured
by the same rules over the same window (the list's day and the 90 days after it), so the difference is the list's
effect, not an assumption.

* reached: called entries on which the customer was spoken to (the control group is never called: none);
* appointments: appointments booked for the accounts in the window (by anyone, cancelled ones left out);
* orders and revenue: the ERP orders and their net revenue in the window (what the customers bought, wherever);
* orders taken on the list's calls and their value (the called group only; their ERP orders are in "orders").
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import timezone

from isf.campaigns.choices import AppointmentStatus, CallOutcome
from isf.campaigns.models import Appointment, CallAttempt, Campaign
from isf.customers.models import Order, OrderLine

RESULT_DAYS = 90
#: outcomes of a call in which the customer was spoken to
SPOKEN_TO = frozenset({CallOutcome.REACHED, CallOutcome.APPOINTMENT, CallOutcome.QUOTE_REQUESTED, CallOutcome.SALE,
                       CallOutcome.NOT_INTERESTED, CallOutcome.DO_NOT_CALL, CallOutcome.CALL_BACK})


def result_window(campaign: Campaign, *, today: date | None = None) -> tuple[date, date, date]:
    """(first day, last day of the 90 days, last day measured so far)."""
    start = timezone.localdate(campaign.created_at)
    end = start + timedelta(days=RESULT_DAYS)
    today = today or timezone.localdate()
    return start, end, max(start, min(end, today))


def _measure(ids: list[int], start: date, until: date) -> dict:
    n = len(ids)
    orders = Order.objects.filter(account_id__in=ids, date__gte=start, date__lte=until).count() if ids else 0
    revenue = (OrderLine.objects.filter(account_id__in=ids, order_date__gte=start, order_date__lte=until)
               .aggregate(s=Sum("net_revenue"))["s"] if ids else None) or Decimal(0)
    revenue = Decimal(revenue).quantize(Decimal("0.01"))  # SQLite sums with float-like decimals
    appointments = (Appointment.objects.filter(account_id__in=ids, created_at__date__gte=start,
                                               created_at__date__lte=until)
                    .exclude(status=AppointmentStatus.CANCELLED).count() if ids else 0)
    buyers = (Order.objects.filter(account_id__in=ids, date__gte=start, date__lte=until)
              .values("account_id").distinct().count() if ids else 0)
    return {
        "accounts": n, "orders": orders, "revenue": revenue, "appointments": appointments, "buyers": buyers,
        "buyer_rate": buyers / n if n else None,
        "buyer_pct": round(Decimal(100 * buyers) / n, 1) if n else None,
        "appointment_rate": appointments / n if n else None,
        "revenue_per_account": (revenue / n).quantize(Decimal("0.01")) if n else None,
    }


def list_results(campaign: Campaign, *, today: date | None = None) -> dict:
    """The called group and the control group side by side, and the difference per account and in total."""
    start, end, until = result_window(campaign, today=today)
    called_ids = list(campaign.entries.values_list("account_id", flat=True))
    control_ids = list(campaign.control_accounts.values_list("account_id", flat=True))
    called = _measure(called_ids, start, until)
    control = _measure(control_ids, start, until)
    attempts = CallAttempt.objects.filter(entry__campaign=campaign)
    called["reached"] = attempts.filter(outcome__in=SPOKEN_TO).values("entry_id").distinct().count()
    called["reached_rate"] = called["reached"] / called["accounts"] if called["accounts"] else None
    taken = attempts.filter(outcome=CallOutcome.SALE).aggregate(n=Count("pk"), value=Sum("order_value"))
    called["orders_taken"], called["orders_taken_value"] = taken["n"], taken["value"] or Decimal(0)
    control["reached"] = control["reached_rate"] = None
    control["orders_taken"] = control["orders_taken_value"] = None
    effect = None
    if called["accounts"] and control["accounts"]:
        per_account = called["revenue_per_account"] - control["revenue_per_account"]
        effect = {
            "revenue_per_account": per_account,
            "revenue_total": (per_account * called["accounts"]).quantize(Decimal("1")),
            "buyer_points": round((called["buyer_rate"] - control["buyer_rate"]) * 100, 1),
            "appointment_points": round((called["appointment_rate"] - control["appointment_rate"]) * 100, 1),
        }
    return {"start": start, "end": end, "until": until, "days": (until - start).days, "total_days": RESULT_DAYS,
            "called": called, "control": control, "effect": effect, "share": campaign.control_share}


def results_export(campaigns, *, figures: bool, today: date | None = None):
    """Rows and columns of the results export: per list its called group and its control group (revenue only with
    ``figures``; marketing's export has none). The cells go through isf.core.spreadsheet (no formulas)."""
    from django.utils.translation import gettext_lazy as _

    rows = []
    for campaign in campaigns:
        results = list_results(campaign, today=today)
        for key, label in (("called", _("called")), ("control", _("control group"))):
            rows.append({"campaign": campaign.name, "group": str(label), "start": results["start"],
                         "end": results["end"], "days": results["days"], **results[key]})
    columns = [
        (_("campaign"), lambda r: r["campaign"]),
        (_("group"), lambda r: r["group"]),
        (_("from"), lambda r: r["start"]),
        (_("until"), lambda r: r["end"]),
        (_("days measured"), lambda r: r["days"]),
        (_("accounts"), lambda r: r["accounts"]),
        (_("reached"), lambda r: r["reached"]),
        (_("appointments"), lambda r: r["appointments"]),
        (_("orders taken on the calls"), lambda r: r["orders_taken"]),
        (_("orders (ERP)"), lambda r: r["orders"]),
        (_("accounts that ordered"), lambda r: r["buyers"]),
    ]
    if figures:
        columns += [(_("revenue within 90 days (EUR)"), lambda r: r["revenue"]),
                    (_("revenue per account (EUR)"), lambda r: r["revenue_per_account"]),
                    (_("value of the orders taken (EUR)"), lambda r: r["orders_taken_value"])]
    return rows, columns
