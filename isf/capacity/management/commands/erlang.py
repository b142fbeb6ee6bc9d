"""isf erlang: agents needed for an inbound queue (Erlang C) with a service-level target and shrinkage."""

import json
import math
import re
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

from isf.core.numbers import NumberParseError, parse_number_either
from isf_stats.capacity import (
    ErlangInputError,
    StaffingResult,
    average_speed_of_answer,
    erlang_c,
    required_agents,
    rostered_headcount,
    service_level,
)

KEYS = ("agents", "rostered", "service_level", "p_wait", "asa_seconds", "occupancy", "traffic_erlangs")


def parse_target(text: str) -> tuple[float, float]:
    """'80/20' -> (0.8, 20.0): the share of calls (percent) answered within the seconds."""
    match = re.fullmatch(r"\s*(\d+(?:[.,]\d+)?)\s*%?\s*/\s*(\d+(?:[.,]\d+)?)\s*s?\s*", text or "")
    if not match:
        raise CommandError(f"--target {text!r} is not PERCENT/SECONDS like 80/20")
    level = float(_decimal("--target", match[1])) / 100
    seconds = float(_decimal("--target", match[2]))
    if not 0 < level < 1:
        raise CommandError(f"--target {text!r}: the percentage must be above 0 and below 100")
    return level, seconds


def _decimal(name: str, text: str) -> Decimal:
    """A number as typed on the command line, German or English (``0,3`` or ``0.3``; ``1.200`` is refused as
    ambiguous): the one number parser, :func:`isf.core.numbers.parse_number_either`."""
    try:
        value = parse_number_either(text)
    except NumberParseError as exc:
        if exc.reason == "is ambiguous":
            raise CommandError(f"{name} {text!r} is ambiguous: write it without a thousands separator "
                               "(1200 or 1.5)") from None
        raise CommandError(f"{name} {text!r} is not a number") from None
    if not value.is_finite():
        raise CommandError(f"{name} {text!r} is not a finite number")
    return value


def _positive(name: str, text: str) -> float:
    value = _decimal(name, text)
    if value <= 0:
        raise CommandError(f"{name} must be greater than 0, got {text}")
    return float(value)


def evaluate(agents: int, calls_per_hour: float, aht: float, level: float, seconds: float,
             max_occupancy: float | None, shrinkage: Decimal) -> StaffingResult:
    """The queue with a given number of agents; refuses an unstable queue or one above the occupancy cap."""
    traffic = calls_per_hour * aht / 3600
    if traffic >= agents:
        raise ErlangInputError(
            f"unstable queue: traffic {traffic:.4g} Erlangs is at or above the {agents} agents; "
            f"the queue grows without bound (at least {math.floor(traffic) + 1} agents are needed)"
        )
    if max_occupancy is not None and traffic / agents > max_occupancy:
        raise ErlangInputError(
            f"traffic {traffic:.4g} Erlangs needs more than {agents} agents at a maximum occupancy of "
            f"{max_occupancy:g} (occupancy would be {traffic / agents:.3f}; at least "
            f"{math.ceil(traffic / max_occupancy)} agents)"
        )
    return StaffingResult(
        agents=agents,
        rostered=rostered_headcount(agents, shrinkage),
        service_level=service_level(agents, traffic, aht, seconds),
        p_wait=erlang_c(agents, traffic),
        asa_seconds=average_speed_of_answer(agents, traffic, aht),
        occupancy=traffic / agents,
        traffic_erlangs=traffic,
    )


class Command(BaseCommand):
    help = ("Agents needed to answer inbound calls (Erlang C): the fewest agents that meet the service-level "
            "target and the occupancy cap, and the headcount to roster after shrinkage.")

    def add_arguments(self, parser):
        parser.add_argument("--calls-per-hour", required=True, help="Calls offered per hour (greater than 0).")
        parser.add_argument("--aht", required=True, help="Average handling time per call in seconds (greater than 0).")
        parser.add_argument("--target", default="80/20",
                            help="Service-level target PERCENT/SECONDS, e.g. 80/20 = 80 %% answered within 20 s.")
        parser.add_argument("--shrinkage", default="0",
                            help="Share of paid time not on the phones, 0 <= s < 1 (e.g. 0.3); default 0.")
        parser.add_argument("--max-occupancy", default=None,
                            help="Highest share of time an agent may be busy with calls, 0 < o <= 1 (e.g. 0.85).")
        parser.add_argument("--agents", type=int, default=None,
                            help="Evaluate this number of agents instead of searching the fewest that meet the target.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object on stdout.")

    def handle(self, *args, **opts):
        calls = _positive("--calls-per-hour", opts["calls_per_hour"])
        aht = _positive("--aht", opts["aht"])
        level, seconds = parse_target(opts["target"])
        shrinkage = _decimal("--shrinkage", opts["shrinkage"])
        if not 0 <= shrinkage < 1:
            raise CommandError(f"--shrinkage must be at least 0 and below 1, got {opts['shrinkage']}")
        cap = None
        if opts["max_occupancy"] is not None:
            cap = float(_decimal("--max-occupancy", opts["max_occupancy"]))
            if not 0 < cap <= 1:
                raise CommandError(f"--max-occupancy must be above 0 and at most 1, got {opts['max_occupancy']}")
        try:
            if opts["agents"] is not None:
                if opts["agents"] < 1:
                    raise CommandError(f"--agents must be at least 1, got {opts['agents']}")
                result = evaluate(opts["agents"], calls, aht, level, seconds, cap, shrinkage)
            else:
                result = required_agents(calls, aht, target_level=level, target_seconds=seconds,
                                         max_occupancy=cap, shrinkage=shrinkage)
        except ErlangInputError as exc:
            raise CommandError(str(exc)) from None
        data = {key: getattr(result, key) for key in KEYS}
        data["target"] = {"level": level, "seconds": seconds}
        data["shrinkage"] = float(shrinkage)
        data["max_occupancy"] = cap
        if opts["json"]:
            self.stdout.write(json.dumps(data))
            return
        self.stdout.write(f"traffic_erlangs  {result.traffic_erlangs:.4f}")
        self.stdout.write(f"agents           {result.agents}")
        self.stdout.write(f"rostered         {result.rostered}  (shrinkage {float(shrinkage):.0%})")
        self.stdout.write(f"service_level    {result.service_level:.4f}  (target {level:.0%} within {seconds:g} s)")
        self.stdout.write(f"p_wait           {result.p_wait:.4f}")
        self.stdout.write(f"asa_seconds      {result.asa_seconds:.2f}")
        self.stdout.write(f"occupancy        {result.occupancy:.4f}")
