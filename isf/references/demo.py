"""Demo content for the reference library: eight customer stories of the demo company's larger customers (six
approved by the customer) and press findings filed on their timelines."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from isf.customers.models import Account, ProductGroup
from isf.references.services import press_finding_record, reference_case_create

# title, product group codes, starting point, result, approved (days before today, approver) or None
CASES = [
    ("Druckluft-Leckagen halbiert", ["DRL", "HYD"],
     "Drei Kompressoren liefen im Dauerbetrieb, die Energiekosten stiegen jedes Jahr.",
     "Leckage-Ortung und neue Verteilung: 18 % weniger Stromverbrauch, ein Kompressor geht in Reserve.",
     (120, "Thomas Huber, Technischer Leiter")),
    ("Schweißplätze modernisiert", ["SWT", "ASB", "LUE"],
     "Hoher Ausschuss an Nähten und Beschwerden über Schweißrauch.",
     "Neue Inverter-Geräte, Absaugung und Schulung: Ausschuss von 4 % auf 1 %.",
     (60, "Sandra Keller, Produktionsleiterin")),
    ("Kanban für C-Teile", ["BEF", "DUE", "LAG"],
     "Montagelinien standen, weil Schrauben und Dübel fehlten.",
     "Zwei-Behälter-Kanban mit wöchentlicher Befüllung: keine Bandstillstände mehr, 30 % weniger Lagerbestand.",
     (200, "Michael Wagner, Einkaufsleiter")),
    ("Arbeitsschutz aus einer Hand", ["ASH", "ASK", "ASS", "EHI"],
     "Fünf Lieferanten für Schutzausrüstung, keine Übersicht über Größen und Prüffristen.",
     "Ausgabeautomat und Jahresvertrag: Beschaffungsaufwand halbiert, Audit ohne Abweichung.",
     (30, "Claudia Roth, Fachkraft für Arbeitssicherheit")),
    ("LED-Umrüstung Logistikzentrum", ["LED", "ELI", "KAB"],
     "Veraltete Hallenbeleuchtung, hohe Wartungskosten.",
     "Umrüstung in acht Wochenenden ohne Betriebsunterbrechung, 62 % weniger Stromverbrauch für Licht.",
     (90, "Jens Albrecht, Geschäftsführer")),
    ("Akkuplattform vereinheitlicht", ["EWZ", "AKU"],
     "Drei Akkusysteme im Einsatz, ständig fehlende Ladegeräte auf den Baustellen.",
     "Eine Plattform für 120 Geräte, Ladeinfrastruktur im Fahrzeug: 20 Minuten weniger Rüstzeit pro Tag und Team.",
     (15, "Frank Neumann, Bauleiter")),
    ("Betriebseinrichtung für das neue Werk", ["BEE", "LAG", "TRA"],
     "Neubau einer Fertigungshalle mit engem Zeitplan.",
     "Planung und Lieferung von Werkbänken, Regalen und Transportgeräten in sechs Wochen.",
     None),
    ("Hygienekonzept Kantine", ["REI"],
     "Neue Hygieneauflagen für die Betriebskantine.",
     "Spendersysteme und Verbrauchsmaterial im Abo, Dokumentation für die Lebensmittelkontrolle.",
     None),
]
PRESS = [
    ("Nürnberger Nachrichten", "{name} investiert in neue Fertigungshalle",
     "Bedarf an Betriebseinrichtung und Druckluft absehbar"),
    ("Handelsblatt", "{name} übernimmt Wettbewerber aus Sachsen", "Zweiter Standort: Rahmenvertrag ausweiten"),
    ("Süddeutsche Zeitung", "{name} stellt 50 neue Mitarbeiter ein", "Arbeitsschutz und Arbeitskleidung ansprechen"),
    ("IHK-Magazin", "{name} erhält Preis für Energieeffizienz", "Als Referenz für LED und Druckluft anfragen"),
]


def load(ctx) -> None:
    groups = {g.code: g for g in ProductGroup.objects.all()}
    accounts = list(Account.objects.filter(customer_type="b2b", segment__code__in=("KA", "MP"))
                    .order_by("-potential", "pk")[:len(CASES) + len(PRESS)])
    if not accounts:
        return
    author = ctx.users.get("idl")
    tz = timezone.get_current_timezone()
    for i, (title, codes, challenge, result, approval) in enumerate(CASES):
        account = accounts[i % len(accounts)]
        approved_on, approved_by = (ctx.today - timedelta(days=approval[0]), approval[1]) if approval else (None, "")
        # filed once the customer approved it (or still waiting for the approval)
        written = approved_on if approved_on else ctx.today - timedelta(days=30 + 5 * i)
        created = datetime.combine(written, time(10, 0), tzinfo=tz)
        reference_case_create(account=account, title=title, product_groups=[groups[c] for c in codes if c in groups],
                              challenge=challenge, result=result, approved_on=approved_on, approved_by=approved_by,
                              user=author, now=created)
    for i, (publication, headline, note) in enumerate(PRESS):
        account = accounts[(len(CASES) + i) % len(accounts)]
        day = ctx.today - timedelta(days=5 + 17 * i)
        press_finding_record(account=account, published_on=day, publication=publication,
                             headline=headline.format(name=account.name), note=note, user=ctx.users.get("mkt"),
                             now=datetime.combine(day, time(11, 0), tzinfo=tz))
    ctx.progress(f"{len(CASES)} reference cases, {len(PRESS)} press findings")
