"""Test helpers: segments (only the committed Segment fields) and matrices."""

from isf.org.tests.factories import TeamFactory
from isf.segmentation.models import Segment


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
