"""Erlang C staffing against exact arithmetic, published worked examples and a log-space reference."""

from __future__ import annotations

import math
import time
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import poisson

from isf_stats.capacity import (
    ErlangInputError,
    average_speed_of_answer,
    erlang_b,
    erlang_c,
    required_agents,
    rostered_headcount,
    service_level,
    traffic_erlangs,
    workload_fte,
    workload_rostered,
)

# ------------------------------------------------------------------------------------ independent references


def exact_erlang_c(n: int, traffic: Fraction) -> Fraction:
    """Text-book Erlang C in exact rational arithmetic: A^n/n! * n/(n-A) / (sum_{k<n} A^k/k! + same)."""
    top = traffic**n / math.factorial(n) * Fraction(n) / (n - traffic)
    return top / (sum(traffic**k / math.factorial(k) for k in range(n)) + top)


def exact_service_level(n: int, traffic: Fraction, aht: int, t: int) -> float:
    return 1.0 - float(exact_erlang_c(n, traffic)) * math.exp(-float(n - traffic) * t / aht)


def log_space_erlang_c(n: int, traffic: float) -> float:
    """Erlang C through Poisson probabilities in log space (no recursion): B = pmf(n) / cdf(n)."""
    log_b = poisson.logpmf(n, traffic) - poisson.logcdf(n, traffic)
    b = math.exp(log_b)
    return n * b / (n - traffic * (1.0 - b))


# ---------------------------------------------------------------------------------------- worked examples


def test_classic_example_200_calls_an_hour_at_180_seconds_needs_14_agents_for_80_20():
    # 100 calls per 30 minutes, AHT 3 minutes, 80 % answered within 20 s (the Call Centre Helper example).
    # 13 agents reach only 79.56 %, so 14 are needed; the often-quoted "13 agents at ~82 %" is wrong.
    result = required_agents(200, 180, target_level=0.8, target_seconds=20)

    assert result.traffic_erlangs == 10.0
    assert result.agents == 14
    assert result.rostered == 14
    assert result.service_level == pytest.approx(exact_service_level(14, Fraction(10), 180, 20), abs=1e-12)
    assert result.p_wait == pytest.approx(float(exact_erlang_c(14, Fraction(10))), abs=1e-12)
    assert round(result.service_level, 4) == 0.8884
    assert round(result.p_wait, 4) == 0.1741
    assert round(result.asa_seconds, 2) == 7.84
    assert round(result.occupancy, 4) == 0.7143


@pytest.mark.parametrize(
    ("agents", "p_wait", "level", "asa"),
    [
        (11, 0.6821, 0.3896, 122.78),
        (12, 0.4494, 0.6402, 40.44),
        (13, 0.2853, 0.7956, 17.12),
        (14, 0.1741, 0.8884, 7.84),
    ],
)
def test_ten_erlang_table_matches_exact_arithmetic_to_four_decimals(agents, p_wait, level, asa):
    exact_c = float(exact_erlang_c(agents, Fraction(10)))

    assert round(erlang_c(agents, 10.0), 4) == round(exact_c, 4) == p_wait
    assert round(service_level(agents, 10.0, 180, 20), 4) == round(
        exact_service_level(agents, Fraction(10), 180, 20), 4
    )
    assert round(service_level(agents, 10.0, 180, 20), 4) == level
    assert round(average_speed_of_answer(agents, 10.0, 180), 2) == asa


@pytest.mark.parametrize("traffic", [Fraction(1, 2), Fraction(5, 2), Fraction(10), Fraction(373, 10), Fraction(120)])
def test_erlang_c_matches_exact_formula_across_agents(traffic):
    for n in range(math.floor(traffic) + 1, math.floor(traffic) + 25):
        assert erlang_c(n, float(traffic)) == pytest.approx(float(exact_erlang_c(n, traffic)), rel=1e-11, abs=1e-300)


def test_erlang_b_small_values():
    assert erlang_b(1, 1.0) == 0.5
    assert erlang_b(2, 1.0) == pytest.approx(0.2)
    assert erlang_b(3, 2.0) == pytest.approx(float(Fraction(8, 6) / (1 + 2 + 2 + Fraction(8, 6))))


def test_unstable_queue_helpers():
    assert erlang_c(10, 10.0) == 1.0
    assert erlang_c(4000, 5000.0) == 1.0
    assert service_level(9, 10.0, 180, 20) == 0.0
    assert average_speed_of_answer(10, 10.0, 180) == math.inf


def test_zero_answer_time_target_is_one_minus_p_wait():
    assert service_level(14, 10.0, 180, 0) == pytest.approx(1 - erlang_c(14, 10.0), abs=1e-15)


def test_traffic_is_calls_times_aht_over_3600():
    assert traffic_erlangs(360, 240) == 24.0


# ---------------------------------------------------------------------------------------- large traffic


def test_five_thousand_erlangs_is_finite_minimal_and_matches_log_space_reference():
    started = time.perf_counter()
    result = required_agents(100_000, 180, target_level=0.8, target_seconds=20)  # A = 5000 Erlangs
    elapsed = time.perf_counter() - started

    assert result.traffic_erlangs == 5000.0
    assert 5000 < result.agents < 5000 + 3 * math.sqrt(5000)
    assert result.agents == 5013
    for value in (result.service_level, result.p_wait, result.asa_seconds, result.occupancy):
        assert math.isfinite(value)
    assert service_level(result.agents - 1, 5000.0, 180, 20) < 0.8 <= result.service_level
    for n in (result.agents - 10, result.agents, result.agents + 50, 5400):
        assert erlang_c(n, 5000.0) == pytest.approx(log_space_erlang_c(n, 5000.0), rel=1e-9)
    assert result.p_wait == pytest.approx(log_space_erlang_c(5013, 5000.0), rel=1e-9)
    assert elapsed < 1.0


def test_many_agents_on_small_traffic_underflows_gracefully_to_zero_wait():
    assert erlang_c(3000, 3.0) == 0.0
    assert service_level(3000, 3.0, 180, 20) == 1.0


# ---------------------------------------------------------------------------------------- shrinkage


def test_twenty_one_agents_at_thirty_percent_shrinkage_roster_thirty_not_thirty_one():
    assert math.ceil(21 / (1 - 0.3)) == 31  # the floating-point trap this guards against
    assert rostered_headcount(21, 0.3) == 30
    result = required_agents(340, 180, shrinkage=0.3)  # 17 Erlangs
    assert result.agents == 21
    assert result.rostered == 30


@given(
    agents=st.integers(min_value=0, max_value=100_000),
    shrinkage=st.one_of(
        st.floats(min_value=0.0, max_value=0.99, allow_nan=False),
        st.integers(min_value=0, max_value=999).map(lambda k: k / 1000),
    ),
)
def test_rostered_is_smallest_headcount_covering_agents_after_shrinkage(agents, shrinkage):
    available = 1 - Fraction(repr(shrinkage))
    rostered = rostered_headcount(agents, shrinkage)

    assert rostered * available >= agents
    assert rostered == 0 or (rostered - 1) * available < agents


# ---------------------------------------------------------------------------------------- occupancy cap


def test_occupancy_cap_raises_agents_on_a_large_queue():
    uncapped = required_agents(2000, 180)  # 100 Erlangs: 80/20 alone runs agents at ~94 % occupancy
    capped = required_agents(2000, 180, max_occupancy=0.85)

    assert uncapped.occupancy > 0.85
    assert capped.agents == math.ceil(100 / 0.85) == 118
    assert capped.occupancy <= 0.85
    assert capped.service_level > uncapped.service_level


def test_occupancy_cap_exactly_reachable_is_met_not_overshot():
    # 8 Erlangs at an 80 % cap allows exactly 10 agents; the service level alone would need 11.
    assert required_agents(160, 180).agents == 11
    assert required_agents(160, 180, target_level=0.5, max_occupancy=0.8).agents == 10


def test_loose_cap_does_not_change_the_answer():
    assert required_agents(200, 180, max_occupancy=1.0) == required_agents(200, 180)


# ---------------------------------------------------------------------------------------- bad inputs


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"calls_per_hour": 0}, "calls_per_hour must be greater than 0, got 0"),
        ({"calls_per_hour": -5}, "calls_per_hour must be greater than 0, got -5"),
        ({"calls_per_hour": float("nan")}, "calls_per_hour must be finite"),
        ({"calls_per_hour": "200"}, "calls_per_hour must be a number, got '200'"),
        ({"calls_per_hour": True}, "calls_per_hour must be a number, got True"),
        ({"aht_seconds": 0}, "aht_seconds must be greater than 0, got 0"),
        ({"aht_seconds": -180}, "aht_seconds must be greater than 0, got -180"),
        ({"target_level": 0}, "target_level must be in (0, 1), got 0"),
        ({"target_level": 80}, "target_level must be in (0, 1), got 80"),
        ({"target_level": 1.0}, "target_level=1.0 cannot be met by any finite number of agents"),
        ({"target_level": 1.0, "target_seconds": 0}, "target_level=1.0 cannot be met"),
        ({"target_seconds": -1}, "target_seconds must be >= 0, got -1"),
        ({"shrinkage": 1.0}, "shrinkage must be in [0, 1), got 1.0"),
        ({"shrinkage": -0.1}, "shrinkage must be in [0, 1), got -0.1"),
        ({"max_occupancy": 0}, "max_occupancy must be in (0, 1], got 0"),
        ({"max_occupancy": 1.2}, "max_occupancy must be in (0, 1], got 1.2"),
    ],
)
def test_invalid_inputs_raise_naming_the_value(kwargs, fragment):
    arguments = {"calls_per_hour": 200, "aht_seconds": 180} | kwargs
    with pytest.raises(ErlangInputError) as raised:
        required_agents(**arguments)
    assert fragment in str(raised.value)
    assert isinstance(raised.value, ValueError)


def test_traffic_beyond_the_occupancy_cap_is_not_an_error():
    # 10 Erlangs on a 50 % cap simply needs 20 agents.
    assert required_agents(200, 180, max_occupancy=0.5).agents == 20


def test_helper_validation():
    with pytest.raises(ErlangInputError, match="agents must be a whole number >= 1, got 0"):
        erlang_c(0, 1.0)
    with pytest.raises(ErlangInputError, match="agents must be a whole number >= 1, got 2.5"):
        erlang_c(2.5, 1.0)
    with pytest.raises(ErlangInputError, match="traffic must be greater than 0, got -1"):
        erlang_c(3, -1)
    with pytest.raises(ErlangInputError, match="target_seconds must be >= 0"):
        service_level(3, 1.0, 180, -5)
    with pytest.raises(ErlangInputError, match="shrinkage must be in"):
        rostered_headcount(3, 1)


# ---------------------------------------------------------------------------------------- workload


def test_workload_fte_and_roster():
    items = [(120, 12), (300, 4.5)]  # 1440 + 1350 minutes = 46.5 hours
    assert workload_fte(items, 37.5, 0.25) == pytest.approx(46.5 / (37.5 * 0.75))
    assert workload_rostered(items, 37.5, 0.25) == 2
    assert workload_fte([], 37.5) == 0.0
    assert workload_rostered([], 37.5) == 0


def test_workload_roster_has_no_floating_point_over_rounding():
    assert 21 / (1 * (1 - 0.3)) > 30
    assert workload_rostered([(21, 60)], 1, 0.3) == 30
    assert workload_rostered([(0.1, 60), (0.2, 60)], 0.3, 0) == 1  # 0.1 + 0.2 is not 0.30000000000000004 here


@pytest.mark.parametrize(
    ("items", "hours", "shrinkage", "fragment"),
    [
        ([(-1, 5)], 37.5, 0, "items[0] volume must be >= 0, got -1"),
        ([(1, 5), (2, -5)], 37.5, 0, "items[1] minutes_each must be >= 0, got -5"),
        ([(1, 5, 7)], 37.5, 0, "items[0] must be a (volume, minutes_each) pair"),
        ([(1, 5)], 0, 0, "productive_hours_per_fte must be greater than 0, got 0"),
        ([(1, 5)], 37.5, 1, "shrinkage must be in [0, 1), got 1"),
    ],
)
def test_workload_validation(items, hours, shrinkage, fragment):
    with pytest.raises(ErlangInputError) as raised:
        workload_fte(items, hours, shrinkage)
    assert fragment in str(raised.value)


def test_traffic_beyond_the_search_bound_is_refused_at_once_not_searched_for_minutes():
    with pytest.raises(ErlangInputError) as raised:
        required_agents(9999999.99, 36000, target_level=0.8, target_seconds=20)
    assert str(raised.value) == ("1e+08 Erlangs at max_occupancy=1.0 need more than 100000 agents: "
                                 "staff each queue of the line separately")
    with pytest.raises(ErlangInputError, match="at max_occupancy=0.01 need more than 100000 agents"):
        required_agents(18000, 1000, max_occupancy=0.01)  # 5000 Erlangs, but at most 1 % busy: 500,000 agents
    assert required_agents(18000, 1000, target_level=0.8, target_seconds=20).agents == 5041  # 5000 Erlangs: searched
