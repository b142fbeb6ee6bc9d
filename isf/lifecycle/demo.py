"""Demo content for the lifecycle: phases derived from the generated order history."""

from datetime import timedelta

from django.db.models import Max, Min

from isf.customers.models import Account, Order


def load(ctx) -> None:
    today = ctx.today
    stats = Order.objects.values("account_id").annotate(first=Min("date"), last=Max("date"))
    buckets: dict[str, list[int]] = {"new": [], "active": [], "lost": []}
    for row in stats.iterator(chunk_size=5000):
        if row["last"] < today - timedelta(days=365):
            buckets["lost"].append(row["account_id"])
        elif row["first"] > today - timedelta(days=90):
            buckets["new"].append(row["account_id"])
        else:
            buckets["active"].append(row["account_id"])
    for phase, pks in buckets.items():
        for start in range(0, len(pks), 20_000):
            Account.objects.filter(pk__in=pks[start : start + 20_000]).update(phase=phase)
