"""Demo content for segmentation: the default segment set, assigned by its rules, with history.

The sales lead adds a buying-behaviour rule to SMB (frequent small orders: served by the SMB team by phone)
through the same service as the rules page. The assignment runs twice: as of half a year ago and as of today, so accounts show believable
segment changes ("MP → KA by rule"). A few key accounts carry manual overrides with a reason.
Fast at 100,000 accounts: rule evaluation is one query, writes are bulk updates.
"""

from datetime import timedelta
from decimal import Decimal

from django.db.models import F

from isf.customers.models import Account
from isf.segmentation.models import Segment
from isf.segmentation.services import (
    RULE_FIELDS,
    segment_override_set,
    segment_save,
    segments_assign_all,
    segments_create_defaults,
)

OVERRIDES = [
    # target segment, reason, valid for days (None = open-ended)
    ("KA", "Rahmenvertrag mit Konzernmutter in Verhandlung – Betreuung durch das Key-Account-Team", None),
    ("KA", "Strategischer Referenzkunde für die neue Produktlinie", 180),
    ("MP", "Neues Werk im Aufbau, Potenzial wird sich verdoppeln (Besuchsbericht Außendienst)", 120),
    ("SMB", "Bestellt über die Zentrale, Filialen einzeln betreut", 60),
]


# frequent small orders: at least 6 orders a year at below 800 € each -> SMB, served by phone
FREQUENT_SMALL_ORDERS = {"orders_min": Decimal("6"), "order_value_max": Decimal("800"), "customer_type": "b2b"}
SMB_CRITERIA = ("Geschäftskunden ab 5.000 € Umsatz in 12 Monaten oder ab 15.000 € Potenzial, außerdem Kunden mit "
                "häufigen Kleinbestellungen (mindestens 6 Bestellungen im Jahr, Ø Auftragswert unter 800 €): "
                "sie werden telefonisch durch das SMB-Team betreut.")


def add_buying_behaviour_rule(vl) -> None:
    smb = Segment.objects.get(code="SMB")
    rules = [{f: getattr(r, f) for f in RULE_FIELDS} for r in smb.rules.order_by("position")]
    segment_save(segment=smb, data={"criteria": SMB_CRITERIA}, rules=[*rules, FREQUENT_SMALL_ORDERS], actor=vl)


def load(ctx) -> None:
    segments_create_defaults(teams=ctx.teams)
    vl = ctx.users.get("vl")
    add_buying_behaviour_rule(vl)
    first = segments_assign_all(today=ctx.today - timedelta(days=182))
    ctx.progress(f"segments as of half a year ago: {first['changed']:,} assigned")
    second = segments_assign_all(today=ctx.today)
    ctx.progress(f"segments today: {second['changed']:,} changed")
    codes = {s.code: s for s in Segment.objects.all()}
    # mid-potential B2B accounts whose potential is far above their revenue: the VL knows more than the rules
    candidates = list(Account.objects.filter(segment__code="MP", customer_type="b2b")
                      .order_by(F("potential").desc(), "pk").values_list("pk", flat=True)[: len(OVERRIDES) * 3 : 3])
    for pk, (code, reason, days) in zip(candidates, OVERRIDES, strict=False):
        until = ctx.today + timedelta(days=days) if days else None
        segment_override_set(account=Account.objects.get(pk=pk), segment=codes[code], reason=reason,
                             valid_until=until, actor=vl, today=ctx.today)
