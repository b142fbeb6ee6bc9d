"""Nightly step: refresh the cross-sell model from the order lines."""

from isf.calls.crosssell import cross_sell_refresh


def run(*, today, progress=lambda m: None) -> dict:
    progress("cross-sell: learning product-group co-occurrence …")
    return cross_sell_refresh(today=today)
