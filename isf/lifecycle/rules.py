"""The phase rule as a pure function of an account's order facts (no database, easy to test)."""

import math
from dataclasses import dataclass
from datetime import date, timedelta

from isf.lifecycle.choices import Phase

MONTHS_DE = ["Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sep.", "Okt.", "Nov.", "Dez."]
MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def day_de(d: date) -> str:
    return f"{d.day:02d}.{d.month:02d}.{d.year}"


def day_en(d: date) -> str:
    return f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}"


@dataclass(frozen=True)
class RuleParams:
    new_days: int = 90
    lost_days: int = 365
    won_back_days: int = 182
    at_risk_factor: float = 2.0
    at_risk_min_orders: int = 3


@dataclass(frozen=True)
class OrderFacts:
    first: date | None
    last: date | None
    count: int = 0
    first_recent: date | None = None  # first order within the won-back window
    last_before: date | None = None  # last order before the won-back window


@dataclass(frozen=True)
class Derived:
    phase: str
    reason: str
    reason_en: str
    effective: date | None = None  # the day the data put the account into the phase


def derive_phase(facts: OrderFacts, *, today: date, params: RuleParams, current: str = Phase.PROSPECT) -> Derived:
    """The phase the rules give, with a German and English reason.

    Order of the rules: no order → prospect; no order for lost_days → lost; an order after a gap of
    more than lost_days (or after being lost) within won_back_days → won back; first order within
    new_days → new; no order for more than at_risk_factor × the usual interval → at risk; else active.
    """
    if facts.last is None or facts.first is None:
        return Derived(Phase.PROSPECT, "Noch keine Bestellung", "no order yet", today)
    since_last = (today - facts.last).days
    if since_last > params.lost_days:
        return Derived(
            Phase.LOST,
            f"Keine Bestellung seit {since_last} Tagen (letzte am {day_de(facts.last)})",
            f"no order for {since_last} days (last on {day_en(facts.last)})",
            facts.last + timedelta(days=params.lost_days + 1),
        )
    if facts.first_recent is not None and facts.last_before is not None:
        gap = (facts.first_recent - facts.last_before).days
        if gap > params.lost_days:
            return Derived(
                Phase.WON_BACK,
                f"Bestellung am {day_de(facts.first_recent)} nach {gap} Tagen ohne Bestellung",
                f"order on {day_en(facts.first_recent)} after {gap} days without an order",
                facts.first_recent,
            )
    if current == Phase.LOST and facts.first_recent is not None:
        return Derived(
            Phase.WON_BACK,
            f"Bestellung am {day_de(facts.last)} nach Verlust",
            f"order on {day_en(facts.last)} after being lost",
            facts.first_recent,
        )
    if (today - facts.first).days <= params.new_days:
        return Derived(
            Phase.NEW, f"Erste Bestellung am {day_de(facts.first)}", f"first order on {day_en(facts.first)}", facts.first
        )
    if facts.count >= max(2, params.at_risk_min_orders):
        interval = (facts.last - facts.first).days / (facts.count - 1)
        if interval > 0 and since_last > params.at_risk_factor * interval:
            return Derived(
                Phase.AT_RISK,
                f"Keine Bestellung seit {since_last} Tagen, üblich alle {round(interval)} Tage",
                f"no order for {since_last} days, usually every {round(interval)} days",
                min(today, facts.last + timedelta(days=math.floor(params.at_risk_factor * interval) + 1)),
            )
    return Derived(
        Phase.ACTIVE,
        f"Bestellt regelmäßig (letzte Bestellung am {day_de(facts.last)})",
        f"ordering regularly (last order on {day_en(facts.last)})",
        today,
    )
