"""The incremental read of order lines: the cached lines plus the new ones are exactly what a full read gives, and
any change to a line already read (date, account, product, revenue, deleted) makes the next run read everything."""

from datetime import date, timedelta

import numpy as np
import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from isf.customers.models import OrderLine
from isf.monitoring import reading
from isf.monitoring.services import monitor_run

from .helpers import TODAY, add_orders, make_base


def _read_without_cache():
    with override_settings(ISF_MONITOR_CACHE=False):
        data, mode = reading.read_order_lines_with_mode()
    assert mode == "full"
    return data


def _same(a, b) -> None:
    for name in ("account", "day", "revenue", "group"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name


@pytest.fixture
def cache_on(tmp_path, settings):
    settings.ISF_MONITOR_CACHE = True
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.mark.django_db
def test_the_database_and_the_arrays_give_the_same_fingerprint():
    base = make_base()
    rows = reading._fetch()
    assert rows.size == OrderLine.objects.count() > 500
    with CaptureQueriesContext(connection):  # the debug cursor formats the query with its parameters
        assert reading.fingerprint_of(rows) == reading.fingerprint_in_database(int(rows["id"].max()))
    half = rows[: rows.size // 2]
    assert reading.fingerprint_of(half) == reading.fingerprint_in_database(int(half["id"].max()))
    assert base.p1.group_id != base.p2.group_id


@pytest.mark.django_db
def test_a_second_read_takes_only_the_new_lines_and_equals_a_full_read(cache_on):
    base = make_base()
    first, mode = reading.read_order_lines_with_mode()
    assert mode == "full" and len(first) == OrderLine.objects.count()
    assert list(cache_on.glob("cache/order-lines-*.npz"))
    again, mode = reading.read_order_lines_with_mode()
    assert mode == "incremental"
    _same(again, first)

    add_orders(base.accounts["healthy"], [(TODAY + timedelta(days=1), base.p2, "123.45"),
                                          (TODAY + timedelta(days=1), base.p1, "10.00")])
    more, mode = reading.read_order_lines_with_mode()
    assert mode == "incremental" and len(more) == len(first) + 2
    _same(more, _read_without_cache())
    assert more.revenue[-2:].tolist() == [123.45, 10.0]


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["date", "account", "product", "revenue", "delete"])
def test_a_changed_line_makes_the_next_read_a_full_one(cache_on, change):
    base = make_base()
    reading.read_order_lines_with_mode()
    line = OrderLine.objects.order_by("pk")[10]
    if change == "date":
        OrderLine.objects.filter(pk=line.pk).update(order_date=line.order_date - timedelta(days=1))
    elif change == "account":
        other = base.accounts["healthy"] if line.account_id != base.accounts["healthy"].pk else base.accounts["drop"]
        OrderLine.objects.filter(pk=line.pk).update(account=other)
    elif change == "product":
        OrderLine.objects.filter(pk=line.pk).update(product=base.p2 if line.product_id == base.p1.pk else base.p1)
    elif change == "revenue":
        OrderLine.objects.filter(pk=line.pk).update(net_revenue=line.net_revenue + 1)
    else:
        OrderLine.objects.filter(pk=line.pk).delete()
    data, mode = reading.read_order_lines_with_mode()
    assert mode == "full"
    _same(data, _read_without_cache())


@pytest.mark.django_db
def test_a_monitoring_run_from_the_cache_writes_what_a_run_without_it_writes(cache_on):
    from isf.monitoring.models import AccountScore, Flag

    base = make_base()
    monitor_run(today=TODAY)
    add_orders(base.accounts["overdue"], [(TODAY + timedelta(days=1), base.p1, "250.00")])

    def run_and_collect(cache: bool) -> tuple:
        with override_settings(ISF_MONITOR_CACHE=cache):
            result = monitor_run(today=TODAY + timedelta(days=1))
        scores = list(AccountScore.objects.order_by("account_id").values_list(
            "account_id", "p_alive", "expected_orders_90d", "risk_score", "next_order_from", "trend"))
        flags = sorted(Flag.objects.values_list("account_id", "code", "status"))
        return result, scores, flags

    cached, scores_cached, flags_cached = run_and_collect(True)
    assert cached["read"] == "incremental" and cached["flags_resolved"] >= 1
    plain, scores_plain, flags_plain = run_and_collect(False)
    assert plain["read"] == "full"
    assert scores_cached == scores_plain and flags_cached == flags_plain
    assert cached["params"] == plain["params"] and cached["order_lines"] == plain["order_lines"]
    assert date.fromisoformat(cached["date"]) == TODAY + timedelta(days=1)
