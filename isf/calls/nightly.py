"""Nightly step: refresh the cross-sell model from the order lines, then recompute what inside sales brought in
(isf.calls.attribution) over the last ``NIGHTLY_DAYS`` days."""

from datetime import timedelta

from isf.calls.attribution import NIGHTLY_DAYS, attribution_refresh
from isf.calls.crosssell import cross_sell_refresh


def run(*, today, progress=lambda m: None) -> dict:
    progress("cross-sell: learning product-group co-occurrence …")
    result = cross_sell_refresh(today=today)
    progress("attribution: orders brought in by inside sales …")
    attributed = attribution_refresh(since=today - timedelta(days=NIGHTLY_DAYS), until=today, today=today)
    return {**result, "attribution": attributed}
