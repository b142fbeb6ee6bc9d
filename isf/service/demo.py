"""Demo content for the service firm: catalog with teams and segments, closing days, contracts accepted by
VL and IDL, a few hundred service orders over the last months in every state (with events, realistic lead
times, some breaches), decisions and approval requests, ratings with German comments, SLA notices.

Orders go through the real services (with ``now=`` at the simulated moments), so every timeline, clock
and queue task is exactly what the product would have produced. The volume does not grow with the number of
accounts, so the step stays fast at 100,000 accounts.
"""

import time as time_module
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.core import mail
from django.db.models import F
from django.test.utils import override_settings
from django.utils import timezone

from isf.core import business_time as bt
from isf.customers.models import Account
from isf.org.choices import Role
from isf.segmentation.models import Segment
from isf.service import clock, contracts, services
from isf.service.catalog_data import SERVICES, catalog_defaults
from isf.service.errors import ServiceOrderError
from isf.service.models import ClosingDay, Notification, ServiceCatalogEntry, ServiceContract

MONTHS = 6
ORDERS = 420
#: relative demand per service code (quotes and order intake dominate)
WEIGHTS = {"quote_prep": 26, "order_intake": 18, "quote_followup": 12, "appointment": 9, "complaint": 8,
           "sample_dispatch": 6, "welcome_call": 6, "travel_planning": 3, "presentation": 3, "tender": 2,
           "cross_sell_review": 2, "buying_center": 1.5, "press_monitoring": 1, "case_study": 0.5,
           "training_offer": 2}
INPUT_EXAMPLES = {
    "products": ["200 Dübel M8, 50 Schwerlastanker", "Sortiment Klebstoffe für Neubau Halle 3", "12 Kartons Schrauben 4x40",
                 "Dichtstoffe silikonfrei, ca. 300 Kartuschen"],
    "order_text": ["3 Kartons Spax 5x60, Lieferung Baustelle", "Nachbestellung wie Auftrag vom Vormonat"],
    "quote_number": ["AN2026-004211", "AN2026-003877", "AN2026-005102"],
    "topic": ["Neue Befestigungssysteme 2027", "Produktschulung Klebetechnik", "Jahresgespräch Einkauf"],
    "tender_ref": ["Vergabe 2026/114 Stadtwerke", "eVergabe 55-2026 Landkreis"],
    "samples": ["Muster Schwerlastanker SLA-12", "Klebstoff K-200 in 3 Varianten"],
    "members": ["Einkaufsleitung neu besetzt, technischer Leiter", "Geschäftsführung und Bauleitung"],
    "project": ["Umrüstung Fertigungslinie auf Klebetechnik"],
    "period": ["nächste Woche vormittags", "KW 3 oder KW 4"],
    "problem": ["Lieferung unvollständig, 2 Kartons fehlen", "Falsche Ausführung geliefert", "Lieferverzug 5 Tage"],
}
COMMENTS = {
    5: ["Super schnell, danke!", "Perfekt vorbereitet, Kunde war begeistert.", "Genau so brauche ich das.",
        "Top – Angebot war am selben Tag beim Kunden."],
    4: ["Gut und zuverlässig.", "Passt, kleine Rückfrage war nötig.", "Ordentlich erledigt."],
    3: ["In Ordnung, aber etwas spät.", "Hat gedauert, Ergebnis okay.", "Rückfrage hätte früher kommen können."],
    2: ["Zu spät, Kunde hat nachgefragt.", "Angebot hatte Fehler in den Preisen."],
    1: ["Termin verpasst, Kunde verärgert."],
}


def _setup_catalog(ctx) -> dict[str, ServiceCatalogEntry]:
    segments = {s.code: s for s in Segment.objects.all()}
    entries = {}
    for index, item in enumerate(SERVICES):
        entry, _created = ServiceCatalogEntry.objects.get_or_create(code=item["code"],
                                                                   defaults=catalog_defaults(item, index))
        entry.default_team = ctx.teams.get(item["team"]) if item["team"] else ctx.teams.get("SMB")
        entry._history_user = ctx.users.get("idl")
        entry.save()
        entry.segments.set([segments[c] for c in item["segments"] if c in segments])
        entries[entry.code] = entry
    return entries


#: this year's service levels per segment (value, unit) where they differ from the line's default: key accounts and
#: mid-potential customers are served faster, C and D customers and private customers wait longer
SEGMENT_LEVELS = {
    "order_intake": {"KA": (2, "hours"), "MP": (3, "hours"), "C": (8, "hours"), "D": (1, "days"), "PRIV": (1, "days")},
    "quote_prep": {"KA": (4, "hours"), "MP": (6, "hours"), "C": (2, "days"), "D": (2, "days"), "PRIV": (2, "days")},
    "complaint": {"KA": (4, "hours"), "C": (1, "days"), "D": (2, "days"), "PRIV": (1, "days")},
    "appointment": {"KA": (1, "days"), "D": (3, "days")},
    "sample_dispatch": {"KA": (4, "hours"), "C": (2, "days"), "D": (3, "days")},
    "quote_followup": {"KA": (1, "days"), "C": (3, "days"), "D": (5, "days")},
}


def _segment_levels(code: str, segments: dict) -> list[dict]:
    return [{"segment": segments[seg], "target_value": Decimal(value), "target_unit": unit}
            for seg, (value, unit) in SEGMENT_LEVELS.get(code, {}).items() if seg in segments]


def _contracts(ctx, entries) -> ServiceContract:
    vl, idl = ctx.users["vl"], ctx.users["idl"]
    year = ctx.today.year
    for day in (date(year - 1, 12, 24), date(year - 1, 12, 31), date(year, 12, 24), date(year, 12, 31),
                date(year + 1, 12, 24), date(year + 1, 12, 31)):
        ClosingDay.objects.get_or_create(date=day, defaults={"name": "Betriebsruhe"})
    current = None
    segments = {s.code: s for s in Segment.objects.all()}
    notes = "Jour fixe VL/IDL monatlich. Servicelevels gelten in Geschäftszeiten Mo–Fr 08–17 Uhr."
    for period, discount in ((year - 1, "4"), (year, "5")):
        # service levels per segment were agreed for this year: last year's contract has the defaults only
        lines = [{"service": e, "target_value": e.target_value, "target_unit": e.target_unit,
                  "expected_monthly_volume": max(1, round(WEIGHTS.get(code, 1) * ORDERS / MONTHS / 100)),
                  "segment_targets": _segment_levels(code, segments) if period == year else []}
                 for code, e in entries.items()]
        contract = contracts.contract_save(user=vl, data={
            "period": str(period), "valid_from": date(period, 1, 1), "valid_to": date(period, 12, 31),
            "max_discount_percent": Decimal(discount), "max_goodwill_eur": Decimal("500"),
            "max_payment_term_days": 14, "due_soon_fraction": Decimal("0.75"),
            "notes": notes if period < year else notes + " Neu: Servicelevels je Kundensegment – Key Accounts "
                     "schneller, C-/D- und Privatkunden mit längeren Fristen.",
        }, lines=lines)
        contracts.contract_accept(user=vl, contract=contract)
        contracts.contract_accept(user=idl, contract=contract)
        current = contract
    # a second version of this year's contract, agreed by the VL, waiting for the IDL
    draft = contracts.contract_new_version(user=vl, contract=current)
    contracts.contract_save(user=vl, contract=draft, data={"max_discount_percent": Decimal("6"),
                                                           "notes": "Entwurf: Rabattkompetenz 6 % ab Q2."})
    contracts.contract_accept(user=vl, contract=draft)
    return current


def _pick(rng, options):
    return options[int(rng.integers(len(options)))]


def _inputs(rng, entry) -> dict:
    values = {}
    for spec in entry.inputs:
        name = spec["name"]
        if spec.get("type") == "date":
            values[name] = (timezone.localdate() + timedelta(days=int(rng.integers(3, 30)))).isoformat()
        elif spec.get("type") == "number":
            if spec.get("required") or rng.random() < 0.3:
                values[name] = str(int(rng.integers(2, 12)))
        elif name in INPUT_EXAMPLES:
            values[name] = _pick(rng, INPUT_EXAMPLES[name])
        elif spec.get("required") or rng.random() < 0.5:
            values[name] = "Bitte kurz mit mir abstimmen."
    return values


def _moment(rng, today: date, days_back: int) -> datetime:
    day = today - timedelta(days=days_back)
    while day.weekday() >= 5 and rng.random() < 0.9:
        day -= timedelta(days=1)
    minute = int(rng.integers(7 * 60, 18 * 60 + 30))
    local = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=timezone.get_current_timezone())
    return local.astimezone(UTC)


def load(ctx) -> None:
    rng = ctx.rng
    entries = _setup_catalog(ctx)
    _contracts(ctx, entries)
    now = timezone.now()
    agents_by_team: dict[int, list] = {}
    for user in ctx.users.values():
        if user.role == Role.INSIDE_AGENT and user.team_id:
            agents_by_team.setdefault(user.team_id, []).append(user)
    pool = list(Account.objects.filter(owner__isnull=False, segment__isnull=False)
                .select_related("owner", "segment__team").order_by("?")[:600])
    if not pool:
        return
    codes = list(WEIGHTS)
    probabilities = [WEIGHTS[c] / sum(WEIGHTS.values()) for c in codes]
    stats = {"orders": 0}
    started = time_module.perf_counter()
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for n in range(ORDERS):
            entry = entries[codes[int(rng.choice(len(codes), p=probabilities))]]
            account = pool[n % len(pool)]
            offered = {s.pk for s in entry.segments.all()}
            if offered and account.segment_id not in offered:
                entry = entries["quote_prep"]
            requester = ctx.users["vl"] if rng.random() < 0.08 else account.owner
            recent = n % 10 == 0  # every tenth order is from the last days: the live queue
            created = _moment(rng, ctx.today, int(rng.integers(0, 5)) if recent else int(rng.integers(3, MONTHS * 30)))
            if created >= now:
                continue
            try:
                order = services.service_order_create(service=entry, account=account, requester=requester,
                                                      inputs=_inputs(rng, entry), now=created,
                                                      note="Kunde wartet, bitte zügig." if rng.random() < 0.2 else "")
            except ServiceOrderError:
                continue
            _simulate(ctx, rng, order, agents_by_team, now, stall=recent and rng.random() < 0.5)
            stats["orders"] += 1
        services.sla_escalate(now=now)
        mail.outbox = []
        # people read their notices within a few hours; those of the last two days are still new
        Notification.objects.filter(created_at__lt=now - timedelta(days=2)).update(
            read_at=F("created_at") + timedelta(hours=3))
    ctx.progress(f"service orders: {stats['orders']} in {time_module.perf_counter() - started:.1f} s")


def _simulate(ctx, rng, order, agents_by_team, now, *, stall: bool = False) -> None:
    """Walk the order through the workflow at plausible business-time moments until ``now``.

    ``stall`` leaves a recent order where a busy team would: unclaimed, or claimed but not started.
    """
    cal = clock.team_calendar(order.team)
    agents = agents_by_team.get(order.team_id) or [ctx.users["idl"]]
    agent = _pick(rng, agents)

    def after(moment, hours):
        return bt.add_business_seconds(cal, moment, hours * 3600)

    roll = rng.random()
    target_h = order.target_seconds / 3600
    claim_at = after(order.created_at, target_h * float(rng.uniform(0.01, 0.12)))
    if claim_at >= now or (stall and rng.random() < 0.5):
        return
    if roll < 0.03:
        services.service_order_transition(order=order, user=order.requester, to="cancelled",
                                          reason="Kunde hat selbst bestellt", now=claim_at)
        return
    services.service_order_claim(order_id=order.pk, user=agent, now=claim_at)
    if roll < 0.06:
        services.service_order_transition(order=order, user=agent, to="rejected", now=after(claim_at, 0.3),
                                          reason="Keine Leistung laut Katalog für dieses Segment – bitte Außendienst")
        return
    start_at = after(claim_at, target_h * float(rng.uniform(0.01, 0.15)))
    if start_at >= now or stall:
        return
    services.service_order_transition(order=order, user=agent, to="in_progress", now=start_at)
    work_h = target_h * float(rng.lognormal(-0.75, 0.5))
    cursor = start_at
    if rng.random() < 0.22:  # needs something from the requester
        wait_at = after(start_at, work_h * 0.3)
        if wait_at >= now:
            return
        services.service_order_transition(order=order, user=agent, to="waiting", now=wait_at,
                                          note="Rückfrage: Mengen und Liefertermin bitte bestätigen")
        resume_at = wait_at + timedelta(hours=float(rng.uniform(2, 40)))
        if resume_at >= now:
            return
        services.service_order_transition(order=order, user=agent, to="in_progress", now=resume_at,
                                          note="Antwort vom Außendienst erhalten")
        cursor = resume_at
        work_h *= 0.7
    order.refresh_from_db()
    if order.service.code == "complaint" or rng.random() < 0.05:
        _decision(rng, order, agent, cursor, now)
        if services.pending_approvals_of(order):
            return  # waits for the owner's answer: an order with a pending approval is not completed
    done_at = after(cursor, work_h)
    steps = len(order.checklist)
    for index in range(steps):
        tick = cursor + (done_at - cursor) * (index + 1) / (steps + 1)
        if tick >= now:
            return
        services.service_order_step_set(order=order, user=agent, index=index, done=True, now=tick)
    if done_at >= now:
        return
    order = services.service_order_transition(order=order, user=agent, to="done", now=done_at)
    if rng.random() < 0.65:
        score = int(min(5, max(1, round(rng.normal(4.4 if order.sla_state != "breached" else 2.8, 0.7)))))
        services.service_order_rate(order=order, user=order.requester, score=score,
                                    comment=_pick(rng, COMMENTS[score]), now=done_at + timedelta(hours=3))


def _decision(rng, order, agent, at, now) -> None:
    """A decision on the order; above the rights the owner answers within hours (some of the last days still wait)."""
    if order.service.code == "complaint":
        value, kind = int(rng.choice([80, 150, 250, 400, 650, 900])), "goodwill"
    else:
        value, kind = int(rng.choice([3, 4, 5, 7, 8])), "discount"
    try:
        decision = services.decision_record(order=order, user=agent, kind=kind, value=value, now=at,
                                            reason="Kulanz wegen Lieferverzug" if kind == "goodwill"
                                            else "Wettbewerbsangebot liegt vor", request_approval=True)
    except ServiceOrderError:
        return
    answer_at = at + timedelta(hours=5)
    if decision.status == "pending" and answer_at < now and (rng.random() < 0.7 or answer_at < now - timedelta(days=3)):
        services.approval_decide(decision=decision, user=decision.approver, approve=rng.random() < 0.8,
                                 note="Einverstanden, einmalig." if rng.random() < 0.5 else "", now=answer_at)
