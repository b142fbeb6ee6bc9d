"""Erlang C staffing for inbound calls and workload staffing for back-office work.

Why these formulas
------------------
Erlang C (M/M/n queue, infinite patience) is the industry baseline the inside-sales lead compares
against; it is what every WFM tool and call-centre text book prints, so its numbers must match the
published ones exactly.

Why the recursion
-----------------
The text-book form ``A**n / n!`` overflows a float at roughly n = 170 and loses all precision long
before that. The Erlang B recursion ``B(n) = A*B(n-1) / (n + A*B(n-1))`` keeps every intermediate
value in ``(0, 1]``, so it is stable for any number of agents (it is tested at 5000 Erlangs), and it
hands us ``B(n)`` for every n on the way, which is exactly what the staffing search needs. Erlang C
then follows from Erlang B without any further powers or factorials.

Why exact rounding for the roster
---------------------------------
``21 / (1 - 0.3)`` is ``30.000000000000004`` in binary floating point, so a plain ``ceil`` rosters
31 people where 30 are enough. Shrinkage is a decimal the planner typed ("30 %"), so it is read
through its shortest decimal representation into a :class:`fractions.Fraction` and the ceiling is
taken exactly.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from numbers import Integral, Real

__all__ = [
    "MAX_AGENTS",
    "ErlangInputError",
    "StaffingResult",
    "average_speed_of_answer",
    "erlang_b",
    "erlang_c",
    "required_agents",
    "rostered_headcount",
    "service_level",
    "traffic_erlangs",
    "workload_fte",
    "workload_rostered",
]

# Floating-point slack for "meets the target": a service level computed as 0.7999999999999999 for a
# mathematically exact 0.8 must count as met. 1e-12 is far below any meaningful service-level step.
_TOLERANCE = 1e-12
#: The most agents the staffing search walks to: far beyond any one queue (5000 Erlangs need 5041 at 80/20), and a
#: bound on its time (about 0.1 s). Typed-in traffic of a hundred million Erlangs would otherwise run for minutes.
MAX_AGENTS = 100_000


class ErlangInputError(ValueError):
    """Staffing inputs that are out of range, or a target that no finite number of agents can meet."""


@dataclass(frozen=True, slots=True)
class StaffingResult:
    """Outcome of :func:`required_agents`.

    ``agents`` are the agents needed on the phones in the interval; ``rostered`` is the headcount to
    schedule once shrinkage (breaks, training, absence) is taken off. ``service_level``, ``p_wait``,
    ``asa_seconds`` and ``occupancy`` describe the queue with ``agents`` agents.
    """

    agents: int
    rostered: int
    service_level: float
    p_wait: float
    asa_seconds: float
    occupancy: float
    traffic_erlangs: float


# --------------------------------------------------------------------------------------------- validation


def _number(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ErlangInputError(f"{name} must be a number, got {value!r}")
    result = float(value)
    if not math.isfinite(result):
        raise ErlangInputError(f"{name} must be finite, got {value!r}")
    return result


def _positive(name: str, value: object) -> float:
    result = _number(name, value)
    if result <= 0:
        raise ErlangInputError(f"{name} must be greater than 0, got {value!r}")
    return result


def _agents(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
        raise ErlangInputError(f"agents must be a whole number >= 1, got {value!r}")
    return int(value)


def _exact(name: str, value: object) -> Fraction:
    """The decimal the caller meant: ``0.3`` becomes 3/10, not 0.29999999999999998889776975..."""
    if isinstance(value, Fraction | Decimal | Integral) and not isinstance(value, bool):
        try:
            return Fraction(value)
        except (ValueError, OverflowError):  # Decimal NaN / Infinity
            raise ErlangInputError(f"{name} must be finite, got {value!r}") from None
    return Fraction(repr(_number(name, value)))


def _shrinkage(value: object) -> Fraction:
    shrinkage = _exact("shrinkage", value)
    if not 0 <= shrinkage < 1:
        raise ErlangInputError(f"shrinkage must be in [0, 1), got {value!r}")
    return shrinkage


# ------------------------------------------------------------------------------------------------ formulas


def traffic_erlangs(calls_per_hour: float, aht_seconds: float) -> float:
    """Offered load A = calls per hour * average handle time / 3600 (agents' worth of work)."""
    calls = _positive("calls_per_hour", calls_per_hour)
    aht = _positive("aht_seconds", aht_seconds)
    return calls * aht / 3600.0


def _erlang_b_sequence(traffic: float, start: int = 1):
    """Yield ``(n, B(n))`` for n = 1, 2, ... using the stable recursion; values before ``start`` are skipped."""
    b = 1.0  # B(0)
    n = 0
    while True:
        n += 1
        ab = traffic * b
        b = ab / (n + ab)
        if n >= start:
            yield n, b


def _c_from_b(n: int, traffic: float, b: float) -> float:
    if n <= traffic:
        return 1.0  # unstable queue: the backlog grows without bound, every caller waits
    return n * b / (n - traffic * (1.0 - b))


def erlang_b(agents: int, traffic: float) -> float:
    """Blocking probability of an M/M/n/n loss system (used here as the stable route to Erlang C)."""
    n = _agents(agents)
    a = _positive("traffic", traffic)
    return next(_erlang_b_sequence(a, start=n))[1]


def erlang_c(agents: int, traffic: float) -> float:
    """Probability that a caller has to wait, P(wait > 0), for ``agents`` agents and ``traffic`` Erlangs.

    Returns 1.0 when ``agents <= traffic``: the queue is unstable and every caller waits.
    """
    n = _agents(agents)
    a = _positive("traffic", traffic)
    if n <= a:
        return 1.0
    return _c_from_b(n, a, erlang_b(n, a))


def _sl(n: int, traffic: float, c: float, aht: float, t: float) -> float:
    if n <= traffic:
        return 0.0
    return 1.0 - c * math.exp(-(n - traffic) * t / aht)


def service_level(agents: int, traffic: float, aht_seconds: float, target_seconds: float) -> float:
    """P(wait <= target_seconds) = 1 - C * exp(-(n - A) * t / AHT); 0.0 for an unstable queue."""
    n = _agents(agents)
    aht = _positive("aht_seconds", aht_seconds)
    t = _number("target_seconds", target_seconds)
    if t < 0:
        raise ErlangInputError(f"target_seconds must be >= 0, got {target_seconds!r}")
    return _sl(n, traffic, erlang_c(n, traffic), aht, t)


def average_speed_of_answer(agents: int, traffic: float, aht_seconds: float) -> float:
    """ASA = C * AHT / (n - A) in seconds; ``inf`` for an unstable queue."""
    n = _agents(agents)
    aht = _positive("aht_seconds", aht_seconds)
    c = erlang_c(n, traffic)
    return math.inf if n <= traffic else c * aht / (n - traffic)


def rostered_headcount(agents: int, shrinkage: float) -> int:
    """Smallest whole headcount r with r * (1 - shrinkage) >= agents, computed exactly (21 at 0.3 -> 30)."""
    if isinstance(agents, bool) or not isinstance(agents, Integral) or agents < 0:
        raise ErlangInputError(f"agents must be a whole number >= 0, got {agents!r}")
    available = 1 - _shrinkage(shrinkage)
    return math.ceil(Fraction(int(agents)) / available)  # Fraction.__ceil__ is exact


# ----------------------------------------------------------------------------------------- staffing search


def required_agents(
    calls_per_hour: float,
    aht_seconds: float,
    target_level: float = 0.8,
    target_seconds: float = 20,
    max_occupancy: float | None = None,
    shrinkage: float = 0.0,
) -> StaffingResult:
    """Fewest agents that answer ``target_level`` of calls within ``target_seconds`` (e.g. 80/20).

    The search starts at ``floor(A) + 1`` (the first stable queue) and walks up one agent at a time,
    reusing the Erlang B recursion, until both the service level and the optional occupancy cap
    (``A / n <= max_occupancy``, which protects agents from burnout on large, efficient queues) hold.
    Traffic above what the cap allows is not an error: it just needs more agents.
    """
    calls = _positive("calls_per_hour", calls_per_hour)
    aht = _positive("aht_seconds", aht_seconds)
    level = _number("target_level", target_level)
    if level == 1.0:
        raise ErlangInputError(
            "target_level=1.0 cannot be met by any finite number of agents: P(wait <= t) stays below 1 "
            "(at t=0 every queue with finite staff makes some callers wait)"
        )
    if not 0 < level < 1:
        raise ErlangInputError(f"target_level must be in (0, 1), got {target_level!r}")
    t = _number("target_seconds", target_seconds)
    if t < 0:
        raise ErlangInputError(f"target_seconds must be >= 0, got {target_seconds!r}")
    if max_occupancy is not None:
        cap = _number("max_occupancy", max_occupancy)
        if not 0 < cap <= 1:
            raise ErlangInputError(f"max_occupancy must be in (0, 1], got {max_occupancy!r}")
    else:
        cap = 1.0
    shrink = _shrinkage(shrinkage)

    a = calls * aht / 3600.0
    if a / cap > MAX_AGENTS:
        raise ErlangInputError(
            f"{a:.6g} Erlangs at max_occupancy={cap!r} need more than {MAX_AGENTS} agents: "
            "staff each queue of the line separately"
        )
    start = math.floor(a) + 1
    # Any target below 1 is met within a few dozen standard deviations (sqrt(A)) above A: C decays like
    # a Gaussian tail in (n - A) / sqrt(A). The bound only turns a floating-point dead end into an error.
    limit = max(math.ceil(a / cap), start) + math.ceil(50 * math.sqrt(a)) + 200
    for n, b in _erlang_b_sequence(a, start=start):
        c = _c_from_b(n, a, b)
        sl = _sl(n, a, c, aht, t)
        occupancy = a / n
        if sl >= level - _TOLERANCE and occupancy <= cap + _TOLERANCE:
            return StaffingResult(
                agents=n,
                rostered=math.ceil(Fraction(n) / (1 - shrink)),
                service_level=sl,
                p_wait=c,
                asa_seconds=c * aht / (n - a),
                occupancy=occupancy,
                traffic_erlangs=a,
            )
        if n >= limit:
            raise ErlangInputError(
                f"no finite number of agents meets target_level={target_level!r} within "
                f"target_seconds={target_seconds!r} at {a:.6g} Erlangs (searched up to {n} agents)"
            )
    raise AssertionError("unreachable")  # pragma: no cover - the generator is infinite


# ------------------------------------------------------------------------------------------------ workload


def _workload_fraction(
    items: Iterable[tuple[float, float]], productive_hours_per_fte: float, shrinkage: float
) -> Fraction:
    """Exact FTE as a Fraction of the decimals the caller passed (see the module docstring)."""
    hours = _exact("productive_hours_per_fte", productive_hours_per_fte)
    if hours <= 0:
        raise ErlangInputError(f"productive_hours_per_fte must be greater than 0, got {productive_hours_per_fte!r}")
    shrink = _shrinkage(shrinkage)
    minutes = Fraction(0)
    for index, item in enumerate(items):
        try:
            volume, minutes_each = item
        except (TypeError, ValueError):
            raise ErlangInputError(f"items[{index}] must be a (volume, minutes_each) pair, got {item!r}") from None
        v = _exact(f"items[{index}] volume", volume)
        m = _exact(f"items[{index}] minutes_each", minutes_each)
        if v < 0:
            raise ErlangInputError(f"items[{index}] volume must be >= 0, got {volume!r}")
        if m < 0:
            raise ErlangInputError(f"items[{index}] minutes_each must be >= 0, got {minutes_each!r}")
        minutes += v * m
    return minutes / 60 / (hours * (1 - shrink))


def workload_fte(
    items: Iterable[tuple[float, float]], productive_hours_per_fte: float, shrinkage: float = 0.0
) -> float:
    """FTE needed for back-office work: sum(volume * minutes_each) / 60 / (hours per FTE * (1 - shrinkage)).

    ``items`` are ``(volume, minutes_each)`` pairs for one period (e.g. a week's quotes at 12 min each);
    ``productive_hours_per_fte`` is the time one FTE is scheduled on this work in that period before
    shrinkage (e.g. 37.5 for a week). Back-office work queues without a waiting-time target, so no
    Erlang model is needed: the work simply has to fit into the available hours.
    """
    return float(_workload_fraction(items, productive_hours_per_fte, shrinkage))


def workload_rostered(
    items: Iterable[tuple[float, float]], productive_hours_per_fte: float, shrinkage: float = 0.0
) -> int:
    """Whole headcount for :func:`workload_fte`, rounded up exactly (no 30.000000000000004 -> 31)."""
    return math.ceil(_workload_fraction(items, productive_hours_per_fte, shrinkage))
