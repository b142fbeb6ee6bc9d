"""Demo content for segmentation: the default segment set, assigned by revenue and potential.

The segments issue replaces the inline thresholds with the configurable rule engine; this
keeps the demo meaningful until then.
"""

from datetime import timedelta

from django.db.models import Q, Sum

from isf.customers.models import Account
from isf.segmentation.models import Segment

DEFAULT_SEGMENTS = [
    # code, de, en, team, budget, precedence
    ("KA", "Key Accounts", "Key accounts", "KA", 2500, 10),
    ("MP", "Mittleres Potenzial", "Mid potential", "MP", 900, 20),
    ("SMB", "Kleine und mittlere Unternehmen", "Small and midsized business", "SMB", 350, 30),
    ("C", "C-Kunden", "C customers", "CDP", 120, 40),
    ("D", "D-Kunden", "D customers", "CDP", 40, 50),
    ("PRIV", "Privatkunden", "Private customers", "CDP", 30, 5),
]


def load(ctx) -> None:
    segments = {}
    for code, de, en, team, budget, precedence in DEFAULT_SEGMENTS:
        segments[code] = Segment.objects.create(
            code=code, name_de=de, name_en=en, team=ctx.teams[team], care_budget=budget, precedence=precedence
        )
    since = ctx.today - timedelta(days=365)
    rows = Account.objects.annotate(
        revenue=Sum("order_lines__net_revenue", filter=Q(order_lines__order_date__gt=since))
    ).values_list("pk", "customer_type", "revenue", "potential")
    buckets: dict[str, list[int]] = {code: [] for code in segments}
    for pk, ctype, revenue, potential in rows.iterator(chunk_size=5000):
        revenue = float(revenue or 0)
        potential = float(potential or 0)
        if ctype == "b2c":
            code = "PRIV"
        elif revenue >= 100_000 or potential >= 250_000:
            code = "KA"
        elif revenue >= 25_000 or potential >= 60_000:
            code = "MP"
        elif revenue >= 5_000 or potential >= 15_000:
            code = "SMB"
        elif revenue >= 1_000:
            code = "C"
        else:
            code = "D"
        buckets[code].append(pk)
    for code, pks in buckets.items():
        for start in range(0, len(pks), 20_000):
            Account.objects.filter(pk__in=pks[start : start + 20_000]).update(
                segment=segments[code], team=segments[code].team
            )
