"""Demo content for the lifecycle: phases derived by the rules from the generated order history,
plus a few believable manual overrides with reasons."""

from isf.customers.models import Account
from isf.lifecycle.choices import Phase
from isf.lifecycle.services import lifecycle_set_phase, lifecycle_update_all

OVERRIDES = [
    (Phase.LOST, "Betrieb aufgegeben laut Außendienst (Besuch im Oktober)", "business closed according to field rep"),
    (Phase.AT_RISK, "Einkäufer gewechselt, neuer Ansprechpartner testet Wettbewerber",
     "buyer changed, new contact is testing a competitor"),
    (Phase.LOST, "Insolvenzverfahren eröffnet", "insolvency proceedings opened"),
]


def load(ctx) -> None:
    lifecycle_update_all(today=ctx.today, progress=ctx.progress)
    lead = ctx.users.get("vl") or next(iter(ctx.users.values()), None)
    active = list(Account.objects.filter(phase=Phase.ACTIVE).order_by("pk").values_list("pk", flat=True)[:3])
    for pk, (phase, reason, reason_en) in zip(active, OVERRIDES, strict=False):
        lifecycle_set_phase(account=Account(pk=pk), phase=phase, reason=reason, reason_en=reason_en, actor=lead)
