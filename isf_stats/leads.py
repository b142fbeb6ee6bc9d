"""Lead qualification: a fit score and a time-decayed engagement score give a class with its reasons.

Django-free so it can be tested exhaustively and reused by the API, the importer and the UI.

* **Fit** (0..100) says how well the company matches the customers we serve profitably:
  industry (up to 25 points), company size (up to 30), estimated annual potential (up to 30)
  and whether it lies in a region a field rep covers (15). A yearly volume the lead stated itself (its message,
  its need) counts as its potential when it is larger than the estimate.
* **Engagement** (0..100) says how interested the lead is *now*: every contact (10 points),
  answer (15) and request (25) counts with an exponential decay (half-life 30 days by
  default), so a request from last week weighs more than three from last year.
* **Score** = 0.6 * fit + 0.4 * engagement.
* **Class**: ``potential_key_account`` when fit >= 70 and engagement >= 15 (a large, well-matched
  company that shows interest); ``brochure_collector`` (the seed's "Prospektesammler") when fit
  < 35 or, with some fit, the score stays below 30 (little to sell, only brochures wanted);
  ``smb`` otherwise.

Every point comes with a :class:`Reason`, so a person sees *why* a lead got its class.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

__all__ = [
    "ENGAGEMENT_WEIGHTS",
    "Activity",
    "LeadFacts",
    "Qualification",
    "Reason",
    "engagement_score",
    "fit_score",
    "qualify",
]

POTENTIAL_KEY_ACCOUNT = "potential_key_account"
SMB = "smb"
BROCHURE_COLLECTOR = "brochure_collector"
CLASSES = (POTENTIAL_KEY_ACCOUNT, SMB, BROCHURE_COLLECTOR)

#: WZ 2008 sections -> points: the trades and industry buy technical supplies, others rarely.
INDUSTRY_POINTS = {"C": 25, "F": 25, "D": 18, "E": 18, "G": 15, "H": 15, "M": 12, "N": 12, "Q": 8, "O": 8}
DEFAULT_INDUSTRY_POINTS = 4
SIZE_POINTS = {"1-9": 5, "10-49": 12, "50-249": 20, "250-999": 26, "1000+": 30}
#: (minimum potential in EUR, points), checked from the top.
POTENTIAL_POINTS = ((250_000, 30), (60_000, 22), (15_000, 14), (5_000, 7))
REGION_POINTS = 15
ENGAGEMENT_WEIGHTS = {"contact": 10.0, "answer": 15.0, "request": 25.0}
DEFAULT_HALF_LIFE_DAYS = 30.0


@dataclass(frozen=True)
class Reason:
    """One contribution to the score. ``code`` is stable (for translations), ``text`` is English."""

    code: str
    points: float
    text: str

    def as_dict(self) -> dict:
        return {"code": self.code, "points": round(self.points, 1), "text": self.text}


@dataclass(frozen=True)
class Activity:
    """A touch point of the lead: ``kind`` is contact, answer or request."""

    kind: str
    at: datetime


@dataclass(frozen=True)
class LeadFacts:
    industry: str = ""
    employee_band: str = ""
    potential: float = 0.0
    in_served_region: bool = False
    activities: tuple[Activity, ...] = field(default_factory=tuple)
    #: the yearly volume the lead stated in its message or need (EUR); counts as potential when it is larger
    stated_need: float = 0.0


@dataclass(frozen=True)
class Qualification:
    fit: float
    engagement: float
    score: float
    qualification_class: str
    reasons: tuple[Reason, ...]

    def reasons_as_dicts(self) -> list[dict]:
        return [r.as_dict() for r in self.reasons]


def fit_score(facts: LeadFacts) -> tuple[float, list[Reason]]:
    """Fit points and their reasons (0..100)."""
    reasons: list[Reason] = []
    if facts.industry:
        points = INDUSTRY_POINTS.get(facts.industry.upper(), DEFAULT_INDUSTRY_POINTS)
        reasons.append(
            Reason(f"industry:{facts.industry.upper()}", points, f"industry {facts.industry.upper()}: +{points}")
        )
    else:
        reasons.append(Reason("industry:unknown", 0, "industry unknown: +0"))
    size = SIZE_POINTS.get(facts.employee_band, 0)
    if facts.employee_band:
        reasons.append(Reason(f"size:{facts.employee_band}", size, f"{facts.employee_band} employees: +{size}"))
    else:
        reasons.append(Reason("size:unknown", 0, "company size unknown: +0"))
    if facts.potential < 0:
        raise ValueError(f"potential: must not be negative, got {facts.potential!r}")
    if facts.stated_need < 0:
        raise ValueError(f"stated_need: must not be negative, got {facts.stated_need!r}")
    if facts.stated_need > facts.potential:
        pot = next((p for limit, p in POTENTIAL_POINTS if facts.stated_need >= limit), 0)
        reasons.append(Reason("potential:stated", pot, f"stated need {facts.stated_need:,.0f} EUR a year: +{pot}"))
    else:
        pot = next((p for limit, p in POTENTIAL_POINTS if facts.potential >= limit), 0)
        reasons.append(Reason("potential", pot, f"estimated potential {facts.potential:,.0f} EUR: +{pot}"))
    if facts.in_served_region:
        reasons.append(Reason("region:served", REGION_POINTS, f"in a served region: +{REGION_POINTS}"))
    else:
        reasons.append(Reason("region:outside", 0, "outside the served regions: +0"))
    return float(min(100, sum(r.points for r in reasons))), reasons


def engagement_score(
    activities: Iterable[Activity], *, now: datetime, half_life_days: float = DEFAULT_HALF_LIFE_DAYS
) -> tuple[float, list[Reason]]:
    """Decayed engagement (0..100): each activity counts weight * 0.5 ** (age / half-life)."""
    if half_life_days <= 0:
        raise ValueError(f"half_life_days: must be positive, got {half_life_days!r}")
    totals: dict[str, float] = {}
    counts: dict[str, int] = {}
    for act in activities:
        if act.kind not in ENGAGEMENT_WEIGHTS:
            raise ValueError(f"activity kind: {act.kind!r} is not one of {', '.join(ENGAGEMENT_WEIGHTS)}")
        age_days = max(0.0, (now - act.at).total_seconds() / 86_400)
        weight = ENGAGEMENT_WEIGHTS[act.kind] * 0.5 ** (age_days / half_life_days)
        totals[act.kind] = totals.get(act.kind, 0.0) + weight
        counts[act.kind] = counts.get(act.kind, 0) + 1
    reasons = [
        Reason(f"engagement:{kind}", totals[kind], f"{counts[kind]} {kind}(s), time-decayed: +{totals[kind]:.1f}")
        for kind in ENGAGEMENT_WEIGHTS
        if kind in totals
    ]
    if not reasons:
        reasons.append(Reason("engagement:none", 0, "no contacts, answers or requests yet: +0"))
    return min(100.0, sum(totals.values())), reasons


def qualify(facts: LeadFacts, *, now: datetime, half_life_days: float = DEFAULT_HALF_LIFE_DAYS) -> Qualification:
    """Score a lead and classify it, with the reasons for every point and for the class."""
    fit, fit_reasons = fit_score(facts)
    engagement, eng_reasons = engagement_score(facts.activities, now=now, half_life_days=half_life_days)
    score = round(0.6 * fit + 0.4 * engagement, 1)
    if fit >= 70 and engagement >= 15:
        cls = POTENTIAL_KEY_ACCOUNT
        why = Reason("class:key_account", 0, f"fit {fit:.0f} >= 70 and engagement {engagement:.0f} >= 15")
    elif fit < 35:
        cls = BROCHURE_COLLECTOR
        why = Reason("class:low_fit", 0, f"fit {fit:.0f} < 35: little to sell")
    elif score < 30:
        cls = BROCHURE_COLLECTOR
        why = Reason("class:low_score", 0, f"score {score:.1f} < 30: interest too low")
    else:
        cls = SMB
        why = Reason("class:smb", 0, f"fit {fit:.0f} and score {score:.1f}: small or midsized business")
    return Qualification(
        fit=round(fit, 1),
        engagement=round(engagement, 1),
        score=score,
        qualification_class=cls,
        reasons=(why, *fit_reasons, *eng_reasons),
    )
