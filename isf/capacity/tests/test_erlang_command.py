"""`isf erlang`: the command prints the Erlang C staffing with exact rounding and refuses bad input."""

import json
import math
import subprocess
import sys
from fractions import Fraction
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[3]


def erlang(*args) -> dict:
    out = StringIO()
    call_command("erlang", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def exact_erlang_c(n: int, a: Fraction) -> Fraction:
    """Independent reference: the text-book formula in exact rational arithmetic."""
    term, total = Fraction(1), Fraction(1)
    for k in range(1, n):
        term = term * a / k
        total += term
    top = term * a / n * n / (n - a)
    return top / (total + top)


def test_200_calls_an_hour_at_180_seconds_need_14_agents_for_80_20():
    data = erlang("--calls-per-hour", "200", "--aht", "180", "--target", "80/20")
    assert set(data) >= {"agents", "rostered", "service_level", "p_wait", "asa_seconds", "occupancy", "traffic_erlangs"}
    assert data["traffic_erlangs"] == 10.0
    assert data["agents"] == 14  # 13 agents answer only 79.6 % within 20 s
    assert data["rostered"] == 14
    assert round(data["service_level"], 4) == 0.8884
    assert data["p_wait"] == pytest.approx(float(exact_erlang_c(14, Fraction(10))), abs=1e-12)
    assert round(data["asa_seconds"], 2) == 7.84
    assert round(data["occupancy"], 4) == 0.7143


def test_thirteen_agents_miss_the_target_at_79_6_percent():
    data = erlang("--calls-per-hour", "200", "--aht", "180", "--target", "80/20", "--agents", "13")
    assert round(data["service_level"], 3) == 0.796


def test_twenty_one_agents_at_thirty_percent_shrinkage_are_thirty_rostered():
    data = erlang("--calls-per-hour", "340", "--aht", "180", "--target", "80/20", "--shrinkage", "0.3")
    assert data["agents"] == 21
    assert data["rostered"] == 30  # not 31: 21 / 0.7 is 30.000000000000004 in floating point
    assert math.ceil(21 / (1 - 0.3)) == 31


def test_occupancy_cap_adds_agents_on_a_large_queue():
    free = erlang("--calls-per-hour", "2000", "--aht", "180", "--target", "80/20")
    capped = erlang("--calls-per-hour", "2000", "--aht", "180", "--target", "80/20", "--max-occupancy", "0.85")
    assert free["occupancy"] > 0.85
    assert capped["agents"] == math.ceil(100 / 0.85) == 118
    assert capped["occupancy"] <= 0.85


def test_five_thousand_erlangs_stay_finite_and_minimal():
    data = erlang("--calls-per-hour", "100000", "--aht", "180", "--target", "80/20")
    assert data["traffic_erlangs"] == 5000.0
    assert data["agents"] == 5013
    assert all(math.isfinite(data[k]) for k in ("service_level", "p_wait", "asa_seconds"))


def test_text_output_lists_every_figure():
    out = StringIO()
    call_command("erlang", "--calls-per-hour", "200", "--aht", "180", "--target", "80/20", "--shrinkage", "0.3",
                 stdout=out)
    text = out.getvalue()
    for key in ("agents", "rostered", "service_level", "p_wait", "asa_seconds", "occupancy", "traffic_erlangs"):
        assert key in text
    assert "agents           14" in text and "rostered         20" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--calls-per-hour", "0", "--aht", "180"], "--calls-per-hour must be greater than 0"),
        (["--calls-per-hour", "-5", "--aht", "180"], "--calls-per-hour must be greater than 0"),
        (["--calls-per-hour", "200", "--aht", "0"], "--aht must be greater than 0"),
        (["--calls-per-hour", "200", "--aht", "-180"], "--aht must be greater than 0"),
        (["--calls-per-hour", "abc", "--aht", "180"], "--calls-per-hour 'abc' is not a number"),
        (["--calls-per-hour", "1.200", "--aht", "180"], "--calls-per-hour '1.200' is ambiguous"),
        (["--calls-per-hour", "1,200", "--aht", "180"], "--calls-per-hour '1,200' is ambiguous"),
        (["--calls-per-hour", "12,5.0", "--aht", "180"], "--calls-per-hour '12,5.0' is not a number"),
        (["--calls-per-hour", "200", "--aht", "180", "--target", "100/20"], "below 100"),
        (["--calls-per-hour", "200", "--aht", "180", "--target", "80"], "is not PERCENT/SECONDS"),
        (["--calls-per-hour", "200", "--aht", "180", "--shrinkage", "1"], "--shrinkage must be at least 0 and below 1"),
        (["--calls-per-hour", "200", "--aht", "180", "--max-occupancy", "0"], "--max-occupancy must be above 0"),
        (["--calls-per-hour", "200", "--aht", "180", "--agents", "10"], "unstable queue: traffic 10 Erlangs"),
        (["--calls-per-hour", "200", "--aht", "180", "--agents", "11", "--max-occupancy", "0.85"],
         "at least 12 agents"),
    ],
)
def test_bad_or_unstable_input_is_refused_with_a_message_naming_the_value(args, message):
    with pytest.raises(CommandError) as exc:
        call_command("erlang", *args, "--json", stdout=StringIO())
    assert message in str(exc.value)


def test_unstable_queue_exits_non_zero_from_the_console():
    result = subprocess.run(
        [sys.executable, "-m", "config.cli", "erlang", "--calls-per-hour", "200", "--aht", "180", "--agents", "9"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0
    assert "unstable queue" in result.stderr
    assert result.stdout == ""


def test_numbers_typed_the_german_or_the_english_way_give_the_same_staffing():
    """The one number parser: 0,3 and 0.3, 1.200,0 and 1,200.0 are each one number; the result is the same."""
    german = erlang("--calls-per-hour", "1.200,0", "--aht", "180,0", "--shrinkage", "0,3", "--max-occupancy", "0,9",
                    "--target", "80,5/20")
    english = erlang("--calls-per-hour", "1,200.0", "--aht", "180.0", "--shrinkage", "0.3", "--max-occupancy", "0.9",
                     "--target", "80.5/20")
    plain = erlang("--calls-per-hour", "1200", "--aht", "180", "--shrinkage", "0.3", "--max-occupancy", "0.9",
                   "--target", "80.5/20")
    assert german == english == plain
    assert plain["traffic_erlangs"] == 60.0 and plain["shrinkage"] == 0.3 and plain["target"]["level"] == 0.805
