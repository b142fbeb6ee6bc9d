"""Reads for the care-matrix pages: the matrix with its entries and the segment figures of its header."""

from datetime import timedelta
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Sum
from django.utils import timezone

from isf.customers.models import Account, OrderLine
from isf.lifecycle.choices import Phase
from isf.planning.choices import Side
from isf.planning.models import CareMatrix


def matrix_for(segment) -> CareMatrix | None:
    return CareMatrix.objects.filter(segment=segment).select_related("segment", "segment__team").first()


def segment_figures(*, today=None) -> dict[int | None, dict]:
    """Per segment id: accounts, revenue and margin of the last 12 months with shares, potential with share.

    One grouped aggregate over the order lines and one over the accounts; cached for ten minutes.
    (The segmentation app's KPI page is the reference; this is the matrix header's own small aggregate.)
    """
    today = today or timezone.localdate()
    key = f"planning:segment-figures:{today.isoformat()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    since = today - timedelta(days=365)
    lines = (
        OrderLine.objects.filter(order_date__gt=since, order_date__lte=today)
        .values("account__segment_id")
        .annotate(revenue=Sum("net_revenue"), margin=Sum("margin"))
        .order_by()
    )
    accounts = Account.objects.values("segment_id").annotate(n=Count("pk"), potential=Sum("potential")).order_by()
    figures: dict = {}
    for row in accounts:
        figures[row["segment_id"]] = {
            "accounts": row["n"], "potential": row["potential"] or Decimal(0), "revenue": Decimal(0), "margin": Decimal(0),
        }
    for row in lines:
        entry = figures.setdefault(
            row["account__segment_id"], {"accounts": 0, "potential": Decimal(0), "revenue": Decimal(0), "margin": Decimal(0)}
        )
        entry["revenue"] = row["revenue"] or Decimal(0)
        entry["margin"] = row["margin"] or Decimal(0)
    totals = {k: sum((f[k] for f in figures.values()), Decimal(0)) for k in ("revenue", "margin", "potential")}
    for entry in figures.values():
        for k in ("revenue", "margin", "potential"):
            entry[f"{k}_share"] = float(entry[k] / totals[k]) if totals[k] else 0.0
    cache.set(key, figures, 600)
    return figures


def phase_measures(matrix: CareMatrix) -> list[dict]:
    """Per lifecycle phase: the entries that apply (triggered first), for the matrix's phase table."""
    acts = list(matrix.activities.all())
    rows = []
    for value, label in Phase.choices:
        applying = [a for a in acts if value in a.phase_list]
        rows.append({"phase": value, "label": label, "triggered": [a for a in applying if a.trigger_event],
                     "regular": [a for a in applying if not a.trigger_event]})
    return rows


def entries_by_side(matrix: CareMatrix) -> list[dict]:
    acts = list(matrix.activities.all())
    return [{"side": value, "label": label, "entries": [a for a in acts if a.side == value]} for value, label in Side.choices]

