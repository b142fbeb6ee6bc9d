"""The phase rule as a pure function: each phase with its reason."""

from datetime import date, timedelta

from isf.lifecycle.rules import OrderFacts, RuleParams, derive_phase

TODAY = date(2026, 11, 27)
P = RuleParams()


def facts(first_days_ago, last_days_ago, count, recent_first=None, before_last=None):
    d = lambda n: None if n is None else TODAY - timedelta(days=n)  # noqa: E731
    return OrderFacts(d(first_days_ago), d(last_days_ago), count, d(recent_first), d(before_last))


def test_no_order_is_prospect():
    assert derive_phase(OrderFacts(None, None), today=TODAY, params=P).phase == "prospect"


def test_first_order_within_90_days_is_new_with_reason():
    d = derive_phase(facts(15, 15, 1, recent_first=15), today=TODAY, params=P)
    assert (d.phase, d.reason, d.reason_en, d.effective) == (
        "new", "Erste Bestellung am 12.11.2026", "first order on 12 Nov 2026", date(2026, 11, 12))
    assert derive_phase(facts(90, 90, 1, recent_first=90), today=TODAY, params=P).phase == "new"
    assert derive_phase(facts(91, 10, 4, recent_first=91), today=TODAY, params=P).phase == "active"


def test_no_order_for_12_months_is_lost_effective_the_day_after():
    d = derive_phase(facts(900, 366, 10, before_last=366), today=TODAY, params=P)
    assert d.phase == "lost"
    assert d.reason == "Keine Bestellung seit 366 Tagen (letzte am 26.11.2025)"
    assert d.effective == date(2026, 11, 27)
    assert derive_phase(facts(900, 365, 10, before_last=365), today=TODAY, params=P).phase != "lost"


def test_order_after_a_lost_gap_is_won_back_then_active_after_182_days():
    won = derive_phase(facts(1000, 20, 12, recent_first=100, before_last=500), today=TODAY, params=P)
    assert (won.phase, won.effective) == ("won_back", TODAY - timedelta(days=100))
    assert won.reason_en == "order on 19 Aug 2026 after 400 days without an order"
    # the gap's end is outside the 182-day window: active again
    later = derive_phase(facts(1000, 20, 12, recent_first=150, before_last=180), today=TODAY, params=P)
    assert later.phase == "active"


def test_order_after_a_manual_lost_is_won_back():
    d = derive_phase(facts(400, 5, 9, recent_first=150, before_last=200), today=TODAY, params=P, current="lost")
    assert d.phase == "won_back"


def test_no_order_for_more_than_twice_the_usual_interval_is_at_risk():
    # 5 orders over 120 days: usual interval 30 days; last 61 days ago > 2 × 30
    d = derive_phase(facts(181, 61, 5, recent_first=181), today=TODAY, params=P)
    assert (d.phase, d.reason) == ("at_risk", "Keine Bestellung seit 61 Tagen, üblich alle 30 Tage")
    assert derive_phase(facts(180, 60, 5, recent_first=180), today=TODAY, params=P).phase == "active"
    # too few orders for a usual interval
    assert derive_phase(facts(200, 150, 2, recent_first=200), today=TODAY, params=P).phase == "active"
