"""Test helpers: the ranked-work clock and team, segments (only the committed Segment fields) and matrices."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from isf.org.tests.factories import TeamFactory
from isf.segmentation.models import Segment

BERLIN = ZoneInfo("Europe/Berlin")
RANKING_NOW = datetime(2026, 11, 24, 10, 0, tzinfo=BERLIN)  # a Tuesday, 10:00 in Berlin


def at(days=0, hour=12):
    """A moment ``days`` calendar days from RANKING_NOW's day at ``hour`` local."""
    day = RANKING_NOW.date() + timedelta(days=days)
    return datetime.combine(day, datetime.min.time(), tzinfo=BERLIN).replace(hour=hour)


def smb_team():
    """The inside team of the ranking tests: Bavarian holidays, 08:00-17:00 on weekdays."""
    return TeamFactory(code="SMB", name="SMB-Team", state="BY", business_hours="08:00-17:00", workdays="1-5")


def make_segment(code="SMB", name_de="Kleine und mittlere Unternehmen", name_en="Small and midsized business",
                 team=None, budget=350, precedence=30) -> Segment:
    team = team or TeamFactory(code=f"{code}-T", name=f"{code}-Team")
    return Segment.objects.create(code=code, name_de=name_de, name_en=name_en, team=team, care_budget=budget,
                                  precedence=precedence)


def activity(**overrides) -> dict:
    data = {
        "activity": "care_call", "title_de": "Betreuungsanruf", "title_en": "care call", "side": "inside",
        "channel": "phone", "phases": ["active"], "frequency_per_year": 4, "visits_by_class": "",
        "trigger_event": "", "offset_days": None,
    }
    data.update(overrides)
    return data
