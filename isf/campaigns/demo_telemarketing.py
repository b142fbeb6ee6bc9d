"""Demo: one telemarketing list built from the opportunity list seven weeks ago, 10 % held out as the control group,
worked by the SMB and mid-potential agents (reached, appointments for the field, orders taken with their value), so
its results against the control group show on the campaign page.

Built through the services on the list's day, as the IDL would have built it then; deterministic (the entries and
outcomes follow the list's order and the seed's data).
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from isf.campaigns.choices import CallOutcome, EntryStatus
from isf.campaigns.errors import CampaignsError
from isf.campaigns.services import campaigns as campaign_services
from isf.campaigns.services import telemarketing as services

LIST_AGE_DAYS = 49
NAME = "Potenzial heben: KMU und Mittelstand, Lieferanteil unter 20 %"
TALKING_POINTS = ("Bedarf erfragen: Welche Warengruppen kaufen Sie heute woanders? Rahmenvertrag mit Staffelpreisen "
                  "anbieten, bei Interesse Termin für den Außendienst vereinbaren.")
NOTES = {
    CallOutcome.SALE: "Erstauftrag telefonisch aufgenommen, Lieferung frei Baustelle",
    CallOutcome.APPOINTMENT: "Möchte Sortiment vor Ort sehen",
    CallOutcome.NOT_INTERESTED: "Fester Lieferant, Rahmenvertrag bis Jahresende",
    CallOutcome.REACHED: "Einkauf informiert, Katalog per E-Mail",
    CallOutcome.QUOTE_REQUESTED: "Angebot über Jahresbedarf gewünscht",
    CallOutcome.NOT_REACHED: "",
}
CYCLE = [CallOutcome.NOT_REACHED, CallOutcome.REACHED, CallOutcome.APPOINTMENT, CallOutcome.NOT_INTERESTED,
         CallOutcome.SALE, CallOutcome.QUOTE_REQUESTED, CallOutcome.REACHED, CallOutcome.NOT_REACHED]
ORDER_VALUES = [Decimal("1840.00"), Decimal("3275.50"), Decimal("960.00"), Decimal("5420.00")]


def load(ctx, *, book_for_entry) -> None:
    day = ctx.today - timedelta(days=LIST_AGE_DAYS)
    built = datetime.combine(day, time(8, 15), tzinfo=timezone.get_default_timezone())
    _cross_sell_model(ctx, day)
    agents = [ctx.users[name] for name in ("id4", "id5") if name in ctx.users]
    try:
        campaign = services.telemarketing_list_create(
            name=NAME, filters={"segment": ["SMB", "MP"], "max_share_of_wallet": 20}, user=ctx.users["idl"],
            control_share=10, agents=agents, description=TALKING_POINTS, now=built)
    except CampaignsError as exc:
        ctx.progress(f"telemarketing: no list ({exc.message})")
        return
    entries = list(campaign.entries.filter(status=EntryStatus.OPEN).select_related("agent", "account")
                   .order_by("pk")[:60])
    sales = 0
    for i, entry in enumerate(entries[: len(entries) * 3 // 4]):
        outcome = CYCLE[i % len(CYCLE)]
        when = built + timedelta(days=1 + i // 6, hours=1 + i % 6)
        try:
            if outcome == CallOutcome.APPOINTMENT:
                book_for_entry(ctx, entry, entry.agent, when)
                continue
            value = ORDER_VALUES[sales % len(ORDER_VALUES)] if outcome == CallOutcome.SALE else None
            campaign_services.call_record(entry=entry, agent=entry.agent, outcome=outcome, note=NOTES[outcome],
                                          order_value=value, now=when)
            sales += outcome == CallOutcome.SALE
        except CampaignsError:
            continue
    ctx.progress(f"telemarketing: {campaign.entries.count()} entries, {campaign.control_accounts.count()} held out")


def _cross_sell_model(ctx, day) -> None:
    """The reasons name the product groups similar customers buy: the model the nightly run would have had then."""
    from isf.calls import crosssell
    from isf.demo.services import LARGE_BASE

    if crosssell.current_model() is None and ctx.base.n <= LARGE_BASE:
        crosssell.cross_sell_refresh(today=day)
