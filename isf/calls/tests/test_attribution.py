"""The attribution rules on hand-built cases: the phone order matched to its ERP order (counted once), each rule,
and the precedence when two rules claim one order."""

import datetime as dt
from decimal import Decimal

import pytest

from isf.calls.attribution import attribution_refresh, phone_orders_match, rules_described
from isf.calls.models import Attribution, CallLog
from isf.calls.tests.attribution_cases import TODAY, call, done_task, groups, order, people, product
from isf.campaigns.models import QuoteFollowup
from isf.customers.tests.factories import QuoteFactory

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def w(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC))
    data = people()
    data.update(groups())
    data["bef"], data["dch"] = product(data["BEF"]), product(data["DCH"])
    return data


def refresh():
    return attribution_refresh(since=D(2026, 1, 1), until=TODAY)


def rows():
    return [(a.order.number, a.rule, a.call_id, a.task_id, a.quote_id, a.revenue, a.margin)
            for a in Attribution.objects.select_related("order").order_by("order_date", "pk")]


def test_phone_order_is_matched_to_its_erp_order_and_counted_once(w):
    taken = call(w["agent"], w["account"], D(2026, 10, 5), outcome="order", order_value="1200.00")
    erp = order(w["account"], D(2026, 10, 7), (w["bef"], "1180.00", "350.00"), number="ERP-1")
    order(w["account"], D(2026, 10, 30), (w["bef"], "90.00", "20.00"), number="ERP-LATER")

    result = refresh()

    taken.refresh_from_db()
    assert taken.matched_order_id == erp.pk
    assert result == {"matched": 1, "orders": 1, "by_rule": {"phone_order": 1, "quote_won": 0, "cross_sell": 0,
                                                             "win_back": 0}}
    assert rows() == [("ERP-1", "phone_order", taken.pk, None, None, Decimal("1180.00"), Decimal("350.00"))]
    # the value typed on the call is not counted on top: the only attributed revenue is the ERP order's
    assert refresh()["orders"] == 1
    assert rows() == [("ERP-1", "phone_order", taken.pk, None, None, Decimal("1180.00"), Decimal("350.00"))]


def test_phone_order_window_is_a_setting(w, settings):
    taken = call(w["agent"], w["account"], D(2026, 10, 1), outcome="order", order_value="500.00")
    late = order(w["account"], D(2026, 10, 16), (w["bef"], "500.00", "100.00"), number="ERP-LATE")  # 15 days on

    assert phone_orders_match(since=D(2026, 9, 1)) == 0
    settings.ISF_PHONE_ORDER_MATCH_DAYS = 15
    assert phone_orders_match(since=D(2026, 9, 1)) == 1
    taken.refresh_from_db()
    assert taken.matched_order_id == late.pk


def test_an_order_before_the_call_or_of_another_account_is_not_matched(w):
    from isf.customers.tests.factories import AccountFactory

    taken = call(w["agent"], w["account"], D(2026, 10, 5), outcome="order", order_value="800.00")
    order(w["account"], D(2026, 10, 4), (w["bef"], "800.00", "200.00"), number="ERP-BEFORE")
    order(AccountFactory(), D(2026, 10, 6), (w["bef"], "800.00", "200.00"), number="ERP-OTHER")

    assert refresh()["matched"] == 0
    taken.refresh_from_db()
    assert taken.matched_order_id is None
    assert rows() == []


def test_two_phone_orders_take_two_erp_orders_the_closer_value_on_one_day(w):
    first = call(w["agent"], w["account"], D(2026, 10, 5), outcome="order", order_value="300.00", hour=9)
    second = call(w["agent"], w["account"], D(2026, 10, 5), outcome="order", order_value="2000.00", hour=15)
    small = order(w["account"], D(2026, 10, 6), (w["bef"], "310.00", "90.00"), number="ERP-S")
    big = order(w["account"], D(2026, 10, 6), (w["bef"], "1990.00", "600.00"), number="ERP-B")

    refresh()

    first.refresh_from_db(), second.refresh_from_db()
    assert (first.matched_order_id, second.matched_order_id) == (small.pk, big.pk)
    assert sorted(r[0] for r in rows()) == ["ERP-B", "ERP-S"]


def test_cross_sell_counts_the_first_order_of_the_group_and_only_its_lines(w):
    offer = call(w["agent"], w["account"], D(2026, 9, 1), cross_sell_group=w["DCH"], accepted=True)
    order(w["account"], D(2026, 9, 3), (w["bef"], "400.00", "100.00"), number="ERP-NO-DCH")
    order(w["account"], D(2026, 9, 20), (w["bef"], "500.00", "150.00"), (w["dch"], "300.00", "120.00"),
          number="ERP-DCH")
    order(w["account"], D(2026, 9, 25), (w["dch"], "700.00", "200.00"), number="ERP-DCH-2")

    refresh()

    assert rows() == [("ERP-DCH", "cross_sell", offer.pk, None, None, Decimal("300.00"), Decimal("120.00"))]


def test_an_offer_not_accepted_or_an_order_after_the_window_claims_nothing(w):
    call(w["agent"], w["account"], D(2026, 9, 1), cross_sell_group=w["DCH"], accepted=False)
    call(w["agent"], w["account"], D(2026, 6, 1), cross_sell_group=w["DCH"], accepted=True)
    order(w["account"], D(2026, 9, 20), (w["dch"], "300.00", "120.00"), number="ERP-DCH")  # 111 days after June

    refresh()

    assert rows() == []


def test_win_back_call_takes_the_next_order_a_call_not_reaching_the_customer_none(w):
    won = done_task(w["agent"], w["account"], D(2026, 8, 10))
    done_task(w["agent"], w["account"], D(2026, 8, 12), kind="alert", outcome="not_reached")
    order(w["account"], D(2026, 8, 1), (w["bef"], "50.00", "10.00"), number="ERP-BEFORE")
    order(w["account"], D(2026, 9, 2), (w["bef"], "640.00", "190.00"), number="ERP-NEXT")
    order(w["account"], D(2026, 9, 30), (w["bef"], "100.00", "30.00"), number="ERP-AFTER")

    refresh()

    assert rows() == [("ERP-NEXT", "win_back", None, won.pk, None, Decimal("640.00"), Decimal("190.00"))]


def _won_quote(w, day, *, rule="call_3"):
    task = done_task(w["agent"], w["account"], day + dt.timedelta(days=4), kind="quote_followup", outcome="sale")
    quote = QuoteFactory(account=w["account"], date=day, status="won", amount=Decimal("2400.00"))
    QuoteFollowup.objects.create(quote=quote, team=w["team"], rule=rule, due_at=task.due_at, task=task,
                                 outcome="won", reason="Preis passt", decided_by=w["agent"])
    return quote


def test_quote_followed_up_by_inside_sales_and_won_takes_the_first_order(w):
    quote = _won_quote(w, D(2026, 7, 1))
    order(w["account"], D(2026, 7, 14), (w["bef"], "2400.00", "700.00"), number="ERP-Q")

    refresh()

    assert rows() == [("ERP-Q", "quote_won", None, None, quote.pk, Decimal("2400.00"), Decimal("700.00"))]
    assert Attribution.objects.get().agent == w["agent"]


def test_a_key_account_quote_the_owner_rep_decided_is_not_inside_sales(w):
    _won_quote(w, D(2026, 7, 1), rule="owner_decides")
    order(w["account"], D(2026, 7, 14), (w["bef"], "2400.00", "700.00"), number="ERP-Q")

    refresh()

    assert rows() == []


def test_an_order_three_rules_claim_is_attributed_once_by_the_precedence(w):
    """A win-back call, then a cross-sell accepted, then a quote won: all three claim the order of 20.07.; the
    quote ranks above cross-sell and win-back, so the order is the quote's, once, with its whole revenue."""
    done_task(w["agent"], w["account"], D(2026, 6, 20))
    call(w["agent"], w["account"], D(2026, 6, 25), cross_sell_group=w["DCH"], accepted=True)
    quote = _won_quote(w, D(2026, 7, 1))
    order(w["account"], D(2026, 7, 20), (w["bef"], "900.00", "250.00"), (w["dch"], "100.00", "40.00"),
          number="ERP-ALL")

    result = refresh()

    assert rows() == [("ERP-ALL", "quote_won", None, None, quote.pk, Decimal("1000.00"), Decimal("290.00"))]
    assert result["by_rule"] == {"phone_order": 0, "quote_won": 1, "cross_sell": 0, "win_back": 0}


def test_phone_order_ranks_first_and_the_other_sources_do_not_move_to_a_later_order(w):
    """A cross-sell and a win-back call claim the phone order's ERP order; the phone order wins, and neither of them
    takes the order after it (a source claims only its one order)."""
    done_task(w["agent"], w["account"], D(2026, 10, 1))
    offer = call(w["agent"], w["account"], D(2026, 10, 2), cross_sell_group=w["DCH"], accepted=True, hour=9)
    taken = call(w["agent"], w["account"], D(2026, 10, 2), outcome="order", order_value="450.00", hour=10)
    order(w["account"], D(2026, 10, 3), (w["dch"], "450.00", "150.00"), number="ERP-PHONE")
    order(w["account"], D(2026, 10, 20), (w["dch"], "800.00", "300.00"), number="ERP-LATER")

    refresh()

    assert rows() == [("ERP-PHONE", "phone_order", taken.pk, None, None, Decimal("450.00"), Decimal("150.00"))]
    assert not Attribution.objects.filter(call=offer).exists()


def test_refresh_of_a_range_leaves_the_orders_outside_it(w):
    call(w["agent"], w["account"], D(2026, 3, 2), outcome="order", order_value="100.00")
    order(w["account"], D(2026, 3, 3), (w["bef"], "100.00", "30.00"), number="ERP-MARCH")
    refresh()
    CallLog.objects.update(matched_order=None)
    Attribution.objects.filter(order__number="ERP-MARCH").update(revenue=Decimal("1.00"))

    attribution_refresh(since=D(2026, 10, 1), until=TODAY)

    assert rows() == [("ERP-MARCH", "phone_order", CallLog.objects.get().pk, None, None, Decimal("1.00"),
                       Decimal("30.00"))]


def test_the_rules_read_in_the_page_language_with_their_windows(w, settings):
    from django.utils import translation

    settings.ISF_CROSS_SELL_DAYS = 45
    with translation.override("en"):
        rules = rules_described()
    assert [(r["code"], r["precedence"], r["days"]) for r in rules] == [
        ("phone_order", 1, 14), ("quote_won", 2, 60), ("cross_sell", 3, 45), ("win_back", 4, 90)]
    assert "45 days later" in rules[2]["text"]


def test_an_order_whose_date_an_import_moved_into_the_range_is_attributed_once(w):
    taken = call(w["agent"], w["account"], D(2026, 10, 5), outcome="order", order_value="100.00")
    erp = order(w["account"], D(2026, 10, 6), (w["bef"], "100.00", "30.00"), number="ERP-MOVED")
    refresh()
    Attribution.objects.filter(order=erp).update(order_date=D(2025, 12, 1))  # stored under an older date

    attribution_refresh(since=D(2026, 10, 1), until=TODAY)

    assert rows() == [("ERP-MOVED", "phone_order", taken.pk, None, None, Decimal("100.00"), Decimal("30.00"))]
    assert Attribution.objects.get().order_date == D(2026, 10, 6)
