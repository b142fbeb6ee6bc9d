"""Cross-sell on the Django side: read purchases, refresh the stored model, suggest with reasons.

The math is Django-free in isf_stats.crosssell. The nightly run calls cross_sell_refresh(); the
customer screen calls suggestions_for(account), which scores the account's bought product groups
against the newest stored model (cached per process by model id: a fresh refresh is picked up
on the next request).
"""

import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Min, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from isf.calls.models import CrossSellModel
from isf.core import language
from isf.customers.models import OrderLine, Product, ProductGroup
from isf_stats.crosssell import CoOccurrenceModel, basket_matrix, evaluate_time_split

LOOKBACK_DAYS = 3 * 365
_cache: dict[int, tuple[CoOccurrenceModel, list[int]]] = {}


@dataclass(frozen=True)
class CrossSellSuggestion:
    group_id: int
    code: str
    name: str
    score: float
    share: float
    reason: str


def first_purchases(*, since: date | None = None, until: date | None = None) -> tuple[list[tuple[int, int, int]], list[int]]:
    """(account id, group column, ordinal of first purchase) for every account and product group bought.

    One grouped query over the order lines (product -> group mapped in Python, so no join).
    """
    product_group = dict(Product.objects.values_list("pk", "group_id"))
    group_ids = list(ProductGroup.objects.order_by("pk").values_list("pk", flat=True))
    column = {gid: i for i, gid in enumerate(group_ids)}
    qs = OrderLine.objects.all()
    if since:
        qs = qs.filter(order_date__gte=since)
    if until:
        qs = qs.filter(order_date__lte=until)
    rows = qs.values_list("account_id", "product_id").annotate(first=Min("order_date")).order_by()
    first: dict[tuple[int, int], int] = {}
    for acc, product, day in rows.iterator(chunk_size=20000):
        key = (acc, column[product_group[product]])
        ordinal = day.toordinal()
        if ordinal < first.get(key, 1 << 30):
            first[key] = ordinal
    return [(acc, col, day) for (acc, col), day in first.items()], group_ids


@transaction.atomic
def cross_sell_refresh(*, today: date | None = None) -> dict:
    """Learn the co-occurrence model from the order lines of the last three years and store it."""
    today = today or timezone.localdate()
    purchases, group_ids = first_purchases(since=today - timedelta(days=LOOKBACK_DAYS), until=today)
    return cross_sell_store(pairs=[(acc, g) for acc, g, _d in purchases], group_ids=group_ids, learned_until=today)


def cross_sell_store(*, pairs, group_ids: list[int], learned_until: date) -> dict:
    """Fit the model on (account key, group column) pairs and store it as the newest model."""
    accounts = sorted({acc for acc, _g in pairs})
    index = {acc: i for i, acc in enumerate(accounts)}
    X = basket_matrix(((index[acc], g) for acc, g in pairs), len(accounts), len(group_ids))
    model = CoOccurrenceModel().fit(X)
    _lookup_cache.clear()
    _cache.clear()
    row = CrossSellModel.objects.create(
        learned_until=learned_until, n_accounts=len(accounts), group_ids=group_ids, data=model.to_bytes()
    )
    CrossSellModel.objects.filter(pk__lt=row.pk).exclude(pk__in=_keep_ids(row.pk)).delete()
    return {"accounts": len(accounts), "groups": len(group_ids), "model": row.pk}


def _keep_ids(newest: int) -> list[int]:
    return list(CrossSellModel.objects.filter(pk__lte=newest).order_by("-pk").values_list("pk", flat=True)[:3])


def newest_model_id_query() -> QuerySet:
    """The newest model's id as a subquery, for a caller that reads it along with its own query."""
    return CrossSellModel.objects.order_by("-pk").values("pk")[:1]


def current_model() -> tuple[CoOccurrenceModel, list[int]] | None:
    newest = list(newest_model_id_query().values_list("pk", flat=True))
    return model_by_id(newest[0] if newest else None)


def model_by_id(row: int | None) -> tuple[CoOccurrenceModel, list[int]] | None:
    """The stored model ``row`` (cached per process by id; None: no model)."""
    if row is None:
        return None
    if row not in _cache:
        obj = CrossSellModel.objects.get(pk=row)
        _cache.clear()
        _cache[row] = (CoOccurrenceModel.from_bytes(bytes(obj.data)), list(obj.group_ids))
    return _cache[row]


def groups_bought(account_id: int, *, since: date | None = None) -> set[int]:
    """Product-group ids the account bought (since a date)."""
    qs = OrderLine.objects.filter(account_id=account_id)
    if since:
        qs = qs.filter(order_date__gte=since)
    return groups_of(set(qs.order_by().values_list("product_id", flat=True).distinct()))


def groups_of(products: set[int]) -> set[int]:
    """Product-group ids of the product ids."""
    product_group = _product_groups()
    missing = products - product_group.keys()
    if missing:  # a product added since the map was cached
        product_group = _product_groups(refresh=True)
    return {product_group[p] for p in products if p in product_group}


CACHE_SECONDS = 300
_lookup_cache: dict[str, tuple[float, dict]] = {}


def _cached(name: str, load, refresh: bool = False) -> dict:
    """Small master data (products -> group, group names) cached per process for a few minutes."""
    hit = _lookup_cache.get(name)
    if refresh or hit is None or time.monotonic() - hit[0] > CACHE_SECONDS:
        hit = (time.monotonic(), load())
        _lookup_cache[name] = hit
    return hit[1]


def _product_groups(refresh: bool = False) -> dict[int, int]:
    return _cached("products", lambda: dict(Product.objects.values_list("pk", "group_id")), refresh)


def _group_names(ids) -> dict[int, tuple[str, str]]:
    rows = _cached("groups", lambda: {pk: (code, name, name_en) for pk, code, name, name_en in
                                      ProductGroup.objects.values_list("pk", "code", "name", "name_en")})
    if any(pk not in rows for pk in ids):
        rows = _cached("groups", lambda: {pk: (code, name, name_en) for pk, code, name, name_en in
                                          ProductGroup.objects.values_list("pk", "code", "name", "name_en")}, True)
    english = language.english()
    return {pk: (rows[pk][0], (rows[pk][2] or rows[pk][1]) if english else rows[pk][1]) for pk in ids if pk in rows}


def suggestions_for(account_id: int, *, k: int = 5, today: date | None = None) -> list[CrossSellSuggestion]:
    """3-5 product groups the account does not buy yet, each with a one-line reason."""
    loaded = current_model()
    if loaded is None:
        return []
    today = today or timezone.localdate()
    return suggest(loaded, groups_bought(account_id, since=today - timedelta(days=LOOKBACK_DAYS)), k=k)


def suggestions_from(products: set[int], model_id: int | None, *, k: int = 5) -> list[CrossSellSuggestion]:
    """``suggestions_for`` from what the caller read itself: the product ids the account bought within
    LOOKBACK_DAYS and the newest model's id (``newest_model_id_query``)."""
    loaded = model_by_id(model_id)
    if loaded is None or not products:
        return []
    return suggest(loaded, groups_of(products), k=k)


def suggest(loaded: tuple[CoOccurrenceModel, list[int]], bought: set[int], *, k: int = 5) -> list[CrossSellSuggestion]:
    """The model's suggestions for an account that bought the product groups ``bought``, with their reasons."""
    model, group_ids = loaded
    column = {gid: i for i, gid in enumerate(group_ids)}
    owned = [column[g] for g in bought if g in column]
    if not owned:
        return []
    found = model.recommend(owned, k=k)
    names = _group_names({group_ids[s.group] for s in found} | {group_ids[c] for s in found for c in s.because})
    out = []
    for s in found:
        gid = group_ids[s.group]
        code, name = names.get(gid, ("", "?"))
        because = [names.get(group_ids[c], ("", "?"))[1] for c in s.because]
        pct = round(s.share * 100)
        if len(because) == 2:
            reason = _("bought by %(pct)s %% of customers who buy %(a)s and %(b)s") % {
                "pct": pct, "a": because[0], "b": because[1]}
        else:
            reason = _("bought by %(pct)s %% of customers who buy %(a)s") % {"pct": pct, "a": because[0]}
        out.append(CrossSellSuggestion(group_id=gid, code=code, name=name, score=s.score, share=s.share, reason=reason))
    return out


def evaluate(*, cutoff: date | None = None, k: int = 5, today: date | None = None) -> dict:
    """Time-split evaluation on the stored orders (see isf_stats.crosssell.evaluate_time_split)."""
    today = today or timezone.localdate()
    cutoff = cutoff or today - timedelta(days=365)
    purchases, group_ids = first_purchases(until=today)
    result = evaluate_time_split(purchases, cutoff=cutoff.toordinal(), n_groups=len(group_ids), k=k)
    result["cutoff"] = cutoff.isoformat()
    result["method"] = "item-to-item co-occurrence (damped by popularity)"
    result["baseline"] = "popularity"
    return result
