"""Demo content for what every contact learns (issue 20): needs the customers told inside sales, potential
estimates updated from calls, visits and research, and contacts with their buying-center role - each recorded
through isf.customers.services, so the field reps have their notifications and the timelines their entries; the
accounts whose potential moved are placed by the segmentation's rules, as the nightly run would."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import numpy as np
from django.utils import timezone

from isf.customers.models import Account, ProductGroup
from isf.customers.services import contact_capture, need_record, potential_record
from isf.org.choices import Role
from isf.org.models import User

NEEDS = [
    ("DRL", "Neuer Schraubenkompressor für Halle 2, Angebot bis Monatsende gewünscht", "quarter"),
    ("ASK", "Arbeitskleidung für 40 neue Azubis im September", "year"),
    ("LED", "Umrüstung der Lagerbeleuchtung auf LED, Förderantrag läuft", "year"),
    ("SWT", "Zweiter Schweißroboter geplant, Schutzgas und Zubehör", "later"),
    ("BEF", "Rahmenvertrag Befestigungstechnik läuft beim Wettbewerber aus", "now"),
    ("LAG", "Erweiterung Kleinteilelager, Fachbodenregale", "quarter"),
    ("EWZ", "Akkugeräte-Plattform vereinheitlichen (bisher drei Hersteller)", "year"),
    ("REI", "Hygienekonzept Kantine, Spender und Verbrauchsmaterial", "now"),
    ("HYD", "Wartungsstau Hydraulikschläuche, Ersatz nach Prüfung", "quarter"),
    ("ASS", "Sicherheitsschuhe S3 für die Montage, Größenlauf anfragen", "now"),
]
SOURCES = ["call", "call", "customer", "visit", "research"]
ESTIMATE_NOTES = {
    "call": "Einkauf nennt Jahresbedarf im Telefonat",
    "customer": "Angabe des Geschäftsführers zum Gesamtbedarf",
    "visit": "Schätzung nach Betriebsbegehung mit dem Kundenbetreuer",
    "research": "Bundesanzeiger: Umsatz und Mitarbeiterzahl gestiegen",
}
CONTACTS = [
    ("Petra", "Lang", "Leiterin Instandhaltung", "decision_maker"),
    ("Markus", "Berger", "Technischer Einkauf", "buyer"),
    ("Sabine", "Krüger", "Fachkraft für Arbeitssicherheit", "influencer"),
    ("Stefan", "Vogt", "Lagerleiter", "user"),
    ("Monika", "Engel", "Assistenz der Geschäftsführung", "gatekeeper"),
]
ACCOUNTS = 40


def _agents_by_team() -> dict[int, list[User]]:
    out: dict[int, list[User]] = {}
    for agent in User.objects.filter(role=Role.INSIDE_AGENT, team__isnull=False).order_by("pk"):
        out.setdefault(agent.team_id, []).append(agent)
    return out


def load(ctx) -> None:
    rng = np.random.default_rng(ctx.seed + 20)
    groups = {g.code: g for g in ProductGroup.objects.all()}
    agents = _agents_by_team()
    candidates = list(Account.objects.filter(customer_type="b2b", team__isnull=False, owner__isnull=False,
                                             opt_out_date__isnull=True).order_by("pk").values_list("pk", flat=True))
    if not candidates or not agents:
        return
    picked = sorted(rng.choice(candidates, size=min(ACCOUNTS, len(candidates)), replace=False).tolist())
    tz = timezone.get_current_timezone()
    moved = []
    for i, pk in enumerate(picked):
        account = Account.objects.select_related("owner").get(pk=pk)
        team_agents = agents.get(account.team_id) or next(iter(agents.values()))
        agent = team_agents[i % len(team_agents)]
        day = ctx.today - timedelta(days=int(rng.integers(1, 75)))
        at = datetime.combine(day, time(9 + i % 8, 10 + i % 40), tzinfo=tz)
        code, note, timing = NEEDS[i % len(NEEDS)]
        volume = Decimal(int(rng.integers(3, 60)) * 500)
        if code in groups:
            need_record(account=account, product_group=groups[code], user=agent, expected_volume=volume,
                        timing=timing, note=note, now=at)
        if i % 2 == 0:  # every second one also re-estimated the potential
            source = SOURCES[i % len(SOURCES)]
            factor = Decimal(str(round(float(rng.uniform(0.7, 1.6)), 2)))
            value = max(Decimal(5000), (account.potential * factor).quantize(Decimal(1000)))
            potential_record(account=account, value=value, user=agent, source=source,
                             estimated_on=day, note=ESTIMATE_NOTES[source], now=at + timedelta(minutes=5))
            moved.append(pk)
        if i % 5 == 0:  # a new contact with the buying-center role the call revealed
            first, last, function, role = CONTACTS[(i // 5) % len(CONTACTS)]
            contact_capture(account=account, user=agent, first_name=first, last_name=last, function=function,
                            buying_role=role, now=at + timedelta(minutes=8))
    if moved:
        from isf.segmentation.services import segments_assign_accounts

        segments_assign_accounts(account_ids=moved, today=ctx.today)
    ctx.progress(f"needs of {len(picked)} customers, {len(moved)} potential estimates updated")
